"""Column widths: what each column's text needs, fitted to the page, as shares of the table width.

Decided once, here, for every writer: the DOCX and the PDF give each column the
same share of the text width, so their tables break the same way.  Text is
measured in ems of the table's font: a CJK character is one em, a Latin letter,
digit or point about half of one (the proportional digits of the table font).
Amounts and codes never wrap: their columns get their widest cell whenever the
page allows; the text columns (names, labels) share the rest, and only the
longest of them wrap (water-filling).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Sequence

from .tree import Cell, Column

#: Points per millimetre, and the em widths of the two kinds of character.
PT_PER_MM = Decimal("2.8346")
CJK_EM = Decimal(1)
LATIN_EM = Decimal("0.55")

#: A cell's left and right padding (and its borders), in ems.
PADDING_EM = Decimal("0.9")

#: A header up to this many ems stays on one line; a longer one may take two.
HEADER_EM = Decimal(6)

#: The narrowest a column may be, in ems.
MIN_EM = Decimal(2)

#: Column kinds whose text may wrap onto further lines.
FLEXIBLE = frozenset({"label", "text"})
#: Column kinds whose text never wraps (numbers, codes).
NOWRAP = frozenset({"amount", "code", "index", "rate", "score"})


def text_width(text: str) -> Decimal:
    """The width of one line of ``text``, in ems."""
    return sum((CJK_EM if ord(c) >= 0x2E80 else LATIN_EM for c in text), Decimal(0))


def cell_need(cell: Cell, kind: str) -> Decimal:
    """The width a single-column cell asks for, in ems: a header may take two lines."""
    lines = cell.text.split("\n") if cell.text else [""]
    widest = max(text_width(line) for line in lines) + cell.indent
    if cell.role == "header" and widest > HEADER_EM:
        widest = max(HEADER_EM, Decimal(math.ceil(widest / 2)))  # a long header wraps onto two lines
    return widest + PADDING_EM


def available_ems(width_mm: Decimal, font_pt: Decimal) -> Decimal:
    return width_mm * PT_PER_MM / font_pt


def fit(needs: Sequence[Decimal], kinds: Sequence[str], room: Decimal) -> list[Decimal]:
    """Widths (ems) summing to ``room``: every column its need when the page allows, columns of
    one kind made equal and the rest of the surplus shared in proportion; otherwise the
    text columns wrap, widest first; only when even that is not enough do all columns shrink
    in proportion."""
    needs = [max(n, MIN_EM) for n in needs]
    flexible = [k in FLEXIBLE for k in kinds]
    total = sum(needs)
    if total <= room:
        widths = list(needs)
        for kind in set(kinds) - FLEXIBLE:  # amounts side by side read best at one width
            same = [i for i, k in enumerate(kinds) if k == kind]
            widest = max(widths[i] for i in same)
            raise_by = sum(widest - widths[i] for i in same)
            if raise_by <= room - sum(widths):
                for i in same:
                    widths[i] = widest
        spare = room - sum(widths)
        weights = widths  # the surplus in proportion: wide columns grow most
        return [w + spare * weight / sum(weights) for w, weight in zip(widths, weights)]
    fixed = sum(n for n, f in zip(needs, flexible) if not f)
    if any(flexible) and room - fixed >= sum(n for n, f in zip(needs, flexible) if f) / 4:
        cap = water_cap([n for n, f in zip(needs, flexible) if f], room - fixed)
        widths = [min(n, cap) if f else n for n, f in zip(needs, flexible)]
        widest = max(range(len(widths)), key=lambda i: (flexible[i], widths[i]))
        widths[widest] += room - sum(widths)
        return widths
    return [n * room / total for n in needs]


def water_cap(wants: Sequence[Decimal], room: Decimal) -> Decimal:
    """The width at which to cap columns so that they share ``room`` and only the widest wrap."""
    left = room
    ordered = sorted(wants)
    for k, want in enumerate(ordered):
        share = left / (len(ordered) - k)
        if want > share:
            return share
        left -= want
    return max(ordered, default=room)


def needs(kinds: Sequence[str], rows: Sequence[Sequence[Cell]]) -> list[Decimal]:
    """Each column's need (ems): its widest single-column cell."""
    out = [MIN_EM] * len(kinds)
    covered: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in covered:
                c += 1
            if cell.colspan == 1:
                out[c] = max(out[c], cell_need(cell, kinds[c]))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    covered.add((r + dr, c + dc))
            c += cell.colspan
    return out


def font_size(wanted: Sequence[Decimal], width_mm: Decimal, font_pt: Decimal, smallest_pt: Decimal) -> Decimal:
    """The table's text size: the profile's, or smaller in half points (down to ``smallest_pt``)
    when the columns' needs do not fit the page at that size (long amounts in 元)."""
    size = font_pt
    while size > smallest_pt and sum(wanted) > available_ems(width_mm, size):
        size -= Decimal("0.5")
    return size


def columns(kinds: Sequence[str], wanted: Sequence[Decimal], room: Decimal) -> tuple[Column, ...]:
    """The columns of a grid: the needs fitted into ``room`` ems, as percentages (two decimals,
    summing to exactly 100)."""
    widths = fit(list(wanted), kinds, room)
    shares = [(w * 100 / sum(widths)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) for w in widths]
    shares[max(range(len(shares)), key=lambda i: shares[i])] += Decimal(100) - sum(shares)
    return tuple(Column(kind, share, kind in NOWRAP) for kind, share in zip(kinds, shares))
