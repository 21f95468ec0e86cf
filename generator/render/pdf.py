"""The PDF renderer: a :class:`~generator.document.Document` laid out by WeasyPrint.

The document is rendered to HTML with a Jinja template (autoescaped,
``StrictUndefined``) under ``templates/html/``, part by part (see "part by part"
below), and WeasyPrint lays each part out (``HTML.render()``); :mod:`.pdfwrite`
writes the pages as they come.  With ``PART_WISE`` off (bench/ compares the two) the
whole document is one HTML page written by ``Document.write_pdf()``.  This module and
:mod:`.pdfwrite` are the only ones of the project that import :mod:`weasyprint`.

WeasyPrint does not raise on a missing font, image or stylesheet or on CSS it
does not understand: it logs.  :func:`capture_weasyprint_log` collects those
records while rendering, and :func:`render_pdf` returns them as warnings
(PDF排版警告) next to the bytes, so nothing is dropped silently.

Same input, same bytes.  What was checked in WeasyPrint 70 / pydyf 0.13:

* ``/CreationDate`` and ``/ModDate`` come only from ``<meta name="dcterms.created">``
  and ``dcterms.modified``; we fill both from ``Document.date`` (no clock).
* ``/ID``: pydyf writes a file identifier only when ``pdf_identifier`` is set
  (or a PDF/A-style ``pdf_variant`` sets it); by default it writes none.  We pass
  ``pdf_identifier=False`` explicitly so a later default cannot bring a
  random or time-based one back.
* Font subsets: without HarfBuzz-Subset (libharfbuzz-subset0, absent here)
  WeasyPrint subsets fonts with fontTools, and ``TTFont.save()`` stamps the
  subset's ``head.modified`` with the current time, so the embedded font
  streams (and the file) changed on every run.  fontTools takes that time from
  ``SOURCE_DATE_EPOCH`` when it is set (reproducible-builds convention), so
  :func:`_source_date_epoch` sets it to ``Document.date`` (00:00 UTC) while
  writing, unless the caller already set it, and restores the environment after.
  Subset font names are a hash of the font description, and objects are
  numbered in layout order, so neither varies between runs.
* ``/Producer`` is ``WeasyPrint <version>``: it changes with the installed
  WeasyPrint version, not between runs.
* No XMP metadata stream is written (``xmp_metadata`` is left unset).
The test suite renders twice and compares the bytes.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import hashlib
import json
import logging
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import jinja2
from markupsafe import Markup
from weasyprint import HTML
from weasyprint.formatting_structure.boxes import TableRowGroupBox

from ..layout.tree import Cover, Document, Heading, Orientation, Table, Toc
from ..profiles import TEMPLATES, Profile

HTML_TEMPLATES = TEMPLATES / "html"
TEMPLATE_NAME = "document.html.j2"
STYLESHEET_NAME = "document.css"
GRID_NAME = "grid.html.j2"              # the grids of tables and forms
TYPOGRAPHY_NAME = "typography.css.j2"   # the profile's Typography as CSS
PAGE_NUMBERS_NAME = "page_numbers.html.j2"   # the page numbers, laid out apart (part by part)

_LOGGER_NAME = "weasyprint"
_PROGRESS_LOGGER_NAME = "weasyprint.progress"


@dataclass(frozen=True)
class PdfResult:
    """The PDF bytes and WeasyPrint's warnings (in Chinese), in the order logged."""

    data: bytes
    warnings: tuple[str, ...]
    pages: dict[str, int] = dataclasses.field(default_factory=dict)   # block id → its page's printed number


# ------------------------------------------------------------------ log capture


class _WeasyPrintLog(logging.Handler):
    """Collects WARNING+ records of the ``weasyprint`` logger tree.

    Progress records (``weasyprint.progress``) are not warnings and are skipped.
    Only records logged by the thread that opened the capture are kept, so two
    renders in two threads do not see each other's warnings.
    """

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        name = record.name
        if name == _PROGRESS_LOGGER_NAME or name.startswith(_PROGRESS_LOGGER_NAME + "."):
            return
        if record.thread != self.thread:
            return
        try:
            text = record.getMessage()
        except Exception:  # a malformed record must not lose the warning
            text = f"{record.msg} {record.args}"
        kind = "PDF排版错误" if record.levelno >= logging.ERROR else "PDF排版警告"
        self.messages.append(f"{kind}：{text}")

    def warnings(self) -> tuple[str, ...]:
        """The messages in first-seen order; a repeated one once, with its count."""
        counts: dict[str, int] = {}
        for message in self.messages:
            counts[message] = counts.get(message, 0) + 1
        return tuple(m if n == 1 else f"{m}（共{n}次）" for m, n in counts.items())


