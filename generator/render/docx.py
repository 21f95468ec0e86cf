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
  them), every section keeping the template's header and footer;
* each 绩效 form (``TABLE eval_basic``, ``TABLE eval:N``) is built here too: the h2
  before it becomes its title (a new page), then 金额单位, the form as stacked tables
  (the part that can run over a page repeats its header row; 一级/二级指标 merged
  vertically, the 一级指标 with its derived weight) and 等级, portrait, at 小五.

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
from dataclasses import dataclass, replace
from datetime import date as Date, datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Sequence
from xml.sax.saxutils import escape

import jinja2
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from lxml import etree
from markupsafe import Markup

from ..narrative.style import Style
from ..layout.document import Document, TableSpec
from ..narrative.blocks import Block
from ..profiles import TEMPLATES, Profile

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
    # 绩效 forms
    "年初预算数": "年初\n预算数", "全年预算数": "全年\n预算数", "全年执行数": "全年\n执行数",
    "年度指标值": "年度\n指标值", "实际完成值": "实际\n完成值", "自评得分": "自评\n得分",
    "偏差原因分析及改进措施": "偏差原因分析\n及改进措施", "规模控制率": "规模\n控制率",
    "投资概算控制率": "投资概算\n控制率",
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
    return render_context(docx_context(document, template, profile.style), template)


def template_for(profile: Profile) -> Path:
    name = profile.settings.get("docx_template")
    return profile.folder / name if name else TEMPLATE


def docx_context(document: Document, template: Path = TEMPLATE, style: Style | None = None) -> dict[str, Any]:
    """The template context: metadata, the blocks in order, each table's WordprocessingML.

    ``style`` (the profile's) formats the one number the 绩效 forms add up, 总分's 分值.
    The h2 right before a 绩效 form is taken into the form as its title (a new page,
    centred, in the 目录 as before), so it is not in ``blocks``."""
    for block in document.blocks:
        if block.kind not in BLOCK_KINDS:
            raise RenderError(f"未知的内容块类型：{block.kind!r}")
    page = _page_setup(str(template), template.stat().st_mtime_ns)
    blocks, titles = _form_titles(document)
    return {
        "title": document.title,
        "unit_name": document.unit_name,
        "date": document.date,
        "cover_date": chinese_date(document.date),
        "draft": document.draft,
        "blocks": blocks,
        "tables": _tables(document, page, blocks, titles, style or Style()),
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
          runs: str | None = None, keep: bool = False, size: int | None = None) -> str:
    """A paragraph; its properties in schema order (pStyle, keepNext, pageBreakBefore, tabs, ind,
    jc, rPr of the paragraph mark (``size``), sectPr)."""
    props = [f'<w:pStyle w:val="{style}"/>']
    if keep:
        props.append("<w:keepNext/>")
    if page_break:
        props.append("<w:pageBreakBefore/>")
    if tabs:
        props.append(tabs)
    if indent_chars:
        props.append(f'<w:ind w:leftChars="{indent_chars * 100}" w:left="{indent_chars * 210}"/>')
    if jc:
        props.append(f'<w:jc w:val="{jc}"/>')
    if size:
        props.append(f'<w:rPr><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>')
    props.append(sect)
    if runs is None:
        runs = _run(text, bold=bold) if text else ""
    return f"<w:p><w:pPr>{''.join(props)}</w:pPr>{runs}</w:p>"


