"""DOCX output: the document tree (generator/layout/tree.py) laid out in the Word template.

The template (``templates/docx/document.docx``, rebuilt by ``make_template.py`` next
to it) holds the page set-up, the named styles, the header (the 草稿 mark, drawn as
shapes) and the footer (page numbers), and the docxtpl tags that lay the blocks out in
order.  This module turns the tree into the template's context:

* headings, paragraphs, the cover and the 目录 come straight from the tree's blocks;
  the 目录 is the tree's entries, each a link to a bookmark on its target;
* each table or form is one generic piece of WordprocessingML built from its grids:
  the caption lines, every cell with its spans (gridSpan, vMerge), role, alignment and
  indent, the columns at the widths the layout decided, header rows repeated on each
  page, no row split across pages, the lines under it; wide tables sit in landscape
  sections, every section keeping the template's header and footer.

docxtpl renders the template with a slot (a processing instruction) in each table's place;
the tables' XML is written into document.xml as the file is zipped, a row at a time, so the
memory a DOCX takes does not grow with its tables (a unit of 2,000 项 rows: 28 MiB of
document.xml, never held whole).

No word or number is added here.  One Jinja environment (``autoescape=True``,
``StrictUndefined``) renders every part.  The output is byte-stable: the same tree
gives the same bytes (metadata dates come from ``Document.date``; the zip is written
with fixed timestamps in a stable member order).

This is the only module of the project that imports docxtpl or python-docx.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date as Date, datetime, timezone
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Sequence
from xml.sax.saxutils import escape

import jinja2
from docx.oxml.ns import qn
from docxtpl import DocxTemplate, Listing
from lxml import etree

from ..layout.tree import (Block, Cell, Cover, Document, Grid, Heading, Orientation, Paragraph, Table, Toc)
from ..layout.typography import DEFAULT as DEFAULT_TYPOGRAPHY, Typography, mm_twips, twips
from ..profiles import TEMPLATES, Profile, ProfileError
from . import wordstyles

TEMPLATE = TEMPLATES / "docx" / "document.docx"

#: The one Jinja environment of the DOCX renderer (docxtpl renders body, headers,
#: footers and properties with it).
JINJA = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS = {"w": _W}

# Styles of the template (w:styleId) the tables use.
S_TITLE, S_INFO, S_TEXT, S_NUMBER, S_HEAD = "TableTitle", "TableInfo", "TableText", "TableNumber", "TableHeading"
S_NOTE, S_EMPTY, S_TABLE, S_FORM_TITLE = "TableNote", "TableEmpty", "ReportTable", "FormTitle"


#: The cells whose Latin letters and digits are in the typography's Latin font (as in the PDF).
NUMBER_ROLES = ("amount", "code", "index", "rate", "score")


class RenderError(Exception):
    """A Document the template cannot lay out (an unknown block kind or table)."""


# ---------------------------------------------------------------------------
# Public entry points


def render_docx(document: Document, profile: Profile, pages: dict[str, int] | None = None) -> bytes:
    """The DOCX file of ``document`` (bytes), laid out in the profile's Word template with the
    profile's typography (the same as the PDF's).

    ``pages``: the page number of each block, as the PDF laid them out (its 目录 shows them
    when the file is first opened; the field stays a TOC field that Word and WPS update).
    A profile may name its own template (``docx_template:`` in profile.yaml, in its folder
    or a base's) for its header and footer; otherwise ``templates/docx/document.docx``.
    """
    template = template_for(profile)
    typography = profile.typography
    return render_context(docx_context(document, template, typography, pages), template, typography)


def template_for(profile: Profile) -> Path:
    name = profile.settings.get("docx_template")
    found = profile.find(name) if name else None
    return found or TEMPLATE


def docx_context(document: Document, template: Path = TEMPLATE, typography: Typography = DEFAULT_TYPOGRAPHY,
                 pages: dict[str, int] | None = None) -> dict[str, Any]:
    """The template context: metadata, the blocks in order, each table's slot (its XML is
    written when the file is zipped)."""
    page = _page_setup(str(template), template.stat().st_mtime_ns, typography)
    blocks: list[dict[str, Any]] = []
    tables: dict[str, _TableSlot] = {}
    placements = _placements(document.blocks, page)
    for block in document.blocks:
        if isinstance(block, Cover):   # the title on two lines after 年度, as the PDF's cover
            year_part, sep, rest = block.title.partition("年度")
            blocks.append({"kind": "cover", "text": Listing(f"{year_part}{sep}\n{rest}") if sep and rest else block.title})
        elif isinstance(block, Toc):
            blocks.append({"kind": "toc", "text": block.title})
        elif isinstance(block, Heading):
            blocks.append({"kind": f"h{block.level}", "text": block.text})
        elif isinstance(block, Paragraph):
            blocks.append({"kind": "item" if block.role == "item" else "p", "text": block.text})
        elif isinstance(block, Table):
            place = placements[block.id]
            tables[block.id] = _TableSlot(len(tables), block, place, page, typography,
                                          place.section_before, place.section_after)
            blocks.append({"kind": "table", "table": block.id})
        elif isinstance(block, Orientation):
            continue  # a table's placement carries the section breaks
        else:
            raise RenderError(f"未知的内容块：{type(block).__name__}")
    cover = next((b for b in document.blocks if isinstance(b, Cover)), None)
    return {
        "title": document.title,
        "unit_name": document.unit_name,
        "date": document.date,
        "cover_date": cover.date if cover else "",
        "draft": document.draft,
        "blocks": blocks,
        "tables": tables,
        "toc": _toc_targets(document, pages or {}),
        "has_cover": cover is not None,
        "page_number_before": typography.page_number_parts()[0],
        "page_number_after": typography.page_number_parts()[1],
    }


def render_context(context: dict[str, Any], template: Path = TEMPLATE,
                   typography: Typography = DEFAULT_TYPOGRAPHY) -> bytes:
    """Render ``context`` into the template; a missing field raises ``jinja2.UndefinedError``."""
    tpl = DocxTemplate(str(template))
    tpl.render(context, JINJA, autoescape=True)
    docx = tpl.docx  # (get_docx() would reload the unrendered template)
    body = docx.element.body
    slots = _Slots(body, context.get("tables", {}).values())
    if slots.misplaced:
        raise ProfileError(f"Word 模板 {template.name} 中的 {{{{p tables[b.table] }}}} 须单独成一段（表格写在这一段的位置），"
                           "不能在一段文字或一个表格之中")
    _set_styles(docx.styles.element, typography)
    _body_section(body, _page_setup(str(template), template.stat().st_mtime_ns, typography))
    _no_empty_last_section(body, slots)
    _first_page_only_in_first_section(body, slots, context.get("has_cover", True))
    _fill_toc(body, slots, context.get("toc", ()))
    stamp = _timestamp(context["date"])
    props = docx.core_properties
    props.title = context["title"]
    props.author = context["unit_name"]
    props.last_modified_by = ""
    props.comments = ""
    props.revision = 1
    props.created = props.modified = stamp
    buffer = io.BytesIO()
    tpl.save(buffer)
    return _restamp(buffer.getvalue(), stamp, slots)


# ---------------------------------------------------------------------------
# Page set-up, read from the template


@dataclass(frozen=True)
class _PageSetup:
    """The sections' properties: the template's (header and footer references) with the page
    size and margins of the profile's typography, portrait and landscape."""

    sect_pr: str          # the template's body w:sectPr (portrait), sized from the typography
    landscape_pr: str     # the same, turned landscape with the typography's landscape margins
    portrait_width: int   # text width in twips
    landscape_width: int

    def width(self, landscape: bool) -> int:
        return self.landscape_width if landscape else self.portrait_width

    def sect_pr_xml(self, landscape: bool) -> str:
        xml = self.landscape_pr if landscape else self.sect_pr
        return re.sub(r' xmlns:\w+="[^"]*"', "", xml)  # declared on w:document