@contextmanager
def capture_weasyprint_log() -> Iterator[_WeasyPrintLog]:
    """Collect WeasyPrint's warnings and errors while the block runs.

    If the application configured the ``weasyprint`` logger (or the root
    logger) above WARNING, the level is lowered for the duration, so warnings
    still reach the handler; the previous level is restored afterwards.
    """
    logger = logging.getLogger(_LOGGER_NAME)
    handler = _WeasyPrintLog()
    previous_level = logger.level
    if logger.getEffectiveLevel() > logging.WARNING:
        logger.setLevel(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)


@contextmanager
def _source_date_epoch(iso_date: str) -> Iterator[None]:
    """Pin fontTools' font timestamps to the document's date while writing.

    Changes ``os.environ`` for the duration (process-wide): a value set by the
    caller wins and is left alone.
    """
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    day = date.fromisoformat(iso_date)
    epoch = int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


# ------------------------------------------------------------------ the garbage collector


# Laying a document out makes millions of small objects that live until the pages are
# written; Python's cyclic collector, triggered by allocation counts, scans them again and
# again (about a third of the CPU of a warm process's render, measured in bench/).  While
# any render runs, the collector is paused; when the last one ends, one collection frees
# the cycles the layout left, and the first time, the heap that survives it (modules,
# fonts, caches: what every later render reuses) is frozen out of later collections.
PAUSE_COLLECTOR = True          # bench/ turns it off to measure the difference
PART_WISE = True               # bench/ turns it off: the document laid out in one piece
_collector_lock = threading.Lock()
_collector_users = 0
_collector_was_enabled = False
_heap_frozen = False


@contextmanager
def _collector_paused() -> Iterator[None]:
    global _collector_users, _collector_was_enabled, _heap_frozen
    if not PAUSE_COLLECTOR:
        yield
        return
    with _collector_lock:
        if _collector_users == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _collector_users += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector_users -= 1
            if _collector_users == 0:
                gc.collect()
                if not _heap_frozen:
                    gc.freeze()
                    _heap_frozen = True
                if _collector_was_enabled:
                    gc.enable()


# ------------------------------------------------------------------ HTML


def _template_folders(profile: Profile) -> list[str]:
    """A profile may override any HTML template or the stylesheet in its ``html/`` folder."""
    folders = [folder / "html" for folder in profile.search_path] + [HTML_TEMPLATES]
    return [str(f) for f in folders if f.is_dir()]


def _stylesheet(profile: Profile) -> Path:
    for folder in _template_folders(profile):
        path = Path(folder) / STYLESHEET_NAME
        if path.is_file():
            return path
    return HTML_TEMPLATES / STYLESHEET_NAME


def _environment(profile: Profile) -> jinja2.Environment:
    return _environment_for(tuple(_template_folders(profile)))


