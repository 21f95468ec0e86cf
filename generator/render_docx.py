"""DOCX output: the :class:`~generator.document.Document` laid out in the Word template.

The template (``templates/docx/document.docx``, rebuilt by ``make_template.py``
next to it) holds the page set-up, the named styles, the header (the 草稿 mark)
and the footer (page numbers), and the docxtpl tags that lay the blocks out in
order.  This module builds the template context and renders it with docxtpl:

* headings, paragraphs, the cover and the 目录 come straight from the blocks;
* each 决算表 (公开01表 …) is built here as WordprocessingML: title, 公开NN表,
  部门/金额单位 line, the table with its merged multi-level header, 栏次 (and 行次)
  row, repeated header rows, the 注 lines and the empty-table statement; wide
  tables sit in landscape sections (a section break before and after each run of
  them), every section keeping the template's header and footer.

One Jinja environment (``autoescape=True``, ``StrictUndefined``) renders every
part, so a missing field is an error and never a blank cell, and text with
``& < >`` is escaped.  The output is byte-stable: the same Document gives the same
bytes (metadata dates come from ``Document.date``; the zip is written with fixed
timestamps in a stable member order).

This is the only module of the project that imports docxtpl or python-docx.
"""

from __future__ import annotations

import copy
import functools
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date as Date, datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Sequence
from xml.sax.saxutils import escape

import jinja2
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from lxml import etree
from markupsafe import Markup

from .document import Document, TableSpec
from .profiles import TEMPLATES, Profile

TEMPLATE = TEMPLATES / "docx" / "document.docx"

#: The one Jinja environment of the DOCX renderer (docxtpl renders body, headers,
#: footers and properties with it).
JINJA = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)

BLOCK_KINDS = frozenset({"cover", "toc", "h1", "h2", "h3", "p", "table"})

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W}

#: Landscape pages (wide tables): 2.5 cm margins all round, to give the columns room.
LANDSCAPE_MARGIN = 1418  # twips

# Styles of the template (w:styleId) the tables use.
S_TITLE, S_INFO, S_TEXT, S_NUMBER, S_HEAD = "TableTitle", "TableInfo", "TableText", "TableNumber", "TableHeading"
S_NOTE, S_EMPTY, S_TABLE = "TableNote", "TableEmpty", "ReportTable"

#: Column groups of the functional tables' two-level headers: (group title, member
#: columns).  Columns not in a group span both header rows; SUB_LABELS shortens a
#: member's label under its group.
COLUMN_GROUPS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "t05": (("本年支出", ("小计", "基本支出", "项目支出")),),
    "t07": (("本年支出", ("本年支出小计", "基本支出", "项目支出")),),
    "t08": (("本年支出", ("合计", "基本支出", "项目支出")),),
}
SUB_LABELS = {"本年支出小计": "小计"}

#: 公开09表 columns, each side (预算数, 决算数).
T09_GROUP = "公务用车购置及运行维护费"
T09_COLUMNS = ("合计", "因公出国（境）费", "小计", "公务用车购置费", "公务用车运行维护费", "公务接待费")

LEVEL_INDENT = {"类": 0, "款": 1, "项": 2}  # characters

#: Where a long column header breaks when its column is too narrow for one line.
HEADER_BREAKS = {
    "本年收入合计": "本年收入\n合计", "本年支出合计": "本年支出\n合计", "财政拨款收入": "财政拨款\n收入",
    "上级补助收入": "上级补助\n收入", "附属单位上缴收入": "附属单位\n上缴收入", "上缴上级支出": "上缴上级\n支出",
    "对附属单位补助支出": "对附属单位\n补助支出", "年初结转和结余": "年初结转\n和结余",
    "年末结转和结余": "年末结转\n和结余", "一般公共预算财政拨款": "一般公共预算\n财政拨款",
    "政府性基金预算财政拨款": "政府性基金预算\n财政拨款", "国有资本经营预算财政拨款": "国有资本经营预算\n财政拨款",
    "因公出国（境）费": "因公出国\n（境）费", "公务用车购置费": "公务用车\n购置费",
    "公务用车运行维护费": "公务用车\n运行维护费", "公务接待费": "公务\n接待费", "科目代码": "科目\n代码",
}