def _run(text: str, *, bold: bool = False, size: int | None = None) -> str:
    """A run of text; ``size`` in half-points overrides the paragraph style's."""
    props = ("<w:b/><w:bCs/>" if bold else "") + (f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>' if size else "")
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
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
    borders: str = ""     # w:tcBorders content, e.g. '<w:bottom w:val="nil"/>'


def head(text: str, span: int = 1, merge: str = "") -> Cell:
    return Cell(text, S_HEAD, span, merge)


def num(text: str) -> Cell:
    return Cell(text, S_NUMBER)


def label(text: str, indent: int = 0, *, bold: bool = False, jc: str | None = None, span: int = 1) -> Cell:
    return Cell(text, S_TEXT, span, indent=indent, bold=bold, jc=jc)


def centre(text: str, span: int = 1, *, bold: bool = False) -> Cell:
    return Cell(text, S_TEXT, span, jc="center", bold=bold)


def _cell_xml(cell: Cell, width: int, size: int | None = None, keep: bool = False) -> str:
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if cell.span > 1:
        props.append(f'<w:gridSpan w:val="{cell.span}"/>')
    if cell.merge == "restart":
        props.append('<w:vMerge w:val="restart"/>')
    elif cell.merge == "continue":
        props.append("<w:vMerge/>")
    if cell.borders:
        props.append(f"<w:tcBorders>{cell.borders}</w:tcBorders>")
    props.append('<w:vAlign w:val="center"/>')
    text = "" if cell.merge == "continue" else cell.text
    if cell.style == S_HEAD and _measure(text, size=size) > width:
        text = HEADER_BREAKS.get(text, text)
    runs = "<w:r><w:br/></w:r>".join(_run(line, bold=cell.bold, size=size) for line in text.split("\n")) if text else ""
    body = _para(style=cell.style, jc=cell.jc, indent_chars=cell.indent, runs=runs, keep=keep, size=size)
    return f"<w:tc><w:tcPr>{''.join(props)}</w:tcPr>{body}</w:tc>"


def _table_xml(widths: Sequence[int], header: Sequence[Sequence[Cell]], rows: Iterable[Sequence[Cell]],
               size: int | None = None, keep: bool = False) -> str:
    """A grid table: header rows repeat on each page, no row splits across pages.

    ``size``: the cells' text size in half-points (else the styles'); ``keep``: the
    whole table on one page (every row kept with the next)."""
    total = sum(widths)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    out = [f'<w:tbl><w:tblPr><w:tblStyle w:val="{S_TABLE}"/><w:tblW w:w="{total}" w:type="dxa"/>'
           '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
           f'<w:tblCellMar><w:left w:w="{CELL_MARGIN}" w:type="dxa"/><w:right w:w="{CELL_MARGIN}" w:type="dxa"/>'
           '</w:tblCellMar>'
           '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
           'w:noHBand="1" w:noVBand="1"/></w:tblPr>'
           f"<w:tblGrid>{grid}</w:tblGrid>"]
    all_rows = [(True, r) for r in header] + [(False, r) for r in rows]
    for n, (is_header, row) in enumerate(all_rows):
        column = 0
        cells = []
        for cell in row:
            cells.append(_cell_xml(cell, sum(widths[column:column + cell.span]), size,
                                   keep=keep and n < len(all_rows) - 1))
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


def _measure(text: str, indent: int = 0, size: int | None = None) -> int:
    """The width a line of ``text`` needs in a cell (twips), at ``size`` half-points (10.5 pt)."""
    chars = sum(LATIN_WIDTH if ord(c) < 0x2E80 else CJK_WIDTH for c in text) + indent * CJK_WIDTH
    return chars * (size or 21) // 21 + CELL_PADDING


def _header_need(text: str, size: int | None = None) -> int:
    """A long header may take two lines: the width of its longest line when broken."""
    return max(_measure(line, size=size) for line in HEADER_BREAKS.get(text, text).split("\n"))


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
            cap = _water_cap(needs, flexible, width - fixed)
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


def _tables(document: Document, page: _PageSetup, blocks: Sequence[Block] | None = None,
            titles: dict[str, str] | None = None, style: Style | None = None) -> dict[str, Markup]:
    """Each table block's WordprocessingML, placed: orientation, page or section break before it."""
    blocks = list(document.blocks) if blocks is None else list(blocks)
    titles = titles or {}
    orientation = []
    for block in blocks:
        if block.kind == "table":
            if _is_form(document, block.table):
                orientation.append(FORM_LANDSCAPE)
            elif block.table not in document.specs or block.table not in document.tables:
                raise RenderError(f"模板方案中没有表 {block.table!r}")
            else:
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
        if _is_form(document, block.table):
            xml = _form_block(document, block.table, titles.get(block.table, ""), placement, page, style or Style())
        else:
            xml = _table_block(document, document.specs[block.table], placement, page)
        result[block.table] = Markup(xml)
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
        out.append(_thin_para(place.section_before))
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
            width: int, floor: Sequence[int] | None = None, size: int | None = None, fit=None) -> list[int]:
    """Each column's need (its widest single-column cell, headers as broken), fitted to the page.

    A column needs at least two characters, or its ``floor``; text is measured at
    ``size`` half-points (the styles' 10.5 pt when None)."""
    needs = list(floor) if floor is not None else [_measure("字字", size=size)] * len(flexible)
    for row in [*header, *rows]:
        column = 0
        for cell in row:
            if cell.span == 1 and cell.merge != "continue":
                need = max(_header_need(line, size) if cell.style == S_HEAD else _measure(line, cell.indent, size)
                           for line in cell.text.split("\n"))
                needs[column] = max(needs[column], need)
            column += cell.span
    return (fit or _fit)(needs, flexible, width)