@functools.lru_cache(maxsize=16)
def _environment_for(folders: tuple[str, ...]) -> jinja2.Environment:
    """One environment per template search path: its compiled templates are reused."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(list(folders)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


DRAFT_MARK = TEMPLATES / "draft" / "mark.json"


@functools.cache
def draft_mark() -> Markup:
    """The 草稿 watermark as an SVG path (shapes, not text: a draft's text is the final's text)."""
    mark = json.loads(DRAFT_MARK.read_text(encoding="utf-8"))
    d = "".join(command[0] + " ".join(f"{v:g}" for v in command[1:]) for command in mark["path"])
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {mark["width"]} {mark["height"]}">'
                  f'<path fill="#dcdcdc" d="{d}"/></svg>')


def _typography_css(profile: Profile) -> str:
    return _typography_css_for(tuple(_template_folders(profile)), profile.typography)


@functools.lru_cache(maxsize=16)
def _typography_css_for(folders: tuple[str, ...], typography) -> str:
    # CSS, not HTML: rendered without HTML escaping (the font names are checked when read)
    return jinja2.Environment(loader=jinja2.FileSystemLoader(list(folders)), autoescape=False,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
                              ).get_template(TYPOGRAPHY_NAME).render(t=typography)


def render_html(document: Document, profile: Profile) -> str:
    """The document as one HTML page, with its stylesheet linked by file URL."""
    return _environment(profile).get_template(TEMPLATE_NAME).render(
        doc=document, stylesheet=_stylesheet(profile).as_uri(), typography_css=Markup(_typography_css(profile)),
        draft_mark=draft_mark() if document.draft else "")


# ------------------------------------------------------------------ PDF


def _laid_out(document: Document, profile: Profile):
    html = render_html(document, profile)
    return HTML(string=html, base_url=HTML_TEMPLATES.as_uri() + "/").render()


# ------------------------------------------------------------------ part by part
#
# WeasyPrint's cost grows with what it holds at once (the cascade of every element, the
# box tree of every page), and the 绩效 forms appear in both of a unit's documents.  So
# the document is laid out as parts, each beginning where a page always begins (the
# 目录, each part heading, each 绩效 form after the first), each part laid out alone
# without page numbers; a part whose HTML (ids aside) was laid out a moment ago, such as
# the 部门决算's forms when the 绩效自评 comes next, is reused.  The page numbers are laid
# out apart, one empty page per page of the document under the same page rules, and
# painted over each page; the 目录 is laid out last, with the numbers its entries got.  A
# 决算表 of thousands of rows is laid out a run of rows at a time (CHUNK_ROWS, below).
# This relies on WeasyPrint's Document and Page as 70.0 has them (pages, anchors, the
# page box's named page, a table's row boxes and their elements): pyproject.toml pins it
# and tests/test_render_pdf.py fails loudly on a version whose internals differ.

WEASYPRINT_VERSION = "70.0"     # the version whose Document and Page the part-wise layout relies on
_REUSE_PAGES = 30               # pages kept for reuse (a unit's forms, for its two documents), at most:
                                # a realistic unit's forms (5–20 pages); a form page holds about 2.5 MiB of boxes
_reusable: dict[str, tuple] = {}
_reusable_lock = threading.Lock()
_font_config = None
_IDS = re.compile(r'(?<= id=")[^"]+(?=")')


def _shared_font_config():
    """One FontConfiguration for every part (and every document) of the process: the fonts
    a part's text uses are the fonts of the page it is painted on."""
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration
        _font_config = FontConfiguration()
    return _font_config


def _is_form(block) -> bool:
    return isinstance(block, Table) and block.kind == "form"


FORMS_PER_PART = 10     # a long run of forms is laid out ten forms at a time


def _cuts(blocks: list) -> list[bool]:
    """Where a part begins: where the stylesheet always begins a page (document.css) — the 目录,
    a part heading, a 决算表 not right after its part's heading, a 绩效 form after another form —
    and, of a run of forms, only at its second, every FORMS_PER_PART forms after it, and at its
    last: the forms between are the same parts in both documents of a unit (the first form may
    share its page with a heading, the last with what follows it)."""
    content = [(i, b) for i, b in enumerate(blocks) if not isinstance(b, Orientation)]
    cuts = [False] * len(blocks)
    for n, (i, block) in enumerate(content):
        previous = content[n - 1][1] if n else None
        if isinstance(block, Toc) or (isinstance(block, Heading) and block.level == 1):
            cuts[i] = True
        elif isinstance(block, Table) and block.kind != "form":
            cuts[i] = not (isinstance(previous, Heading) and previous.level == 1)
        elif _is_form(block) and _is_form(previous):
            run = next(k for k in range(n, -1, -1) if k == 0 or not _is_form(content[k - 1][1]))
            last = n + 1 == len(content) or not _is_form(content[n + 1][1])
            cuts[i] = (n - run - 1) % FORMS_PER_PART == 0 or last
    return cuts


def parts(document: Document) -> list[tuple[bool, tuple]]:
    """The document's blocks cut into parts that each begin a page: (begins landscape, blocks) each."""
    cut: list[tuple[bool, list]] = []
    landscape = False
    waiting: list = []           # orientation changes before the next block
    for block, begins in zip(document.blocks, _cuts(list(document.blocks))):
        if isinstance(block, Orientation):
            waiting.append(block)
            continue
        for change in waiting:
            landscape = change.landscape
        if not cut or begins:    # a part begins in the orientation its first block is in
            cut.append((landscape, []))
        else:
            cut[-1][1].extend(waiting)
        cut[-1][1].append(block)
        waiting = []
    return [(start, tuple(blocks)) for start, blocks in cut]


def _page_kind(page) -> str:
    """The named page (cover, wide, or "" for the default) WeasyPrint laid this page out as."""
    return page._page_box.page_type.name or ""