CELL_MARGIN = 57  # twips, left and right of each cell


class RenderError(Exception):
    """A Document the template cannot lay out (an unknown block kind or table)."""


# ---------------------------------------------------------------------------
# Public entry points


def render_docx(document: Document, profile: Profile) -> bytes:
    """The DOCX file of ``document`` (bytes), laid out in the profile's Word template.

    A profile may name its own template (``docx_template:`` in profile.yaml, relative
    to the profile's folder); otherwise ``templates/docx/document.docx`` is used.
    """
    template = template_for(profile)
    return render_context(docx_context(document, template), template)


def template_for(profile: Profile) -> Path:
    name = profile.settings.get("docx_template")
    return profile.folder / name if name else TEMPLATE


def docx_context(document: Document, template: Path = TEMPLATE) -> dict[str, Any]:
    """The template context: metadata, the blocks in order, each table's WordprocessingML."""
    for block in document.blocks:
        if block.kind not in BLOCK_KINDS:
            raise RenderError(f"未知的内容块类型：{block.kind!r}")
    page = _page_setup(str(template), template.stat().st_mtime_ns)
    return {
        "title": document.title,
        "unit_name": document.unit_name,
        "date": document.date,
        "cover_date": chinese_date(document.date),
        "draft": document.draft,
        "blocks": list(document.blocks),
        "tables": _tables(document, page),
    }


def render_context(context: dict[str, Any], template: Path = TEMPLATE) -> bytes:
    """Render ``context`` into the template; a missing field raises ``jinja2.UndefinedError``."""
    tpl = DocxTemplate(str(template))
    tpl.render(context, JINJA, autoescape=True)
    docx = tpl.docx  # (get_docx() would reload the unrendered template)
    _no_empty_last_section(docx.element.body)
    _first_page_only_in_first_section(docx.element.body)
    _fill_toc(docx.element.body, docx.styles.element)
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
    return _restamp(buffer.getvalue(), stamp)


def chinese_date(iso: str) -> str:
    """``2025-06-30`` → ``2025年6月30日``."""
    d = Date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"


# ---------------------------------------------------------------------------
# Page set-up, read from the template