def _fill(needs: Sequence[int], flexible: Sequence[bool], width: int) -> list[int]:
    """Like :func:`_fit`, but when the page is too narrow only the longest texts wrap, however
    long they are: the fixed columns keep their need, the text columns share the rest
    (water-filling), so one long 偏差原因 does not squeeze every other column."""
    fixed = sum(n for n, f in zip(needs, flexible) if not f)
    room = width - fixed
    if sum(needs) <= width or not any(flexible) or room <= 0:
        return _fit(needs, flexible, width)
    cap = _water_cap(needs, flexible, room)
    widths = [min(n, cap) if f else n for n, f in zip(needs, flexible)]
    widest = max(range(len(widths)), key=lambda i: (flexible[i], widths[i]))
    widths[widest] += width - sum(widths)
    return widths


def _water_cap(needs: Sequence[int], flexible: Sequence[bool], room: int) -> int:
    """Water-filling: the width at which to cap the flexible columns so that they share ``room``
    and only the widest texts wrap (0 when every flexible column fits whole)."""
    wants = sorted(n for n, f in zip(needs, flexible) if f)
    left = room
    for k, want in enumerate(wants):
        share = left // (len(wants) - k)
        if want > share:
            return share
        left -= want
    return 0


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


# ---------------------------------------------------------------------------
# The 绩效 forms: TABLE eval_basic (基础数据表) and TABLE eval:N (自评表)

#: The forms are portrait: nine narrow columns fit the A4 text width, long texts wrap.
FORM_LANDSCAPE = False

#: What a rate with a zero denominator prints in the forms (执行率, 控制率).
NO_RATE = "无法计算"

#: The forms' text size, in half-points: 小五 (9 pt), as the published forms, so that
#: nine columns fit the portrait text width (the 决算表 use the styles' 五号).
FORM_SIZE = 18
FORM_TITLE_SIZE = 32  # 三号

_NO_TOP, _NO_BOTTOM = '<w:top w:val="nil"/>', '<w:bottom w:val="nil"/>'


def _form_index(document: Document, key: str) -> int | None:
    prefix, _, index = key.partition(":")
    if prefix != "eval" or not index.isdigit() or int(index) >= len(document.evaluation):
        return None
    return int(index)


def _is_form(document: Document, key: str) -> bool:
    """``eval_basic`` (when the document has a 基础数据表) or ``eval:N`` (an existing form)."""
    if key == "eval_basic":
        return document.basic_data is not None
    return _form_index(document, key) is not None


def _form_titles(document: Document) -> tuple[list[Block], dict[str, str]]:
    """The blocks to lay out, and the forms' titles: the h2 right before a form is its title."""
    blocks: list[Block] = []
    titles: dict[str, str] = {}
    source = document.blocks
    for i, block in enumerate(source):
        following = source[i + 1] if i + 1 < len(source) else None
        if (block.kind == "h2" and following is not None and following.kind == "table"
                and _is_form(document, following.table)):
            titles[following.table] = block.text
            continue
        blocks.append(block)
    return blocks, titles


def _thin_para(sect: str = "") -> str:
    """An empty 1 pt paragraph: it ends a section (``sect``) or keeps two tables apart
    (adjacent tables would be joined into one by Word)."""
    keep = "" if sect else "<w:keepNext/>"
    return (f'<w:p><w:pPr>{keep}<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
            '<w:ind w:firstLineChars="0" w:firstLine="0"/><w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>'
            f'{sect}</w:pPr></w:p>')


def _form_block(document: Document, key: str, title: str, place: _Placement, page: _PageSetup,
                style: Style) -> str:
    """Title, 金额单位 line, the form as stacked tables, 等级 (or an empty closing paragraph)."""
    width = page.width(place.landscape)
    out = []
    if place.section_before:
        out.append(_thin_para(place.section_before))
    breaks = place.break_before == "page"
    if title:
        out.append(_form_title(title, width, breaks))
    out.append(_para(f"金额单位：{document.amount_unit}", S_INFO, jc="right", page_break=breaks and not title))
    if key == "eval_basic":
        tables, tail = _basic_tables(document, width), ""
    else:
        index = _form_index(document, key)
        assert index is not None
        form = document.evaluation[index]
        tables, tail = _evaluation_tables(form, document, width, style), f"等级：{form['grade']}"
    for n, table in enumerate(tables):
        if n:
            out.append(_thin_para())
        out.append(table)
    out.append(_para(tail, S_NOTE, jc="right", sect=place.section_after))
    return "".join(out)