# Parsing the stylesheets is most of what an empty page costs WeasyPrint, so each part gets
# them parsed once (as one origin, in the order the whole document's head has them).
NO_PAGE_NUMBERS_CSS = "@page { @bottom-center { content: none; } } @page wide { @bottom-center { content: none; } }"
NUMBER_PAGES_CSS = """html, body { background: none; }
.page-of { break-before: page; height: 1px; }
.page-of.k-cover { page: cover; }
.page-of.k-wide { page: wide; }"""


@functools.lru_cache(maxsize=16)
def _parsed_stylesheets(stylesheet: Path, typography_css: str, extra: str) -> tuple:
    from weasyprint import CSS
    config = _shared_font_config()
    base = HTML_TEMPLATES.as_uri() + "/"
    return (CSS(filename=str(stylesheet), font_config=config),
            CSS(string=typography_css, base_url=base, font_config=config),
            CSS(string=extra, base_url=base, font_config=config))


def _part_html(env, document: Document, profile: Profile, landscape: bool, blocks: tuple,
               toc_pages: dict[str, str] | None) -> str:
    return env.get_template(TEMPLATE_NAME).render(
        doc=document, blocks=blocks, landscape=landscape, toc_pages=toc_pages or {}, stylesheet="",
        typography_css="", draft_mark=draft_mark() if document.draft else "")


# Separate instead of collapsed table borders, tried for issue 14 and not adopted (bench/README.md):
# no faster for the 决算表, and a 绩效 form's rowspan cell split by a page break loses its rules.
BORDERS = "collapse"            # bench/ tries "separate" (every grid) and "separate-statements"


def _separate_borders_css(profile: Profile, grid: str) -> str:
    """Separate borders drawn where the collapsed ones are: each cell its right and bottom rule,
    the table (on every page it spans) its top and left."""
    b = profile.typography.border_pt
    return (f"{grid} {{ border-collapse: separate; border-spacing: 0; border: 0 solid #000;"
            f" border-top-width: {b}pt; border-left-width: {b}pt; box-decoration-break: clone; }}"
            f" {grid} th, {grid} td {{ border: 0 solid #000; border-right-width: {b}pt; border-bottom-width: {b}pt; }}"
            f" {grid} .open-bottom {{ border-bottom: none; }}")


def _render_html_string(html: str, profile: Profile, extra: str = NO_PAGE_NUMBERS_CSS):
    if BORDERS != "collapse":
        extra += "\n" + _separate_borders_css(profile, "table.grid.statement" if BORDERS == "separate-statements"
                                               else "table.grid")
    sheets = _parsed_stylesheets(_stylesheet(profile), _typography_css(profile), extra)
    return HTML(string=html, base_url=HTML_TEMPLATES.as_uri() + "/").render(
        font_config=_shared_font_config(), stylesheets=list(sheets))


def _laid_out_part(html: str, profile: Profile, reusable: bool) -> tuple[list, dict[str, str]]:
    """The part's pages, and its ids renamed to this document's (a reused part has the ids of
    the document it was first laid out for)."""
    ids = _IDS.findall(html)
    generic = _IDS.sub(lambda m, n=iter(range(len(ids))): f"@{next(n)}", html)
    key = hashlib.sha256(re.sub(r"<title>.*?</title>|<meta [^>]*>", "", generic).encode()).hexdigest()
    with _reusable_lock:
        found = _reusable.get(key)
    if found is not None:
        pages, first_ids = found
        return pages, dict(zip(first_ids, ids))
    pages = _render_html_string(html, profile).pages
    if reusable and len(pages) <= _REUSE_PAGES:
        with _reusable_lock:
            _reusable[key] = (pages, ids)
            while sum(len(kept) for kept, _ in _reusable.values()) > _REUSE_PAGES:
                _reusable.pop(next(iter(_reusable)))
    return pages, {}


def _part_pages(env, document: Document, profile: Profile, landscape: bool,
                blocks: tuple) -> Iterator[tuple[list, dict[str, str]]]:
    """A part's pages, in one or more runs: (pages, ids renamed) each."""
    at = _long_table(blocks)
    if at is None or not _built_in_tables(profile):
        html = _part_html(env, document, profile, landscape, blocks, None)
        yield _laid_out_part(html, profile, reusable=all(_is_form(b) for b in blocks))
    else:
        yield from ((pages, {}) for pages in _table_in_runs(env, document, profile, landscape, blocks, at))


