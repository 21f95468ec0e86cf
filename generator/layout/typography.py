"""The document's typography: one specification per profile, applied by every writer.

The PDF's stylesheet (``templates/html/typography.css.j2``) and the DOCX's styles
(:mod:`generator.render.wordstyles`) are both written from the :class:`Typography` of the
profile, so the two formats are one document: the same page and margins, the same fonts
and sizes, the same exact line heights and paragraph spacing, the same cell padding.

Fonts are named as a Chinese user's Word and WPS know them (仿宋, 黑体, 楷体, 宋体; Latin
text and digits in Times New Roman).  Where a named font is not installed, each writer
falls back to the same installed face: the PDF by the stylesheet's family list
(``fallbacks``), LibreOffice by fontconfig aliases that ``scripts/setup.sh`` installs
(``scripts/fontconfig/64-juesuan-chinese-names.conf``), Word and WPS on Windows have the
named fonts.

A profile changes any of it under ``typography:`` in profile.yaml, key by key, e.g.
``typography: {body: {size: 14, line: 24}}``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

MM_PER_INCH = Decimal("25.4")


def _d(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True)
class Face:
    """One kind of text: its font, size and exact line height (pt), the space before and after
    it (pt), its first-line indent (characters) and its alignment."""

    font: str
    size: Decimal
    line: Decimal
    before: Decimal = Decimal(0)
    after: Decimal = Decimal(0)
    indent: int = 0
    align: str = "left"          # left / center / right


@dataclass(frozen=True)
class Typography:
    page_width_mm: Decimal = Decimal(210)        # A4
    page_height_mm: Decimal = Decimal(297)
    margins_mm: tuple[Decimal, ...] = (Decimal(25), Decimal(22), Decimal(22), Decimal(22))    # top right bottom left
    landscape_margins_mm: tuple[Decimal, ...] = (Decimal(12), Decimal(15), Decimal(14), Decimal(15))
    footer_mm: Decimal = Decimal(10)             # the page number's line, from the page's bottom edge
    landscape_footer_mm: Decimal = Decimal(6)
    latin: str = "Times New Roman"               # the tables' numbers (amounts, codes, rates, scores)
    body: Face = Face("仿宋", Decimal(12), Decimal(20), after=Decimal("2.8"), indent=2)
    h1: Face = Face("黑体", Decimal(16), Decimal(24), after=Decimal(17), align="center")
    h2: Face = Face("黑体", Decimal(13), Decimal(21), before=Decimal("8.5"), after=Decimal("2.8"), indent=2)
    h3: Face = Face("楷体", Decimal(12), Decimal(20), before=Decimal("4.2"), after=Decimal("1.4"), indent=2)
    item: Face = Face("仿宋", Decimal(12), Decimal(20), after=Decimal("2.8"), indent=2)   # 1. 一般公共服务支出（类）…
    cover_title: Face = Face("黑体", Decimal(26), Decimal(39), before=Decimal(198), align="center")
    cover_unit: Face = Face("楷体", Decimal(16), Decimal(24), before=Decimal(212), align="center")
    cover_date: Face = Face("楷体", Decimal(16), Decimal(24), before=Decimal("11.3"), align="center")
    toc_title: Face = Face("黑体", Decimal(18), Decimal(27), after=Decimal("22.7"), align="center")
    toc1: Face = Face("黑体", Decimal(12), Decimal(20), before=Decimal("5.7"))
    toc2: Face = Face("仿宋", Decimal(12), Decimal(20), indent=2)
    table_title: Face = Face("黑体", Decimal(16), Decimal("22.4"), after=Decimal("5.7"), align="center")
    table_info: Face = Face("宋体", Decimal("10.5"), Decimal("15.75"), after=Decimal("2.8"))
    table: Face = Face("宋体", Decimal("9.5"), Decimal("11.875"))          # cells; a table's own size scales its line
    table_header_font: str = "黑体"
    table_line_factor: Decimal = Decimal("1.25")
    compact_line_factor: Decimal = Decimal("1.12")
    cell_padding_pt: tuple[Decimal, Decimal] = (Decimal("1.2"), Decimal(3))      # top and bottom, left and right
    compact_padding_pt: tuple[Decimal, Decimal] = (Decimal("0.4"), Decimal(3))
    form_padding_pt: tuple[Decimal, Decimal] = (Decimal("2.5"), Decimal(3))
    border_pt: Decimal = Decimal("0.5")
    table_note: Face = Face("宋体", Decimal(10), Decimal(15), before=Decimal("4.2"))
    table_empty: Face = Face("仿宋", Decimal("10.5"), Decimal("15.75"), before=Decimal("5.7"))
    form_title: Face = Face("黑体", Decimal(15), Decimal(21), after=Decimal("5.7"), align="center")
    form: Face = Face("宋体", Decimal(9), Decimal("11.25"))
    page_number: Face = Face("宋体", Decimal("10.5"), Decimal("15.75"), align="center")
    page_number_format: str = "- {n} -"
    #: The installed faces each named font falls back to, in order (the PDF's family lists).
    fallbacks: dict[str, tuple[str, ...]] = field(hash=False, default_factory=lambda: {
        "仿宋": ("FangSong", "仿宋_GB2312", "AR PL UMing CN", "Noto Serif CJK SC"),
        "宋体": ("SimSun", "AR PL UMing CN", "Noto Serif CJK SC"),
        "黑体": ("SimHei", "WenQuanYi Zen Hei", "Noto Sans CJK SC"),
        "楷体": ("KaiTi", "楷体_GB2312", "AR PL UKai CN", "AR PL UMing CN"),
        "Times New Roman": ("Liberation Serif",),
    })

    # -------------------------------------------------------------- derived

    @property
    def portrait_width_mm(self) -> Decimal:
        return self.page_width_mm - self.margins_mm[1] - self.margins_mm[3]

    @property
    def landscape_width_mm(self) -> Decimal:
        return self.page_height_mm - self.landscape_margins_mm[1] - self.landscape_margins_mm[3]

    def families(self, font: str, *, latin: bool = False) -> tuple[str, ...]:
        """The family list of a face: the Chinese font and its fallbacks (its Latin letters and
        digits too, as in a Chinese document), or with ``latin`` the Latin font first (the
        tables' numbers: a proportional serif, not the CJK font's typewriter-like digits)."""
        out: list[str] = []
        if latin:
            out += [self.latin, *self.fallbacks.get(self.latin, ())]
        out += [font, *self.fallbacks.get(font, ())]
        return tuple(dict.fromkeys(out))

    def page_number_parts(self) -> tuple[str, str]:
        """What comes before and after the number: ``- {n} -`` → ("- ", " -")."""
        before, _, after = self.page_number_format.partition("{n}")
        return before, after


def twips(points: Decimal) -> int:
    """Points as twentieths of a point (Word's unit), rounded to the nearest."""
    return int((_d(points) * 20).to_integral_value())


def mm_twips(mm: Decimal) -> int:
    return int((_d(mm) * 1440 / MM_PER_INCH).to_integral_value())


DEFAULT = Typography()

_FACE_FIELDS = {f.name for f in dataclasses.fields(Typography) if f.type in ("Face", Face)}


class TypographyError(ValueError):
    """A ``typography:`` setting the writers cannot use."""


_FORBIDDEN = set('"\'<>;{}\\\n\r')


def _name(value: Any, where: str) -> str:
    """A font's name, as written: letters, digits, spaces and the like (it goes into CSS and XML)."""
    text = str(value).strip()
    if not text or set(text) & _FORBIDDEN:
        raise TypographyError(f"{where} 的字体名称“{text}”不能使用（不能为空，不能有引号、尖括号、分号或花括号）")
    return text


def from_settings(written: dict[str, Any] | None, where: str = "typography") -> Typography:
    """The default typography with a profile's ``typography:`` over it, key by key."""
    if not written:
        return DEFAULT
    if not isinstance(written, dict):
        raise TypographyError(f"{where} 应当是“设置: 值”的映射")
    changes: dict[str, Any] = {}
    known = {f.name: f for f in dataclasses.fields(Typography)}
    for key, value in written.items():
        if key not in known:
            raise TypographyError(f"{where} 中有不认识的设置：{key}（可用：{'、'.join(sorted(known))}）")
        current = getattr(DEFAULT, key)
        try:
            if key in _FACE_FIELDS:
                if not isinstance(value, dict):
                    raise TypographyError(f"{where}.{key} 应当是映射，如 {{font: 仿宋, size: 12, line: 20}}")
                faces = {f.name for f in dataclasses.fields(Face)}
                unknown = set(value) - faces
                if unknown:
                    raise TypographyError(f"{where}.{key} 中有不认识的设置：{'、'.join(sorted(unknown))}"
                                          f"（可用：{'、'.join(sorted(faces))}）")
                changes[key] = dataclasses.replace(current, **{
                    k: (_name(v, f"{where}.{key}.{k}") if k == "font" else str(v) if k == "align"
                        else int(v) if k == "indent" else _d(v))
                    for k, v in value.items()})
                if changes[key].align not in ("left", "center", "right"):
                    raise TypographyError(f"{where}.{key}.align 应当是 left、center 或 right")
            elif key == "fallbacks":
                changes[key] = {**current, **{_name(k, where): tuple(_name(x, f"{where}.fallbacks") for x in v)
                                              for k, v in value.items()}}
            elif isinstance(current, tuple):
                changes[key] = tuple(_d(v) for v in value)
                if len(changes[key]) != len(current):
                    raise TypographyError(f"{where}.{key} 应当有 {len(current)} 个数")
            elif isinstance(current, Decimal):
                changes[key] = _d(value)
            elif key in ("latin", "table_header_font"):
                changes[key] = _name(value, f"{where}.{key}")
            else:
                changes[key] = str(value)
        except (ArithmeticError, TypeError, ValueError) as exc:
            if isinstance(exc, TypographyError):
                raise
            raise TypographyError(f"{where}.{key} 的值“{value}”不能使用") from None
    return dataclasses.replace(DEFAULT, **changes)
