"""A PDF written page by page as the parts of a document are laid out.

WeasyPrint's ``Document.write_pdf`` paints every page at the end, so every page's box tree
is held until then: a 600-page document held 1.9 GiB.  :class:`PageWriter` does what
WeasyPrint 70.0's ``weasyprint.pdf.generate_pdf`` does, but one page at a time: each laid
out page is painted into its content stream at once and its boxes can go, the 目录 (laid
out last, with the numbers its entries got) is moved to its place in the page tree, each
page's number is painted over it when all pages are known, and the links, outlines, fonts
and metadata are written at the end exactly as WeasyPrint writes them.

It uses WeasyPrint's internals (the Stream, the link/outline/font helpers, ``Page``'s
attributes); ``WEASYPRINT_VERSION`` in :mod:`.pdf` names the version they were read from,
pyproject.toml pins it and tests/test_render_pdf.py fails when another is installed.
Not handled, as no document of ours has them: PDF forms, attachments, PDF/A-UA variants,
tagged PDF, images other than those WeasyPrint draws itself.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pydyf
from tinycss2.color5 import D50, D65
from weasyprint import DEFAULT_OPTIONS, VERSION
from weasyprint.anchors import make_page_bookmark_tree
from weasyprint.logger import LOGGER
from weasyprint.matrix import Matrix
from weasyprint.pdf import _use_references, _w3c_date_to_pdf
from weasyprint.pdf.anchors import add_links, add_outlines
from weasyprint.pdf.fonts import build_fonts_dictionary
from weasyprint.pdf.stream import Stream

SCALE = 0.75          # PDF points per CSS pixel (72 / 96), WeasyPrint's zoom 1


@dataclass
class _Written:
    """What is kept of a page once painted: its PDF objects and the little the end needs."""

    pdf_page: pydyf.Dictionary
    stream: Stream
    height: float
    bookmarks: list
    links: list
    anchors: list = field(default_factory=list)


def _compact(stream: Stream) -> None:
    """A painted page's operators as the one bytes object pydyf would join them into when writing
    (joined again with what is painted later, the bytes are the same): thousands of small objects
    per page of a table otherwise stay in memory until the end."""
    if len(stream.stream) > 1:
        stream.stream = [b"\n".join(pydyf._to_bytes(item) for item in stream.stream)]


class PageWriter:
    def __init__(self) -> None:
        self.pdf = pydyf.PDF()
        self.fonts: dict = {}
        self.images: dict = {}
        self.color_profiles: dict = {}
        color_space = pydyf.Dictionary({
            "lab-d50": pydyf.Array(("/Lab", pydyf.Dictionary({
                "WhitePoint": pydyf.Array(D50), "Range": pydyf.Array((-125, 125, -125, 125))}))),
            "lab-d65": pydyf.Array(("/Lab", pydyf.Dictionary({
                "WhitePoint": pydyf.Array(D65), "Range": pydyf.Array((-125, 125, -125, 125))}))),
        })
        self.pdf.add_object(color_space)
        self.resources = pydyf.Dictionary({
            "ExtGState": pydyf.Dictionary(), "XObject": pydyf.Dictionary(), "Pattern": pydyf.Dictionary(),
            "Shading": pydyf.Dictionary(), "ColorSpace": color_space.reference,
        })
        self.pdf.add_object(self.resources)
        self.written: list[_Written] = []
        self._anchors: set[str] = set()

    def __len__(self) -> int:
        return len(self.written)

    def add(self, page, renamed: dict[str, str] | None = None) -> None:
        """Paint one laid-out page (a ``weasyprint.Page``) as the next page of the PDF; its anchors
        under the names ``renamed`` gives them (a reused part carries another document's ids)."""
        renamed = renamed or {}
        if any(page.forms.get(key) for key in page.forms):
            raise NotImplementedError("PDF forms are not written page by page")
        bleed = page.bleed
        width = SCALE * (page.width + bleed["left"] + bleed["right"])
        height = SCALE * (page.height + bleed["top"] + bleed["bottom"])
        left, top = -SCALE * bleed["left"], -SCALE * bleed["top"]
        right, bottom = left + width, top + height
        rectangle = (left / SCALE, top / SCALE, (right - left) / SCALE, (bottom - top) / SCALE)
        stream = Stream(self.fonts, rectangle, self.resources, self.images, None, self.color_profiles, None,
                        compress=True)
        stream.transform(d=-1, f=(page.height * SCALE))
        self.pdf.add_object(stream)
        pdf_page = pydyf.Dictionary({
            "Type": "/Page", "Parent": self.pdf.pages.reference,
            "MediaBox": pydyf.Array([left, top, right, bottom]),
            "Contents": stream.reference, "Resources": self.resources.reference,
        })
        self.pdf.add_page(pdf_page)
        page.paint(stream, SCALE)
        _compact(stream)
        trim = {side: value * 0.75 for side, value in bleed.items()}
        trim_left, trim_top = left + trim["left"], top + trim["top"]
        trim_right, trim_bottom = right - trim["right"], bottom - trim["bottom"]
        pdf_page["TrimBox"] = pydyf.Array([trim_left, trim_top, trim_right, trim_bottom])
        pdf_page["BleedBox"] = pydyf.Array([
            trim_left - min(10, trim["left"]), trim_top - min(10, trim["top"]),
            trim_right + min(10, trim["right"]), trim_bottom + min(10, trim["bottom"])])
        written = _Written(pdf_page, stream, page.height, list(page.bookmarks),
                           [(kind, renamed.get(target, target) if kind == "internal" else target, rect, box)
                            for kind, target, rect, box in page.links])
        for name, (x, y, _, _) in page.anchors.items():
            written.anchors.append((renamed.get(name, name), x, y))
        self.written.append(written)

    def paint_over(self, index: int, page) -> None:
        """Paint another laid-out page (a page number) over page ``index``."""
        page.paint(self.written[index].stream, SCALE)
        _compact(self.written[index].stream)

    def move(self, pages: range, to: int) -> None:
        """Put ``pages`` (indexes in the order added) at position ``to`` of the page tree."""
        moved = [self.written[i] for i in pages]
        rest = [w for i, w in enumerate(self.written) if i not in pages]
        self.written = rest[:to] + moved + rest[to:]
        kids = pydyf.Array()
        for w in self.written:
            kids.extend([w.pdf_page.number, 0, "R"])
        self.pdf.pages["Kids"] = kids

    def page_of_anchors(self) -> dict[str, int]:
        """Each anchor's page (0-based, in the final order); the first occurrence wins."""
        pages: dict[str, int] = {}
        for index, w in enumerate(self.written):
            for name, _, _ in w.anchors:
                pages.setdefault(name, index)
        return pages

    def finish(self, metadata) -> bytes:
        """Links, named destinations, outlines, metadata (``weasyprint.document.DocumentMetadata``),
        fonts; the PDF's bytes (no file identifier: same input, same bytes)."""
        pdf = self.pdf
        names = []
        seen: set[str] = set()
        firsts = []
        for w in self.written:                   # an anchor's first occurrence is its destination
            firsts.append([a for a in w.anchors if a[0] not in seen])
            seen.update(a[0] for a in firsts[-1])
        for w, anchors in zip(self.written, firsts):
            matrix = Matrix(SCALE, 0, 0, -SCALE, 0, w.height * SCALE)
            links = []
            for link in w.links:
                if link[0] == "internal" and link[1] not in seen:
                    LOGGER.error("No anchor #%s for internal URI reference", link[1])
                else:
                    links.append(link)
            add_links((links, anchors), matrix, pdf, w.pdf_page, names, None)

        root: list = []
        skipped: list = []
        last_by_depth = [root]
        previous = 0
        for number, w in enumerate(self.written):
            matrix = Matrix(a=SCALE, d=-SCALE, f=w.height * SCALE)
            previous = make_page_bookmark_tree(w, skipped, last_by_depth, previous, number, matrix)
        add_outlines(pdf, root)

        pdf.info["Producer"] = pydyf.String(f"WeasyPrint {VERSION}")
        if metadata.title:
            pdf.info["Title"] = pydyf.String(metadata.title)
        if metadata.authors:
            pdf.info["Author"] = pydyf.String(", ".join(metadata.authors))
        if metadata.description:
            pdf.info["Subject"] = pydyf.String(metadata.description)
        if metadata.keywords:
            pdf.info["Keywords"] = pydyf.String(", ".join(metadata.keywords))
        if metadata.generator:
            pdf.info["Creator"] = pydyf.String(metadata.generator)
        if metadata.created:
            pdf.info["CreationDate"] = pydyf.String(_w3c_date_to_pdf(metadata.created, "created"))
        if metadata.modified:
            pdf.info["ModDate"] = pydyf.String(_w3c_date_to_pdf(metadata.modified, "modified"))
        if metadata.lang:
            pdf.catalog["Lang"] = pydyf.String(metadata.lang)

        options = dict(DEFAULT_OPTIONS)
        fonts = build_fonts_dictionary(pdf, self.fonts, True, True, options)
        pdf.add_object(fonts)
        self.resources["Font"] = fonts.reference
        _use_references(pdf, self.resources, self.images, self.color_profiles)
        if names:
            array = pydyf.Array()
            for anchor in sorted(names):
                array.append(pydyf.String(anchor[0]))
                array.append(anchor[1])
            dests = pydyf.Dictionary({"Names": array})
            pdf.catalog.setdefault("Names", pydyf.Dictionary())
            pdf.catalog["Names"]["Dests"] = dests
        output = io.BytesIO()
        pdf.write(output, None, False, True)
        return output.getvalue()