# Memory is bounded by a part; a 决算表 of thousands of rows is one part, and laying it out
# whole holds all its pages' boxes at once (about 6 MiB a page).  A table of more than
# 1.5 × CHUNK_ROWS body rows is laid out CHUNK_ROWS rows at a time: each run's pages but its last
# are written, and the next run starts, on a new page, at the first row of that last page,
# under the repeated header, as the whole table would go on.  Each row is kept whole on a
# page (document.css), so where a page breaks depends only on the rows before it on that
# page; the one rule that looks ahead, "the last row never alone on a page", is off in every
# run but the last, and the last run takes at least CHUNK_ROWS / 2 rows (more than a page),
# so that rule never reaches back into a page already written.  Only with the built-in
# grid.html.j2 and document.css, whose rules this relies on; a profile that brings its own
# lays such a table out whole.
CHUNK_ROWS = 400
NOT_LAST_RUN_CSS = NO_PAGE_NUMBERS_CSS + "\ntable.grid tbody tr:last-child { break-before: auto; }"


def _last_run_rows() -> int:
    """The most rows laid out in one run: a table this long or shorter (or its rest) is one run."""
    return CHUNK_ROWS * 3 // 2


def _long_table(blocks: tuple) -> int | None:
    for i, block in enumerate(blocks):
        if (CHUNK_ROWS and isinstance(block, Table) and block.kind == "statement" and len(block.grids) == 1
                and len(block.grids[0].body) > _last_run_rows()):
            return i
    return None


def _built_in_tables(profile: Profile) -> bool:
    env = _environment(profile)
    grid = env.loader.get_source(env, GRID_NAME)[1]
    return Path(grid) == HTML_TEMPLATES / GRID_NAME and _stylesheet(profile) == HTML_TEMPLATES / STYLESHEET_NAME


def _table_in_runs(env, document: Document, profile: Profile, landscape: bool, blocks: tuple,
                   at: int) -> Iterator[list]:
    """The pages of a part whose block ``at`` is a long 决算表, laid out CHUNK_ROWS rows at a time."""
    table = blocks[at]
    grid = table.grids[0]
    at_table = landscape                          # the orientation the table is in
    for block in blocks[:at]:
        if isinstance(block, Orientation):
            at_table = block.landscape
    start = 0
    while True:
        last = len(grid.body) - start <= _last_run_rows()
        rows = grid.body[start:] if last else grid.body[start:start + CHUNK_ROWS]
        run = dataclasses.replace(table, grids=(dataclasses.replace(grid, body=rows),))
        if start:                                 # a continuation: the header rows only, no caption
            run = dataclasses.replace(run, title="", label="", owner="", unit="")
        if not last:
            run = dataclasses.replace(run, empty="", notes=())
        run_blocks = (blocks[:at] if not start else ()) + (run,) + (blocks[at + 1:] if last else ())
        html = _part_html(env, document, profile, landscape if not start else at_table, run_blocks, None)
        pages = _render_html_string(html, profile, NO_PAGE_NUMBERS_CSS if last else NOT_LAST_RUN_CSS).pages
        if last:
            yield pages
            return
        keep, written = _whole_rows(pages, table.id)
        if not written:
            raise RuntimeError(f"{table.title}: {CHUNK_ROWS} rows did not fill a page")
        yield pages[:keep]
        del pages
        start += written


def _whole_rows(pages: list, table_id: str) -> tuple[int, int]:
    """How many of a run's pages to keep (all but the last, and fewer if a row would be split
    between a kept page and the rest), and how many of the table's body rows they hold."""
    on_page = [_body_rows(page._page_box, table_id, False) for page in pages]
    keep = len(pages) - 1
    while keep and not on_page[keep - 1].isdisjoint(set().union(*on_page[keep:])):
        keep -= 1
    return keep, len(set().union(*on_page[:keep])) if keep else 0


def _body_rows(box, table_id: str, inside: bool) -> set[int]:
    """The body rows (as ids of their HTML elements) of the table in section ``table_id`` on a page."""
    element = getattr(box, "element", None)
    inside = inside or (element is not None and element.get("id") == table_id)
    if inside and isinstance(box, TableRowGroupBox) and not box.is_header and not box.is_footer:
        return {id(row.element) for row in box.children}
    found: set[int] = set()
    for child in getattr(box, "children", ()):
        found |= _body_rows(child, table_id, inside)
    return found