def _sized(sect, width_mm, height_mm, margins_mm, footer_mm, landscape: bool) -> None:
    size, margin = sect.find("w:pgSz", _NS), sect.find("w:pgMar", _NS)
    size.set(qn("w:w"), str(mm_twips(width_mm)))
    size.set(qn("w:h"), str(mm_twips(height_mm)))
    if landscape:
        size.set(qn("w:orient"), "landscape")
    elif size.get(qn("w:orient")) is not None:
        del size.attrib[qn("w:orient")]
    top, right, bottom, left = (mm_twips(m) for m in margins_mm)
    for side, value in (("top", top), ("right", right), ("bottom", bottom), ("left", left)):
        margin.set(qn(f"w:{side}"), str(value))
    margin.set(qn("w:footer"), str(mm_twips(footer_mm)))
    margin.set(qn("w:header"), str(min(mm_twips(footer_mm), top // 2)))
    for grid in sect.findall("w:docGrid", _NS):   # exact lines: no document grid to snap to
        sect.remove(grid)


@functools.lru_cache(maxsize=8)
def _page_setup(path: str, mtime_ns: int, t: Typography = DEFAULT_TYPOGRAPHY) -> _PageSetup:
    del mtime_ns  # part of the cache key: a rebuilt template is read again
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    body_sect = root.find("w:body/w:sectPr", _NS)
    sect = copy.deepcopy(body_sect)
    for attr in list(sect.attrib):
        del sect.attrib[attr]  # rsid noise
    wide = copy.deepcopy(sect)
    _sized(sect, t.page_width_mm, t.page_height_mm, t.margins_mm, t.footer_mm, False)
    _sized(wide, t.page_height_mm, t.page_width_mm, t.landscape_margins_mm, t.landscape_footer_mm, True)
    return _PageSetup(
        sect_pr=etree.tostring(sect, encoding="unicode"),
        landscape_pr=etree.tostring(wide, encoding="unicode"),
        portrait_width=mm_twips(t.portrait_width_mm),
        landscape_width=mm_twips(t.landscape_width_mm),
    )


def _set_styles(styles, t: Typography) -> None:
    """The document's paragraph styles and defaults, written from the typography (wordstyles)."""
    for child in list(styles):
        if child.tag == qn("w:docDefaults") or (
                child.tag == qn("w:style") and child.get(qn("w:styleId")) in wordstyles.STYLE_IDS):
            styles.remove(child)
    styles.insert(0, etree.fromstring(wordstyles.doc_defaults(t)))
    for xml in wordstyles.styles(t):
        styles.append(etree.fromstring(xml))


def _body_section(body, page: _PageSetup) -> None:
    """The last (body) section sized from the typography, like every section the tables open."""
    last = body[-1]
    if last.tag == qn("w:sectPr"):
        fresh = etree.fromstring(page.sect_pr)
        body.replace(last, fresh)


# ---------------------------------------------------------------------------
# Tables: a slot in the rendered template, written into document.xml as the file is zipped

#: The processing instruction standing for a table in the rendered template.
_SLOT = "juesuan-table"


@dataclass
class _TableSlot:
    """A table of the context.  The template shows it as a processing instruction; its
    WordprocessingML is written when document.xml is zipped, a row at a time, so that a table
    of thousands of rows is never held as one string or one XML tree (docxtpl would render,
    and lxml parse, the whole document at once).

    The finishing steps that reach into a table (the sections it opens and ends, the 目录's
    bookmark on its title) set the fields below before it is written."""

    index: int
    table: Table
    place: _Placement
    page: _PageSetup
    typography: Typography
    section_before: str    # sectPr XML ending the previous section, or ""
    section_after: str     # sectPr XML ending the table's section, or "" (or moved to the body's end)
    bookmark: tuple[int, str] | None = None   # (w:id, w:name) of the 目录 bookmark on its title

    def __html__(self) -> str:   # what the template renders in the table's place
        return f"<?{_SLOT} {self.index}?>"

    def pieces(self) -> Iterator[str]:
        place = dataclasses.replace(self.place, section_before=self.section_before, section_after=self.section_after)
        return _table_block(self.table, place, self.page, self.typography, bookmark=self.bookmark)


class _Slots:
    """The table slots of a rendered body, found by their processing instructions."""

    def __init__(self, body, tables: Iterable[Any]) -> None:
        self.by_index = {str(t.index): t for t in tables if isinstance(t, _TableSlot)}
        self._at = {pi: self.by_index[pi.text] for pi in body.iter(etree.PI) if pi.target == _SLOT}
        self.misplaced = any(pi.getparent() is not body for pi in self._at)   # in a paragraph or a table
        self.table_ids = {slot.table.id for slot in self._at.values()}

    def __bool__(self) -> bool:
        return bool(self._at)

    def get(self, node) -> _TableSlot | None:
        return self._at.get(node)


def _element(xml: str):
    """A piece of WordprocessingML written without namespace declarations, parsed."""
    return etree.fromstring(f'<w:x xmlns:w="{_W}" xmlns:r="{_R}">{xml}</w:x>')[0]


def _unqualified(element) -> str:
    """An element as XML without namespace declarations (they are on w:document)."""
    return re.sub(r' xmlns:\w+="[^"]*"', "", etree.tostring(element, encoding="unicode"))


def _write_document(member: IO[bytes], xml: bytes, slots: _Slots) -> None:
    """document.xml: the rendered template, each table slot replaced by the table's XML,
    written in pieces of about a megabyte."""
    for n, piece in enumerate(re.split(rb"<\?" + _SLOT.encode() + rb" (\d+)\?>", xml)):
        if n % 2 == 0:
            member.write(piece)
            continue
        chunk: list[str] = []
        size = 0
        for text in slots.by_index[piece.decode()].pieces():
            chunk.append(text)
            size += len(text)
            if size > 1 << 20:
                member.write("".join(chunk).encode("utf-8"))
                chunk, size = [], 0
        member.write("".join(chunk).encode("utf-8"))


def _toc_targets(document: Document, pages: dict[str, int]) -> list[tuple[int, str, str, str, str]]:
    """The 目录's entries with the text of the paragraph each points to (to place its bookmark) and
    the page it is on as the PDF laid it out ("" when not known, or the 目录 prints no numbers)."""
    toc = document.toc
    if toc is None:
        return []
    numbered = toc.page_numbers
    anchors = {}
    for block in document.blocks:
        if isinstance(block, Heading):
            anchors[block.id] = block.text
        elif isinstance(block, Table):
            anchors[block.id] = block.title
    return [(entry.level, entry.text, anchors.get(entry.target, entry.text),
             str(pages[entry.target]) if numbered and entry.target in pages else "", entry.target)
            for entry in toc.entries]


def _paragraph_text(para) -> str:
    return "".join(t.text or "" for t in para.iter(qn("w:t"))).strip()


def _fill_toc(body, slots: _Slots, entries) -> None:
    """Put the tree's 目录 entries in the TOC field's result, each a link to a bookmark on its target.

    The targets are found in document order: a table's or form's is the title of its slot; a
    heading's is the next paragraph after the previous entry's with that text.  Each entry shows
    its page number as the PDF laid it out (a PAGEREF field's result), so the 目录 has its
    numbers when the file is first opened, in LibreOffice as in Word and WPS; the whole stays
    a TOC field (右键 → 更新域 rebuilds it from the DOCX's own pages).
    """
    instr = next((i for i in body.iter(qn("w:instrText")) if i.text and i.text.split()[:1] == ["TOC"]), None)
    if instr is None or not entries:
        return
    toc_para = next(a for a in instr.iterancestors(qn("w:p")))
    nodes = [p for p in body.iter(qn("w:p"), etree.PI) if p is not toc_para and (p.tag == qn("w:p") or slots.get(p))]
    first_id = 1 + max((int(b.get(qn("w:id"))) for b in body.iter(qn("w:bookmarkStart"))), default=0)
    position = 0
    names = []
    for k, (_, _, anchor, _, target) in enumerate(entries):
        name = f"_Toc{k + 1:06d}"
        names.append(name)
        for at in range(position, len(nodes)):
            slot = slots.get(nodes[at])
            if target in slots.table_ids:
                if slot and slot.table.id == target:
                    slot.bookmark = (first_id + k, name)
                    position = at + 1
                    break
            elif not slot and _paragraph_text(nodes[at]).replace("\n", "") == anchor.replace("\n", ""):
                para = nodes[at]
                start = etree.SubElement(para, qn("w:bookmarkStart"), {qn("w:id"): str(first_id + k), qn("w:name"): name})
                para.remove(start)
                ppr = para.find("w:pPr", _NS)
                para.insert(0 if ppr is None else para.index(ppr) + 1, start)
                etree.SubElement(para, qn("w:bookmarkEnd"), {qn("w:id"): str(first_id + k)})
                position = at + 1
                break
    field = ""  # the field's start: its runs up to the separator
    for run in toc_para.findall("w:r", _NS):
        field += etree.tostring(run, encoding="unicode")
        if run.find("w:fldChar[@w:fldCharType='separate']", _NS) is not None:
            break
    parts = []
    for k, ((level, text, _, page_number, _), name) in enumerate(zip(entries, names)):
        runs = field if k == 0 else ""
        number = ""
        if page_number:   # … the page, as a PAGEREF field whose result is the PDF's page number
            number = ('<w:r><w:tab/></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                      f'<w:r><w:instrText xml:space="preserve"> PAGEREF {name} \\h </w:instrText></w:r>'
                      '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                      f'{_run(page_number)}<w:r><w:fldChar w:fldCharType="end"/></w:r>')
        runs += f'<w:hyperlink w:anchor="{name}" w:history="1">{_run(text, breaks=False)}{number}</w:hyperlink>'
        if k == len(entries) - 1:
            runs += '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        parts.append(f'<w:p xmlns:w="{_W}"><w:pPr><w:pStyle w:val="TOC{level}"/></w:pPr>{runs}</w:p>')
    parent = toc_para.getparent()
    index = parent.index(toc_para)
    parent.remove(toc_para)
    for offset, xml in enumerate(parts):
        parent.insert(index + offset, etree.fromstring(xml))


def _no_empty_last_section(body, slots: _Slots) -> None:
    """A document ending on a landscape table ends in its section, not in an empty portrait one."""
    last = body[-1]
    if last.tag != qn("w:sectPr") or len(body) < 2:
        return
    slot = slots.get(body[-2])
    if slot is not None:
        if slot.section_after:
            body.replace(last, _element(slot.section_after))
            slot.section_after = ""
        return
    ppr = body[-2].find("w:pPr", _NS) if body[-2].tag == qn("w:p") else None
    sect = ppr.find("w:sectPr", _NS) if ppr is not None else None
    if sect is not None:
        ppr.remove(sect)
        body.replace(last, sect)


def _first_page_only_in_first_section(body, slots: _Slots, cover: bool = True) -> None:
    """Only the cover's section has a distinct first page (no page number on the cover), and
    the cover is page 0, so that the 目录 is page 1 as in the PDF; without a cover, no page is
    set apart.  The sections are taken in document order, those a table opens or ends included."""
    index = 0
    for node in body.iter(qn("w:sectPr"), etree.PI):
        slot = slots.get(node)
        if slot is None:
            if node.tag == qn("w:sectPr"):
                _first_page_only_here(node, index == 0 and cover)
                index += 1
            continue
        for field in ("section_before", "section_after"):
            if getattr(slot, field):
                sect = _element(getattr(slot, field))
                _first_page_only_here(sect, index == 0 and cover)
                setattr(slot, field, _unqualified(sect))
                index += 1


def _first_page_only_here(sect, first: bool) -> None:
    """The cover's section (``first``) numbered from 0; any other without a distinct first page."""
    if first:
        margin = sect.find("w:pgMar", _NS)
        margin.addnext(etree.fromstring(f'<w:pgNumType xmlns:w="{_W}" w:start="0"/>'))
        return
    for element in list(sect):
        if element.tag == qn("w:titlePg") or (
            element.tag in (qn("w:headerReference"), qn("w:footerReference"))
            and element.get(qn("w:type")) == "first"
        ):
            sect.remove(element)


# ---------------------------------------------------------------------------
# Determinism


def _timestamp(iso: str) -> datetime:
    d = Date.fromisoformat(iso)
    return datetime(d.year, d.month, d.day, tzinfo=timezone.utc)


def _restamp(data: bytes, stamp: datetime, slots: _Slots | None = None) -> bytes:
    """Re-zip with every member dated ``stamp``, ``[Content_Types].xml`` first, the rest sorted;
    the tables written into document.xml in their slots."""
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in sorted(zin.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            if name == "word/document.xml" and slots:
                with zout.open(info, "w") as member:
                    _write_document(member, zin.read(name), slots)
            else:
                zout.writestr(info, zin.read(name))
    return out.getvalue()


# ---------------------------------------------------------------------------
# WordprocessingML pieces

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _line_ends(text: str) -> str:
    """Every line end as "\\n" (as an XML parser reads CR LF and CR)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _text(value: Any) -> str:
    """Text for a w:t: escaped, without the characters XML cannot hold, line ends as "\\n"."""
    return escape(_INVALID_XML.sub("", _line_ends(str(value))))


def _para(text: str = "", style: str = S_TEXT, *, jc: str | None = None, indent_chars: int = 0,
          bold: bool = False, page_break: bool = False, tabs: str = "", sect: str = "",
          runs: str | None = None, keep: bool = False, size: int | None = None, line: int | None = None,
          bookmark: tuple[int, str] | None = None) -> str:
    """A paragraph; its properties in schema order (pStyle, keepNext, pageBreakBefore, tabs, spacing
    (``line``: an exact line height in twips), ind, jc, rPr of the paragraph mark (``size``), sectPr);
    ``bookmark`` (w:id, w:name) around its runs."""
    props = [f'<w:pStyle w:val="{style}"/>']
    if keep:
        props.append("<w:keepNext/>")
    if page_break:
        props.append("<w:pageBreakBefore/>")
    if tabs:
        props.append(tabs)
    if line:
        props.append(f'<w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="exact"/>')
    if indent_chars:
        props.append(f'<w:ind w:leftChars="{indent_chars * 100}" w:left="{indent_chars * 210}"/>')
    if jc:
        props.append(f'<w:jc w:val="{jc}"/>')
    if size:
        props.append(f'<w:rPr><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>')
    props.append(sect)
    if runs is None:
        runs = _run(text, bold=bold) if text else ""
    if bookmark:
        number, name = bookmark
        runs = f'<w:bookmarkStart w:id="{number}" w:name="{name}"/>{runs}<w:bookmarkEnd w:id="{number}"/>'
    return f"<w:p><w:pPr>{''.join(props)}</w:pPr>{runs}</w:p>"


def _run(text: str, *, bold: bool = False, size: int | None = None, fonts: str = "", breaks: bool = True) -> str:
    """A run of text; ``size`` in half-points overrides the paragraph style's, ``fonts`` (a
    w:rFonts element) its fonts.  With ``breaks``, a line end in the text is a line break
    (w:br) and a tab a tab (w:tab), as docxtpl writes them in the template's own text."""
    props = fonts + ("<w:b/><w:bCs/>" if bold else "") + (f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>' if size else "")
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    body = _text(text)
    if breaks:
        body = (body.replace("\t", f'</w:t></w:r><w:r>{rpr}<w:tab/></w:r><w:r>{rpr}<w:t xml:space="preserve">')
                .replace("\n", '</w:t><w:br/><w:t xml:space="preserve">'))
    return f'<w:r>{rpr}<w:t xml:space="preserve">{body}</w:t></w:r>'.replace(
        '<w:t xml:space="preserve"></w:t>', '<w:t xml:space="preserve"/>')


def _cell_xml(cell: Cell, width: int, size: int | None, *, keep: bool = False, nowrap: bool = False,
              continued: bool = False, colspan: int = 1, line: int | None = None, strong_font: str = "黑体") -> str:
    """One ``w:tc``: a cell of the tree, or (``continued``) the slot a cell spanning rows covers."""
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if colspan > 1:
        props.append(f'<w:gridSpan w:val="{colspan}"/>')
    if continued:
        props.append("<w:vMerge/>")
    elif cell.rowspan > 1:
        props.append('<w:vMerge w:val="restart"/>')
    if cell.open:
        props.append(f'<w:tcBorders><w:{cell.open} w:val="nil"/></w:tcBorders>')
    if nowrap:
        props.append("<w:noWrap/>")
    props.append('<w:vAlign w:val="center"/>')
    style = S_HEAD if cell.role == "header" else S_NUMBER if cell.role in NUMBER_ROLES else S_TEXT
    text = "" if continued else cell.text
    fonts = ""
    if cell.strong and cell.role != "header":   # a total or group row: the heading font, as in the PDF
        fonts = (f'<w:rFonts w:eastAsia="{strong_font}"/>' if style == S_NUMBER else
                 f'<w:rFonts w:ascii="{strong_font}" w:hAnsi="{strong_font}" w:eastAsia="{strong_font}"/>')
    runs = "<w:r><w:br/></w:r>".join(_run(line, size=size, fonts=fonts)
                                     for line in _line_ends(text).split("\n")) if text else ""
    jc = {"left": "left", "center": "center", "right": "right"}[cell.alignment]
    body = _para(style=style, jc=jc, indent_chars=0 if continued else cell.indent, runs=runs, keep=keep, size=size,
                 line=line)
    return f"<w:tc><w:tcPr>{''.join(props)}</w:tcPr>{body}</w:tc>"


def _grid_xml(grid: Grid, width: int, size: int | None, *, line: int, padding: tuple[int, int],
              keep_all: bool = False, last: bool = True, strong_font: str = "黑体") -> Iterator[str]:
    """A grid as ``w:tbl``, a row at a time: the columns at the layout's widths, header rows repeated on each page,
    rows never split, exact lines and the typography's cell padding (``padding``: top/bottom and
    left/right, twips); a cell spanning rows continues (``vMerge``) in the rows below.  The row
    before the last is kept with it (``last``), so a table's last row (合计, 总分) never stands
    alone on a page, as in the PDF."""
    shares = [c.width for c in grid.columns]
    widths = [int(width * share / 100) for share in shares]
    widths[max(range(len(widths)), key=lambda i: widths[i])] += width - sum(widths)
    rows = grid.rows
    cells_placed = grid.placed()
    pending = next(cells_placed, None)
    covering: dict[int, dict[int, Cell]] = {}   # row → column → the cell spanning into it from above
    vertical, horizontal = padding
    yield (f'<w:tbl><w:tblPr><w:tblStyle w:val="{S_TABLE}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
           '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
           f'<w:tblCellMar><w:top w:w="{vertical}" w:type="dxa"/><w:left w:w="{horizontal}" w:type="dxa"/>'
           f'<w:bottom w:w="{vertical}" w:type="dxa"/><w:right w:w="{horizontal}" w:type="dxa"/></w:tblCellMar>'
           '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
           'w:noHBand="1" w:noVBand="1"/></w:tblPr>'
           f"<w:tblGrid>{''.join(f'<w:gridCol w:w={chr(34)}{w}{chr(34)}/>' for w in widths)}</w:tblGrid>")
    keep = keep_all or grid.keep_together
    for r in range(len(rows)):
        placed: dict[int, Cell] = {}
        while pending is not None and pending[0] == r:
            _, c, cell = pending
            placed[c] = cell
            for dr in range(1, cell.rowspan):
                covering.setdefault(r + dr, {})[c] = cell
            pending = next(cells_placed, None)
        above = covering.pop(r, {})
        cells = []
        c = 0
        kept = (keep and r < len(rows) - 1) or (last and r == len(rows) - 2 and len(rows) > 2)
        while c < len(widths):
            cell = placed.get(c)
            if cell is not None:
                span = cell.colspan
                cells.append(_cell_xml(cell, sum(widths[c:c + span]), size, keep=kept,
                                       nowrap=grid.columns[c].nowrap and span == 1, colspan=span, line=line,
                                       strong_font=strong_font))
            elif c in above:
                span = above[c].colspan
                cells.append(_cell_xml(above[c], sum(widths[c:c + span]), size, continued=True, colspan=span,
                                       keep=kept, line=line))
            else:
                raise RenderError(f"表格第{r + 1}行第{c + 1}列没有单元格")
            c += span
        trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if r < len(grid.header) else "")
        yield f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(cells)}</w:tr>"
    yield "</w:tbl>"


@dataclass(frozen=True)
class _Placement:
    """Where a table block sits: its orientation and what comes before and after it."""

    landscape: bool
    break_before: str    # "" / "page" / "section": how the table starts
    section_before: str  # sectPr XML ending the previous section, or ""
    section_after: str   # sectPr XML ending this table's section, or ""


def _placements(blocks: Sequence[Block], page: _PageSetup) -> dict[str, _Placement]:
    """Each table's orientation and the page or section break before and after it."""
    shown = [b for b in blocks if not isinstance(b, Orientation)]
    orientation = [isinstance(b, Table) and b.landscape for b in shown]
    result: dict[str, _Placement] = {}
    for i, block in enumerate(shown):
        if not isinstance(block, Table):
            continue
        here = orientation[i]
        before = orientation[i - 1] if i > 0 else False
        after = orientation[i + 1] if i + 1 < len(shown) else False
        previous = shown[i - 1] if i > 0 else None
        if before != here:
            start = "section"
        elif isinstance(previous, (Heading, Cover)):
            start = ""
        else:
            start = "page"
        result[block.id] = _Placement(
            landscape=here,
            break_before=start,
            # A table ends its own section; after text, an empty paragraph ends the previous one.
            section_before=page.sect_pr_xml(before) if before != here and not isinstance(previous, Table) else "",
            section_after=page.sect_pr_xml(here) if after != here else "",
        )
    return result


def _thin_para(sect: str = "") -> str:
    """An empty 1 pt paragraph: it ends a section (``sect``) or keeps two tables apart
    (adjacent tables would be joined into one by Word)."""
    keep = "" if sect else "<w:keepNext/>"
    return (f'<w:p><w:pPr>{keep}<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
            '<w:ind w:firstLineChars="0" w:firstLine="0"/><w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>'
            f'{sect}</w:pPr></w:p>')


def _table_block(table: Table, place: _Placement, page: _PageSetup, t: Typography = DEFAULT_TYPOGRAPHY,
                 bookmark: tuple[int, str] | None = None) -> Iterator[str]:
    """A 决算表 (title, 表号, 部门 and 金额单位, its grid, 说明, 注) or a 绩效 form (title, 金额单位,
    stacked grids, 等级), placed in its section, in the typography's sizes, lines and padding, as
    pieces of XML (a grid's a row at a time); ``bookmark`` (the 目录's) on its title."""
    width = page.width(place.landscape)
    if place.section_before:
        yield _thin_para(place.section_before)
    breaks = place.break_before == "page"
    if table.kind == "form":
        if table.title:
            yield _para(table.title, S_FORM_TITLE, page_break=breaks, keep=True, bookmark=bookmark)
        yield _para(table.unit, S_INFO, jc="right", page_break=breaks and not table.title, keep=True,
                    bookmark=None if table.title else bookmark)
        points = t.form.size
        line = wordstyles.cell_line(t, points, form=True)
        padding = t.form_padding_pt
    else:
        yield _para(table.title, S_TITLE, page_break=breaks, keep=True, bookmark=bookmark)
        if table.label:
            yield _para(table.label, S_INFO, jc="right", keep=True)
        yield _para(runs=_run(table.owner) + "<w:r><w:tab/></w:r>" + _run(table.unit), style=S_INFO,
                    tabs=f'<w:tabs><w:tab w:val="right" w:pos="{width}"/></w:tabs>', keep=True)
        points = table.font_size or t.table.size
        line = wordstyles.cell_line(t, points, compact=table.compact)
        padding = t.compact_padding_pt if table.compact else t.cell_padding_pt
    size = int((points * 2).to_integral_value())
    cell_padding = (twips(padding[0]), twips(padding[1]))
    for n, grid in enumerate(table.grids):
        if n:
            yield _thin_para()
        yield from _grid_xml(grid, width, size, line=line, padding=cell_padding, strong_font=t.table_header_font)
    after: list[tuple[str, str, int, str]] = []
    if table.empty:
        after.append((table.empty, S_EMPTY, 0, ""))
    for n, note in enumerate(table.notes):
        after.append((note, S_NOTE, 2 if n else 0, ""))
    if table.closing:
        after.append((table.closing, S_NOTE, 0, "right"))
    if not after:
        after.append(("", S_NOTE, 0, ""))
    for n, (text, style, indent, jc) in enumerate(after):
        sect = place.section_after if n == len(after) - 1 else ""
        yield _para(text, style, indent_chars=indent, jc=jc or None, sect=sect)