def _form_title(text: str, width: int, page_break: bool) -> str:
    """The form's title (the h2 before it) in the 表格标题 style at 三号, the size of the heading
    it was; too long for one line, it breaks before its last （, the project's name."""
    need = sum(LATIN_WIDTH if ord(c) < 0x2E80 else CJK_WIDTH for c in text) * FORM_TITLE_SIZE // 21
    lines = [text]
    if need > width and text.rfind("（") > 0:
        cut = text.rindex("（")
        lines = [text[:cut], text[cut:]]
    runs = "<w:r><w:br/></w:r>".join(_run(line, size=FORM_TITLE_SIZE) for line in lines)
    return _para(style=S_TITLE, page_break=page_break, runs=runs, size=FORM_TITLE_SIZE)


def _last_row_open(rows: list[list[Cell]]) -> list[list[Cell]]:
    """The rows with no bottom border on the last one: the table below draws that edge."""
    last = [replace(cell, borders=cell.borders + _NO_BOTTOM) for cell in rows[-1]]
    return rows[:-1] + [last]


def _indicator_rows(form: dict[str, Any]) -> list[tuple[dict[str, Any], str | None, int, str | None, int]]:
    """(indicator, 一级指标 text or None, its rows, 二级指标 text or None, its rows) per indicator,
    from the merges present.py computed (the 一级指标 carries its derived weight)."""
    rows = []
    for ind, merge in zip(form["indicators"], form["merges"]):
        level1 = f"{merge['level1_name']}\n（{merge['level1_weight']}分）" if merge["level1_rows"] else None
        level2 = ind["level2"] if merge["level2_rows"] else None
        rows.append((ind, level1, merge["level1_rows"], level2, merge["level2_rows"]))
    return rows


def _weight_total(form: dict[str, Any], style: Style) -> str:
    """总分's 分值: the funds' 分值 plus the groups' derived weights, as present.py formatted it."""
    return form["weight_total"]


def _evaluation_tables(form: dict[str, Any], document: Document, width: int, style: Style) -> list[str]:
    """整体 or 项目支出绩效自评表: name, funds and goal (8 columns); the indicators (9 columns,
    the header row repeated on each page), 总分."""
    funds, unit = form["funds"], document.amount_unit
    cont = head("", merge="continue")
    top: list[list[Cell]] = []
    if form["whole"]:
        top.append([head("预算部门、\n单位名称"), label(form["name"] or document.unit_name, span=7)])
        side = f"年度预算申请\n（{unit}）"
    else:
        top.append([head("项目名称"), label(form["name"], span=7)])
        top.append([head("主管部门"), label(form["department"], span=2), head("实施单位"),
                    label(form["implementer"], span=4)])
        side = f"项目资金\n（{unit}）"
    top.append([head(side, merge="restart"), head(""), head("年初预算数"), head("全年预算数"), head("全年执行数"),
                head("分值"), head("执行率"), head("得分")])
    execution = funds["execution"] if funds["execution"] is not None else NO_RATE
    top.append([cont, label("年度资金总额"), *(num(v) for v in funds["total"]), centre(funds["weight"]),
                centre(execution), centre(funds["score"])])
    if form["whole"]:
        incomes = [("一般公共预算", "general"), ("政府性基金拨款", "fund"),
                   ("纳入专户管理的非税收入拨款", "special_account"), ("其他资金", "other")]
        natures = [("基本支出", "basic"), ("项目支出", "project")]
        top.append([cont, Cell("按收入性质分", S_HEAD, 3, jc="left"), Cell("按支出性质分", S_HEAD, 4, jc="left")])
        for i, (text, key) in enumerate(incomes):
            prefix = "其中：" if i == 0 else ""
            row = [cont, label(prefix + text, span=2), Cell(funds["by_income"][key], S_NUMBER)]
            if i < len(natures):
                row += [label(prefix + natures[i][0], span=2), Cell(funds["by_nature"][natures[i][1]], S_NUMBER, 2)]
            else:
                row += [label("", span=2), label("", span=2)]
            top.append(row)
    else:
        for text, key in (("其中：当年财政拨款", "current_year"), ("上年结转资金", "carried_over"), ("其他资金", "other")):
            top.append([cont, label(text), *(num(v) for v in funds[key]), label(""), label(""), label("")])
    top.append([head("年度总体目标", merge="restart"), head("预期目标", 3), head("实际完成情况", 4)])
    top.append([cont, label(form["goal"], span=3), label(form["achieved"], span=4)])
    top_flexible = [True, True] + [False] * 6
    top_widths = _widths(top_flexible, [], top, width, size=FORM_SIZE, fit=_fill)

    header = [Cell("", S_HEAD, borders=_NO_BOTTOM), head("一级指标"), head("二级指标"), head("三级指标"),
              head("年度指标值"), head("实际完成值"), head("分值"), head("自评得分"), head("偏差原因分析及改进措施")]
    rows: list[list[Cell]] = []
    for n, (ind, level1, _, level2, _) in enumerate(_indicator_rows(form)):
        stub = Cell("绩\n效\n指\n标", S_HEAD, merge="restart", borders=_NO_TOP) if n == 0 else cont
        rows.append([
            stub,
            Cell(level1, S_TEXT, merge="restart", jc="center") if level1 is not None else Cell(merge="continue"),
            Cell(level2, S_TEXT, merge="restart", jc="center") if level2 is not None else Cell(merge="continue"),
            label(ind["name"]), centre(ind["target"]), centre(ind["actual"]), centre(ind["weight"]),
            centre(ind["score"]), label(ind["deviation"]),
        ])
    rows.append([head("总分", 6), centre(_weight_total(form, style)), centre(form["total"]), label("")])
    flexible = [False, True, True, True, True, True, False, False, True]
    floor = [_measure("字", size=FORM_SIZE)] + [_measure("字字", size=FORM_SIZE)] * 8
    widths = _widths(flexible, [header], rows, width, floor, size=FORM_SIZE, fit=_fill)
    # 二级指标 are set phrases that read well on lines of four (经济效益 / 指标): their room
    # beyond that goes to the 三级指标, the free text.
    level2 = _measure("经济效益", size=FORM_SIZE)
    if widths[2] > level2:
        widths[3] += widths[2] - level2
        widths[2] = level2
    return [_table_xml(top_widths, [], _last_row_open(top), FORM_SIZE, keep=True),
            _table_xml(widths, [header], rows, FORM_SIZE)]