def _render_in_parts(document: Document, profile: Profile) -> tuple[bytes, dict[str, int]]:
    """The PDF's bytes and each anchor's printed page number, laid out and written part by part."""
    from .pdfwrite import PageWriter

    env = _environment(profile)
    cut = parts(document)
    toc_at = next((i for i, (_, blocks) in enumerate(cut) if any(isinstance(b, Toc) for b in blocks)), None)
    offset = 1 if any(isinstance(b, Cover) for b in document.blocks) else 0   # the cover is not counted
    writer = PageWriter()
    kinds: list[str] = []
    toc_position = 0
    for index, (landscape, blocks) in enumerate(cut):
        if index == toc_at:
            toc_position = len(writer)
            continue
        for pages, renamed in _part_pages(env, document, profile, landscape, blocks):
            for page in pages:
                kinds.append(_page_kind(page))
                writer.add(page, renamed)
            del pages
            _collect_if_heavy()
    if toc_at is not None:
        # the 目录 shows the numbers its entries got, which depend on its own length: laid out with
        # the numbers it would have on one page, then again if it took more
        anchors = writer.page_of_anchors()
        landscape, blocks = cut[toc_at]
        assumed = 1
        for _ in range(4):
            numbers = {name: str(i + (assumed if i >= toc_position else 0) + 1 - offset)
                       for name, i in anchors.items()}
            front = _render_html_string(_part_html(env, document, profile, landscape, blocks, numbers), profile).pages
            if len(front) == assumed:
                break
            assumed = len(front)
        start = len(writer)
        for page in front:
            writer.add(page)
        writer.move(range(start, start + len(front)), toc_position)
        kinds[toc_position:toc_position] = [_page_kind(page) for page in front]
        del front
    html = env.get_template(PAGE_NUMBERS_NAME).render(kinds=kinds)
    for index, page in enumerate(_render_html_string(html, profile, NUMBER_PAGES_CSS).pages):
        if _page_kind(page) != kinds[index]:
            raise RuntimeError(f"page {index + 1}: its number laid out on a “{_page_kind(page)}” page, "
                               f"the page is “{kinds[index]}”")
        writer.paint_over(index, page)
    pages = {name: i + 1 - offset for name, i in writer.page_of_anchors().items()}
    metadata = _metadata_document(env, document, profile).metadata
    with _source_date_epoch(document.date):
        return writer.finish(metadata), pages


_HEAVY = 500_000      # objects allocated since the last collection, at which a part's garbage is collected


def _collect_if_heavy() -> None:
    """With the collector paused, a long part's cyclic garbage is freed before the next part, so
    that memory is bounded by a part, not by the document."""
    if not gc.isenabled() and gc.get_count()[0] > _HEAVY:
        gc.collect()


def _metadata_document(env, document: Document, profile: Profile):
    """A WeasyPrint document of no blocks: the title, author and dates of the PDF (its head)."""
    html = env.get_template(TEMPLATE_NAME).render(doc=document, blocks=(), landscape=False, toc_pages={},
                                                  stylesheet="", typography_css="", draft_mark="")
    return _render_html_string(html, profile)


def page_numbers(document: Document, laid_out) -> dict[str, int]:
    """The printed page number of every block (its anchor) as WeasyPrint laid the pages out:
    the cover is not counted, so the 目录 is page 1 (as the stylesheet's page counter)."""
    offset = 1 if any(isinstance(b, Cover) for b in document.blocks) else 0
    pages: dict[str, int] = {}
    for index, page in enumerate(laid_out.pages):
        for anchor in page.anchors:
            pages.setdefault(anchor, index + 1 - offset)
    return pages


def render_pdf(document: Document, profile: Profile) -> PdfResult:
    """Lay the document out and write it as PDF; WeasyPrint's warnings come back with it, and
    the page each block landed on (the DOCX's 目录 shows these numbers)."""
    with capture_weasyprint_log() as log, _collector_paused():
        if PART_WISE:
            data, pages = _render_in_parts(document, profile)
        else:
            laid_out = _laid_out(document, profile)
            pages = page_numbers(document, laid_out)
            with _source_date_epoch(document.date):
                data = laid_out.write_pdf(pdf_identifier=False)
            del laid_out
    return PdfResult(data=data, warnings=log.warnings(), pages=pages)


def pdf_pages(document: Document, profile: Profile) -> dict[str, int]:
    """The page numbers alone (a DOCX rendered without its PDF still shows the PDF's 目录 numbers)."""
    if PART_WISE:       # the pages are known once laid out, and the layout is most of the cost
        return render_pdf(document, profile).pages
    with capture_weasyprint_log(), _collector_paused():
        return page_numbers(document, _laid_out(document, profile))