@dataclass(frozen=True)
class _PageSetup:
    """The template's section properties: portrait as set there, landscape derived."""

    sect_pr: str          # the template's body w:sectPr (portrait), with header/footer references
    portrait_width: int   # text width in twips
    landscape_width: int

    def width(self, landscape: bool) -> int:
        return self.landscape_width if landscape else self.portrait_width

    def sect_pr_xml(self, landscape: bool) -> str:
        element = etree.fromstring(self.sect_pr)
        if landscape:
            size = element.find("w:pgSz", _NS)
            w, h = size.get(qn("w:w")), size.get(qn("w:h"))
            size.set(qn("w:w"), max(w, h, key=int))
            size.set(qn("w:h"), min(w, h, key=int))
            size.set(qn("w:orient"), "landscape")
            margin = element.find("w:pgMar", _NS)
            for side in ("top", "bottom", "left", "right"):
                margin.set(qn(f"w:{side}"), str(LANDSCAPE_MARGIN))
            for edge in ("header", "footer"):  # header and footer inside the narrower margins
                margin.set(qn(f"w:{edge}"), str(min(int(margin.get(qn(f"w:{edge}"))), LANDSCAPE_MARGIN * 3 // 5)))
        xml = etree.tostring(element, encoding="unicode")
        return re.sub(r' xmlns:\w+="[^"]*"', "", xml)  # declared on w:document


@functools.lru_cache(maxsize=4)
def _page_setup(path: str, mtime_ns: int) -> _PageSetup:
    del mtime_ns  # part of the cache key: a rebuilt template is read again
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    body_sect = root.find("w:body/w:sectPr", _NS)
    sect = copy.deepcopy(body_sect)
    for attr in list(sect.attrib):
        del sect.attrib[attr]  # rsid noise
    size, margin = sect.find("w:pgSz", _NS), sect.find("w:pgMar", _NS)
    w, h = int(size.get(qn("w:w"))), int(size.get(qn("w:h")))
    left, right = int(margin.get(qn("w:left"))), int(margin.get(qn("w:right")))
    return _PageSetup(
        sect_pr=etree.tostring(sect, encoding="unicode"),
        portrait_width=min(w, h) - left - right,
        landscape_width=max(w, h) - 2 * LANDSCAPE_MARGIN,
    )


TOC_LEVELS = 3  # \o "1-3"


def _outline_levels(styles) -> dict[str, int]:
    """styleId → outline level (0-based) of the paragraph styles that carry one (through basedOn)."""
    own: dict[str, int | None] = {}
    parent: dict[str, str] = {}
    for style in styles.iter(qn("w:style")):
        sid = style.get(qn("w:styleId"))
        level = style.find("w:pPr/w:outlineLvl", _NS)
        own[sid] = int(level.get(qn("w:val"))) if level is not None else None
        based = style.find("w:basedOn", _NS)
        if based is not None:
            parent[sid] = based.get(qn("w:val"))
    result = {}
    for sid in own:
        seen, cur = set(), sid
        while cur is not None and cur not in seen and own.get(cur) is None:
            seen.add(cur)
            cur = parent.get(cur)
        level = own.get(cur) if cur is not None else None
        if level is not None and level < 9:
            result[sid] = level
    return result


def _fill_toc(body, styles) -> None:
    """Bookmark every heading and put the 目录 entries in the TOC field's result.

    Word and WPS rebuild the field, with page numbers, when the file opens
    (``w:updateFields``).  The entries written here, each a link to its heading, are
    what a reader sees before that and in LibreOffice, which shows a TOC field's last
    result as it is (page numbers cannot be known before the pages are laid out).
    """
    instr = next((i for i in body.iter(qn("w:instrText")) if i.text and i.text.split()[:1] == ["TOC"]), None)
    if instr is None:
        return
    toc_para = next(a for a in instr.iterancestors(qn("w:p")))
    levels = _outline_levels(styles)
    first_id = 1 + max((int(b.get(qn("w:id"))) for b in body.iter(qn("w:bookmarkStart"))), default=0)
    entries = []
    for para in body.iter(qn("w:p")):
        style = para.find("w:pPr/w:pStyle", _NS)
        level = levels.get(style.get(qn("w:val"))) if style is not None else None
        if level is None or level >= TOC_LEVELS or para is toc_para:
            continue
        text = "".join(t.text or "" for t in para.iter(qn("w:t"))).strip()
        if not text:
            continue
        number = first_id + len(entries)
        name = f"_Toc{len(entries) + 1:06d}"
        start = etree.SubElement(para, qn("w:bookmarkStart"), {qn("w:id"): str(number), qn("w:name"): name})
        ppr = para.find("w:pPr", _NS)
        para.remove(start)
        para.insert(0 if ppr is None else para.index(ppr) + 1, start)
        etree.SubElement(para, qn("w:bookmarkEnd"), {qn("w:id"): str(number)})
        entries.append((level, text, name))
    if not entries:
        return
    field = ""  # the field's start: its runs up to the separator
    for run in toc_para.findall("w:r", _NS):
        field += etree.tostring(run, encoding="unicode")
        if run.find("w:fldChar[@w:fldCharType='separate']", _NS) is not None:
            break
    paragraphs = []
    for k, (level, text, name) in enumerate(entries):
        runs = field if k == 0 else ""
        runs += f'<w:hyperlink w:anchor="{name}" w:history="1">{_run(text)}</w:hyperlink>'
        if k == len(entries) - 1:
            runs += '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        paragraphs.append(f'<w:p xmlns:w="{_W}"><w:pPr><w:pStyle w:val="TOC{level + 1}"/></w:pPr>{runs}</w:p>')
    parent = toc_para.getparent()
    index = parent.index(toc_para)
    parent.remove(toc_para)
    for offset, xml in enumerate(paragraphs):
        parent.insert(index + offset, etree.fromstring(xml))


def _no_empty_last_section(body) -> None:
    """A document ending on a landscape table ends in its section, not in an empty portrait one."""
    last = body[-1]
    if last.tag != qn("w:sectPr") or len(body) < 2:
        return
    ppr = body[-2].find("w:pPr", _NS) if body[-2].tag == qn("w:p") else None
    sect = ppr.find("w:sectPr", _NS) if ppr is not None else None
    if sect is not None:
        ppr.remove(sect)
        body.replace(last, sect)


def _first_page_only_in_first_section(body) -> None:
    """Only the cover's section has a distinct first page (no page number on the cover)."""
    for index, sect in enumerate(body.iter(qn("w:sectPr"))):
        if index == 0:
            continue
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


def _restamp(data: bytes, stamp: datetime) -> bytes:
    """Re-zip with every member dated ``stamp``, ``[Content_Types].xml`` first, the rest sorted."""
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in sorted(zin.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, zin.read(name))
    return out.getvalue()


# ---------------------------------------------------------------------------
# WordprocessingML pieces

_INVALID_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value: Any) -> str:
    return escape(_INVALID_XML.sub("", str(value)))


def _para(text: str = "", style: str = S_TEXT, *, jc: str | None = None, indent_chars: int = 0,
          bold: bool = False, page_break: bool = False, tabs: str = "", sect: str = "",
          runs: str | None = None) -> str:
    """A paragraph; its properties in schema order (pStyle, pageBreakBefore, tabs, ind, jc, sectPr)."""
    props = [f'<w:pStyle w:val="{style}"/>']
    if page_break:
        props.append("<w:pageBreakBefore/>")
    if tabs:
        props.append(tabs)
    if indent_chars:
        props.append(f'<w:ind w:leftChars="{indent_chars * 100}" w:left="{indent_chars * 210}"/>')
    if jc:
        props.append(f'<w:jc w:val="{jc}"/>')
    props.append(sect)
    if runs is None:
        runs = _run(text, bold=bold) if text else ""
    return f"<w:p><w:pPr>{''.join(props)}</w:pPr>{runs}</w:p>"


def _run(text: str, *, bold: bool = False) -> str:
    rpr = "<w:rPr><w:b/><w:bCs/></w:rPr>" if bold else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{_text(text)}</w:t></w:r>'


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, style and place in the grid."""

    text: str = ""
    style: str = S_TEXT
    span: int = 1
    merge: str = ""       # "" / "restart" / "continue" (vertical merge)
    jc: str | None = None
    indent: int = 0
    bold: bool = False


def head(text: str, span: int = 1, merge: str = "") -> Cell:
    return Cell(text, S_HEAD, span, merge)


def num(text: str) -> Cell:
    return Cell(text, S_NUMBER)


def label(text: str, indent: int = 0, *, bold: bool = False, jc: str | None = None, span: int = 1) -> Cell:
    return Cell(text, S_TEXT, span, indent=indent, bold=bold, jc=jc)


def centre(text: str, span: int = 1, *, bold: bool = False) -> Cell:
    return Cell(text, S_TEXT, span, jc="center", bold=bold)


def _cell_xml(cell: Cell, width: int) -> str:
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if cell.span > 1:
        props.append(f'<w:gridSpan w:val="{cell.span}"/>')
    if cell.merge == "restart":
        props.append('<w:vMerge w:val="restart"/>')
    elif cell.merge == "continue":
        props.append("<w:vMerge/>")
    props.append('<w:vAlign w:val="center"/>')
    text = "" if cell.merge == "continue" else cell.text
    if cell.style == S_HEAD and _measure(text) > width:
        text = HEADER_BREAKS.get(text, text)
    runs = "<w:r><w:br/></w:r>".join(_run(line, bold=cell.bold) for line in text.split("\n")) if text else ""
    body = _para(style=cell.style, jc=cell.jc, indent_chars=cell.indent, runs=runs)
    return f"<w:tc><w:tcPr>{''.join(props)}</w:tcPr>{body}</w:tc>"


def _table_xml(widths: Sequence[int], header: Sequence[Sequence[Cell]], rows: Iterable[Sequence[Cell]]) -> str:
    """A grid table: header rows repeat on each page, no row splits across pages."""
    total = sum(widths)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    out = [f'<w:tbl><w:tblPr><w:tblStyle w:val="{S_TABLE}"/><w:tblW w:w="{total}" w:type="dxa"/>'
           '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
           f'<w:tblCellMar><w:left w:w="{CELL_MARGIN}" w:type="dxa"/><w:right w:w="{CELL_MARGIN}" w:type="dxa"/>'
           '</w:tblCellMar>'
           '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
           'w:noHBand="1" w:noVBand="1"/></w:tblPr>'
           f"<w:tblGrid>{grid}</w:tblGrid>"]
    for is_header, row in [(True, r) for r in header] + [(False, r) for r in rows]:
        column = 0
        cells = []
        for cell in row:
            cells.append(_cell_xml(cell, sum(widths[column:column + cell.span])))
            column += cell.span
        if column != len(widths):
            raise RenderError(f"表格行的列数 {column} ≠ {len(widths)}")
        trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if is_header else "")
        out.append(f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(cells)}</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


#: Text widths for column sizing, in twips at the table text size (10.5 pt): a CJK
#: character is one em; Latin and digits are sized for the widest common substitute
#: (DejaVu Serif, 0.64 em) so a 7-digit code never wraps, in Word or LibreOffice.
CJK_WIDTH, LATIN_WIDTH = 210, 135
CELL_PADDING = 2 * CELL_MARGIN + 100  # and some slack for the substitute fonts' metrics


def _measure(text: str, indent: int = 0) -> int:
    """The width a line of ``text`` needs in a cell (twips)."""
    chars = sum(LATIN_WIDTH if ord(c) < 0x2E80 else CJK_WIDTH for c in text)
    return chars + indent * CJK_WIDTH + CELL_PADDING


def _header_need(text: str) -> int:
    """A long header may take two lines: the width of its longest line when broken."""
    return max(_measure(line) for line in HEADER_BREAKS.get(text, text).split("\n"))


def _fit(needs: Sequence[int], flexible: Sequence[bool], width: int) -> list[int]:
    """Column widths summing exactly to ``width``: every column gets what it needs when
    the page allows (the surplus going mostly to the flexible, text columns); otherwise
    the flexible columns shrink (their text wraps) and, if that is not enough, all do."""
    total = sum(needs)
    if total <= width:
        weights = [n * (3 if f else 1) for n, f in zip(needs, flexible)] if any(flexible) else [1] * len(needs)
        spare = width - total
        widths = [n + spare * w // sum(weights) for n, w in zip(needs, weights)]
    else:
        fixed = sum(n for n, f in zip(needs, flexible) if not f)
        flex = sum(n for n, f in zip(needs, flexible) if f)
        if flex and width - fixed >= flex // 2:
            # Water-filling: cap the widest text columns first, so only the longest texts wrap.
            room = width - fixed
            wants = sorted(n for n, f in zip(needs, flexible) if f)
            cap, left = 0, room
            for k, want in enumerate(wants):
                share = left // (len(wants) - k)
                if want > share:
                    cap = share
                    break
                left -= want
            widths = [min(n, cap) if f and cap else n for n, f in zip(needs, flexible)]
        else:
            widths = [n * width // total for n in needs]
    widest = max(range(len(widths)), key=lambda i: (flexible[i], widths[i]))
    widths[widest] += width - sum(widths)
    return widths


# ---------------------------------------------------------------------------
# The tables


@dataclass(frozen=True)
class _Placement:
    """Where a table block sits: its orientation and what comes before and after it."""

    landscape: bool
    break_before: str   # "" / "page" / "section": how the table starts
    section_before: str  # sectPr XML ending the previous section, or ""
    section_after: str   # sectPr XML ending this table's section, or ""


def _tables(document: Document, page: _PageSetup) -> dict[str, Markup]:
    blocks = document.blocks
    orientation = []
    for block in blocks:
        if block.kind == "table":
            if block.table not in document.specs or block.table not in document.tables:
                raise RenderError(f"模板方案中没有表 {block.table!r}")
            orientation.append(document.specs[block.table].landscape)
        else:
            orientation.append(False)
    result: dict[str, Markup] = {}
    for i, block in enumerate(blocks):
        if block.kind != "table":
            continue
        if block.table in result:
            raise RenderError(f"表 {block.table} 在文件中出现了两次")
        here = orientation[i]
        before = orientation[i - 1] if i > 0 else False
        after = orientation[i + 1] if i + 1 < len(blocks) else False
        previous_kind = blocks[i - 1].kind if i > 0 else ""
        if before != here:
            start = "section"
        elif previous_kind in ("h1", "h2", "h3", "cover"):
            start = ""
        else:
            start = "page"
        placement = _Placement(
            landscape=here,
            break_before=start,
            # A table ends its own section; after text, an empty paragraph ends the previous one.
            section_before=page.sect_pr_xml(before) if before != here and previous_kind != "table" else "",
            section_after=page.sect_pr_xml(here) if after != here else "",
        )
        result[block.table] = Markup(_table_block(document, document.specs[block.table], placement, page))
    return result


def _table_block(document: Document, spec: TableSpec, place: _Placement, page: _PageSetup) -> str:
    width = page.width(place.landscape)
    data = document.tables[spec.key]
    builder = _BUILDERS.get(spec.key)
    if builder is None:
        raise RenderError(f"不认识的表：{spec.key}")
    flexible, header, rows = builder(data, document.amount_unit) if spec.key == "t10" else builder(data)
    widths = _widths(flexible, header, rows, width)
    out = []
    if place.section_before:
        # An empty, 1 pt paragraph carrying the previous section's properties.
        out.append('<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
                   '<w:ind w:firstLineChars="0" w:firstLine="0"/><w:rPr><w:sz w:val="2"/></w:rPr>'
                   f'{place.section_before}</w:pPr></w:p>')
    out.append(_para(spec.title, S_TITLE, page_break=place.break_before == "page"))
    out.append(_para(spec.label, S_INFO, jc="right"))
    out.append(_para(runs=_run(f"部门：{document.unit_name}") + "<w:r><w:tab/></w:r>"
                     + _run(f"金额单位：{document.amount_unit}"),
                     style=S_INFO, tabs=f'<w:tabs><w:tab w:val="right" w:pos="{width}"/></w:tabs>'))
    out.append(_table_xml(widths, header, rows))
    after = []
    if spec.empty and data.get("empty"):
        after.append((spec.empty, S_EMPTY, 0))
    for n, note in enumerate(spec.note):
        if len(spec.note) == 1:
            after.append((f"注：{note}", S_NOTE, 0))
        elif n == 0:
            after.append((f"注：{n + 1}. {note}", S_NOTE, 0))
        else:
            after.append((f"{n + 1}. {note}", S_NOTE, 2))
    if not after:
        after.append(("", S_NOTE, 0))
    for n, (text, style, indent) in enumerate(after):
        last = n == len(after) - 1
        sect = place.section_after if last else ""
        out.append(_para(text, style, indent_chars=indent, sect=sect))
    return "".join(out)


def _widths(flexible: Sequence[bool], header: Sequence[Sequence[Cell]], rows: Sequence[Sequence[Cell]],
            width: int) -> list[int]:
    """Each column's need (its widest single-column cell, headers as broken), fitted to the page."""
    needs = [_measure("字字")] * len(flexible)
    for row in [*header, *rows]:
        column = 0
        for cell in row:
            if cell.span == 1 and cell.merge != "continue":
                need = _header_need(cell.text) if cell.style == S_HEAD else _measure(cell.text, cell.indent)
                needs[column] = max(needs[column], need)
            column += cell.span
    return _fit(needs, flexible, width)


def _functional(key: str):
    """公开02/03/05/07/08表: 科目代码, 科目名称, then the value columns."""

    def build(data: dict):
        columns: list[str] = list(data["columns"])
        n = len(columns)
        flexible = [False, True] + [False] * n
        groups = COLUMN_GROUPS.get(key, ())
        top: list[Cell] = [head("项目", 2)]
        second: list[Cell] = [head("科目代码"), head("科目名称")]
        i = 0
        while i < n:
            group = next((g for g in groups if columns[i] in g[1]), None)
            if group:
                j = i
                while j < n and columns[j] in group[1]:
                    j += 1
                top.append(head(group[0], j - i))
                second += [head(SUB_LABELS.get(c, c)) for c in columns[i:j]]
                i = j
            else:
                top.append(head(columns[i], merge="restart"))
                second.append(head("", merge="continue"))
                i += 1
        numbers = [head("栏次", 2)] + [head(str(k + 1)) for k in range(n)]

        rows = []
        for row in data["rows"]:
            cells = [num(v) for v in row["cells"]]
            if row["level"] == "合计":
                rows.append([centre(row["name"], 2, bold=True)] + cells)
            else:
                rows.append([label(row["code"]), label(row["name"], LEVEL_INDENT.get(row["level"], 0))] + cells)
        return flexible, [top, second, numbers], rows

    return build


def _t01(data: dict):
    flexible = [True, False, False, True, False, False]
    header = [
        [head("收入", 3), head("支出", 3)],
        [head("项目"), head("行次"), head("决算数"), head("项目"), head("行次"), head("决算数")],
        [head("栏次"), head(""), head("1"), head("栏次"), head(""), head("2")],
    ]
    income, expenditure = data["income"], data["expenditure"]
    body = max(int(data["rows"]), len(income), len(expenditure))
    left = [(label(r["label"], r["indent"]), num(r["amount"])) for r in income]
    left += [(label(""), num(""))] * (body - len(income))
    left += [(centre("本年收入合计", bold=True), num(data["income_total"])),
             (label("使用非财政拨款结余（含专用结余）"), num(data["non_fiscal_surplus_used"])),
             (label("年初结转和结余"), num(data["opening"])),
             (centre("总计", bold=True), num(data["income_grand"]))]
    right = [(label(r["label"], r["indent"]), num(r["amount"])) for r in expenditure]
    right += [(label(""), num(""))] * (body - len(expenditure))
    right += [(centre("本年支出合计", bold=True), num(data["expenditure_total"])),
              (label("结余分配"), num(data["surplus_distribution"])),
              (label("年末结转和结余"), num(data["closing"])),
              (centre("总计", bold=True), num(data["expenditure_grand"]))]
    offset = len(left)
    rows = [[lname, centre(str(k + 1)), lamount, rname, centre(str(offset + k + 1)), ramount]
            for k, ((lname, lamount), (rname, ramount)) in enumerate(zip(left, right))]
    return flexible, header, rows


def _t04(data: dict):
    flexible = [True, False, False, True] + [False] * 5
    header = [
        [head("收入", 3), head("支出", 6)],
        [head("项目", merge="restart"), head("行次", merge="restart"), head("决算数", merge="restart"),
         head("项目", merge="restart"), head("行次", merge="restart"), head("决算数", 4)],
        [head("", merge="continue")] * 5
        + [head("合计"), head("一般公共预算财政拨款"), head("政府性基金预算财政拨款"), head("国有资本经营预算财政拨款")],
        [head("栏次"), head(""), head("1"), head("栏次"), head(""), head("2"), head("3"), head("4"), head("5")],
    ]
    income, expenditure = data["income"], data["expenditure"]
    body = max(int(data["rows"]), len(income), len(expenditure))
    blank4 = [num("")] * 4
    left = [(label(r["label"], r["indent"]), num(r["amount"])) for r in income]
    left += [(label(""), num(""))] * (body - len(income))
    left += [(centre("本年收入合计", bold=True), num(data["income_total"])),
             (label("年初财政拨款结转和结余"), num(data["opening_total"]))]
    left += [(label(r["label"], r["indent"]), num(r["amount"])) for r in data["opening"]]
    left += [(centre("总计", bold=True), num(data["income_grand"]))]
    right = [(label(r["label"]), [num(v) for v in r["cells"]]) for r in expenditure]
    right += [(label(""), blank4)] * (body - len(expenditure))
    right += [(centre(data["expenditure_total"]["label"], bold=True),
               [num(v) for v in data["expenditure_total"]["cells"]]),
              (label(data["closing"]["label"]), [num(v) for v in data["closing"]["cells"]])]
    # The closing balance is split by kind in its columns; the rows under it stay blank,
    # as in the official form, so both sides end on 总计 in the same row.
    right += [(label(""), blank4)] * (len(left) - len(right) - 1)
    right += [(centre(data["expenditure_grand"]["label"], bold=True),
               [num(v) for v in data["expenditure_grand"]["cells"]])]
    offset = len(left)
    rows = [[lname, centre(str(k + 1)), lamount, rname, centre(str(offset + k + 1)), *rcells]
            for k, ((lname, lamount), (rname, rcells)) in enumerate(zip(left, right, strict=True))]
    return flexible, header, rows


def _t06(data: dict):
    flexible = [False, True, False] * 3
    header = [
        [head("人员经费", 3), head("公用经费", 6)],
        [head("科目代码"), head("科目名称"), head("决算数")] * 3,
    ]
    rows = []
    for row in data["rows"]:
        cells = []
        for item in row:
            bold = bool(item["group"])
            cells += [label(item["code"], bold=bold), label(item["name"], bold=bold),
                      Cell(item["amount"], S_NUMBER, bold=bold)]
        rows.append(cells)
    rows.append([centre("人员经费合计", 2, bold=True), Cell(data["personnel"], S_NUMBER, bold=True),
                 centre("公用经费合计", 5, bold=True), Cell(data["public"], S_NUMBER, bold=True)])
    return flexible, header, rows


def _t09(data: dict):
    flexible = [False] * 12
    side_top = [head("合计", merge="restart"), head("因公出国（境）费", merge="restart"), head(T09_GROUP, 3),
                head("公务接待费", merge="restart")]
    side_mid = [head("", merge="continue"), head("", merge="continue"),
                head(T09_COLUMNS[2]), head(T09_COLUMNS[3]), head(T09_COLUMNS[4]), head("", merge="continue")]
    header = [
        [head("预算数", 6), head("决算数", 6)],
        side_top + side_top,
        side_mid + side_mid,
        [head(str(k + 1)) for k in range(12)],
    ]
    budget, actual = list(data["budget"]), list(data["actual"])
    if len(budget) != 6 or len(actual) != 6:
        raise RenderError("公开09表的预算数、决算数应各有6栏")
    rows = [[num(v) for v in budget + actual]]
    return flexible, header, rows


def _t10(data: dict, amount_unit: str):
    """公开10表 部门决算公开相关信息统计表: 政府采购, 机关运行经费, 车辆, 大型设备."""
    lines = [("一、政府采购支出", amount_unit, data["procurement"][0], 0)]
    lines += [(f"{k}. {name}", amount_unit, value, 1)
              for k, (name, value) in enumerate(zip(("货物", "工程", "服务"), data["procurement"][1:]), 1)]
    lines += [("二、机关运行经费支出", amount_unit, data["running_cost"][0], 0)]
    lines += [(f"{k}. {name}", amount_unit, value, 1)
              for k, (name, value) in enumerate(zip(("行政单位", "参照公务员法管理事业单位"), data["running_cost"][1:]), 1)]
    lines += [("三、车辆数", "辆", data["vehicles"][0], 0)]
    lines += [(f"{k}. {name}", "辆", value, 1)
              for k, (name, value) in enumerate(zip(data["vehicle_labels"], data["vehicles"][1:], strict=True), 1)]
    lines += [("四、单价100万元（含）以上设备（不含车辆）", "台（套）", data["equipment_over_1m"], 0)]
    header = [[head("项目"), head("计量单位"), head("行次"), head("统计数")],
              [head("栏次"), head(""), head(""), head("1")]]
    rows = [[label(text, indent), centre(unit), centre(str(k)), num(value)]
            for k, (text, unit, value, indent) in enumerate(lines, 1)]
    return [True, False, False, False], header, rows


_BUILDERS = {
    "t01": _t01,
    "t02": _functional("t02"),
    "t03": _functional("t03"),
    "t04": _t04,
    "t05": _functional("t05"),
    "t06": _t06,
    "t07": _functional("t07"),
    "t08": _functional("t08"),
    "t09": _t09,
    "t10": _t10,
}
