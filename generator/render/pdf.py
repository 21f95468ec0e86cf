"""The PDF renderer: a :class:`~generator.document.Document` laid out by WeasyPrint.

The document is first rendered to HTML with a Jinja template (autoescaped,
``StrictUndefined``) under ``templates/html/``, then WeasyPrint lays it out
(``HTML.render()``) and writes it (``Document.write_pdf()``).  This is the only
module of the project that imports :mod:`weasyprint`.

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
import json
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import jinja2
from markupsafe import Markup
from weasyprint import HTML

from ..layout.tree import Cover, Document
from ..profiles import TEMPLATES, Profile

HTML_TEMPLATES = TEMPLATES / "html"
TEMPLATE_NAME = "document.html.j2"
STYLESHEET_NAME = "document.css"
TYPOGRAPHY_NAME = "typography.css.j2"   # the profile's Typography as CSS

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
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(_template_folders(profile)),
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


def render_html(document: Document, profile: Profile) -> str:
    """The document as one HTML page, with its stylesheet linked by file URL."""
    env = _environment(profile)
    # CSS, not HTML: rendered without HTML escaping (the font names are checked when read)
    typography = jinja2.Environment(loader=env.loader, autoescape=False, undefined=jinja2.StrictUndefined,
                                    trim_blocks=True, lstrip_blocks=True
                                    ).get_template(TYPOGRAPHY_NAME).render(t=profile.typography)
    return env.get_template(TEMPLATE_NAME).render(doc=document, stylesheet=_stylesheet(profile).as_uri(),
                                                  typography_css=Markup(typography),
                                                  draft_mark=draft_mark() if document.draft else "")


# ------------------------------------------------------------------ PDF


def _laid_out(document: Document, profile: Profile):
    html = render_html(document, profile)
    return HTML(string=html, base_url=HTML_TEMPLATES.as_uri() + "/").render()


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
    with capture_weasyprint_log() as log:
        laid_out = _laid_out(document, profile)
        with _source_date_epoch(document.date):
            data = laid_out.write_pdf(pdf_identifier=False)
    return PdfResult(data=data, warnings=log.warnings(), pages=page_numbers(document, laid_out))


def pdf_pages(document: Document, profile: Profile) -> dict[str, int]:
    """The page numbers alone (a DOCX rendered without its PDF still shows the PDF's 目录 numbers)."""
    with capture_weasyprint_log():
        return page_numbers(document, _laid_out(document, profile))