def _basic_tables(document: Document, width: int) -> list[str]:
    """部门整体支出绩效评价基础数据表: a label column and six value columns (an amount takes
    two), as three tables: 财政供养人员; 经费控制情况 (its header repeated on each page);
    楼堂馆所 and 厉行节约保障措施."""
    data, y, unit = document.basic_data, document.year, document.amount_unit
    assert data is not None
    cont = head("", merge="continue")

    def rate(value: str | None) -> str:
        return value if value is not None else NO_RATE

    staff = data["staff"]
    first = [
        [head("财政供养人员情况（人）", merge="restart"), head("编制数", 2), head(f"{y}年实际在职人数", 2),
         head("控制率", 2)],
        [cont, centre(staff["authorized"], 2), centre(staff["actual"], 2), centre(rate(staff["rate"]), 2)],
    ]

    def line(text: str, cells: Sequence[str], indent: int = 0) -> list[Cell]:
        return [label(text, indent)] + [Cell(v, S_NUMBER, 2) for v in cells]

    header = [head("经费控制情况"), head(f"{y - 1}年决算数", 2), head(f"{y}年预算数", 2), head(f"{y}年决算数", 2)]
    costs = [
        line("三公经费", data["three_public"]),
        line("1、公务用车购置和维护经费", data["vehicle"], 1),
        line("其中：公车购置", data["vehicle_purchase"], 2),
        line("公车运行维护", data["vehicle_operation"], 5),
        line("2、出国经费", data["abroad"], 1),
        line("3、公务接待", data["reception"], 1),
        line("项目支出（一个专项一行）", data["projects_total"]),
        *(line(p["label"], p["cells"], 1) for p in data["projects"]),
        line("公用经费", data["public"]),
        line("其中：办公费", data["office"], 1),
        line("水费、电费、差旅费", data["utilities_travel"], 4),
        line("会议费、培训费", data["meeting_training"], 4),
        line("政府采购金额", data["procurement"]),
    ]
    b = data["buildings"]
    last = [
        [head(f"楼堂馆所控制情况\n（{y}年完工项目）", merge="restart"), head("批复规模\n（㎡）"), head("实际规模\n（㎡）"),
         head("规模控制率"), head(f"预算投资\n（{unit}）"), head(f"实际投资\n（{unit}）"), head("投资概算控制率")],
        [cont, centre(b["approved_area"]), centre(b["actual_area"]), centre(rate(b["area_rate"])),
         num(b["budget_investment"]), num(b["actual_investment"]), centre(rate(b["investment_rate"]))],
        [head("厉行节约保障措施"), label(data["savings_measures"], span=6)],
    ]
    flexible = [True] + [False] * 6
    widths = _widths(flexible, [header], first + costs + last, width, size=FORM_SIZE, fit=_fill)
    return [_table_xml(widths, [], _last_row_open(first), FORM_SIZE, keep=True),
            _table_xml(widths, [header], _last_row_open(costs), FORM_SIZE),
            _table_xml(widths, [], last, FORM_SIZE, keep=True)]
