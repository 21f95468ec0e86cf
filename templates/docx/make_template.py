"""Build ``document.docx``, the Word template of the DOCX renderer.

Run from the project root to rebuild it after changing this script:

    .venv/bin/python templates/docx/make_template.py

The template is an ordinary Word file: open it in Word or WPS and restyle the
named styles (正文 Normal, 标题 1–3, 封面标题, 表格标题, 表格文字, 表注 …), the
margins, the header and the footer; the renderer keeps whatever it finds there.
Its body holds the docxtpl tags that lay the document's blocks out:

    {%p for b in blocks %}            one block after another
    {%p if b.kind == 'h1' %}          a heading, paragraph, the cover, the 目录 …
    {{p tables[b.table] }}            a 决算表, built by generator/render_docx.py

The header holds the 草稿 mark inside ``{%p if draft %}``; the footer the page
number (a PAGE field).  The output is byte-stable: same script, same file.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "document.docx"
FIXED_TIME = (2025, 1, 1, 0, 0, 0)

# Fonts: 仿宋 body, 黑体 headings, 楷体 sub-headings, 宋体 tables; Latin in Times New Roman.
LATIN = "Times New Roman"


def fonts(east_asia: str) -> str:
    return (f'<w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:eastAsia="{east_asia}" '
            f'w:cs="{LATIN}"/>')


def size(points: float) -> str:
    half = int(points * 2)
    return f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'


NO_INDENT = '<w:ind w:firstLineChars="0" w:firstLine="0"/>'
SINGLE = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'


def paragraph_style(style_id: str, name: str, *, based_on: str | None = "Normal", next_: str | None = None,
                    ppr: str = "", rpr: str = "", ui_priority: int | None = None, extra: str = "") -> str:
    parts = [f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="{style_id}"'
             + (' w:default="1"' if style_id == "Normal" else "") + ">",
             f'<w:name w:val="{name}"/>']
    if based_on:
        parts.append(f'<w:basedOn w:val="{based_on}"/>')
    if next_:
        parts.append(f'<w:next w:val="{next_}"/>')
    if ui_priority is not None:
        parts.append(f'<w:uiPriority w:val="{ui_priority}"/>')
    parts.append(extra)
    parts.append('<w:qFormat/>')
    parts.append(f"<w:pPr>{ppr}</w:pPr>" if ppr else "")
    parts.append(f"<w:rPr>{rpr}</w:rPr>" if rpr else "")
    parts.append("</w:style>")
    return "".join(parts)


def heading(level: int, east_asia: str, points: float, ppr: str, bold: bool = False) -> str:
    return paragraph_style(
        f"Heading{level}", f"heading {level}", next_="Normal", ui_priority=9,
        ppr=f'<w:keepNext/><w:keepLines/>{ppr}<w:outlineLvl w:val="{level - 1}"/>',
        rpr=fonts(east_asia) + ("<w:b/><w:bCs/>" if bold else '<w:b w:val="0"/><w:bCs w:val="0"/>')
        + size(points),
    )


STYLES = [
    # 正文: 仿宋 三号 (16 pt), 1.5 line spacing, first line indented two characters.
    paragraph_style(
        "Normal", "Normal", based_on=None,
        ppr='<w:widowControl/><w:spacing w:before="0" w:after="0" w:line="360" w:lineRule="auto"/>'
            '<w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="both"/>',
        rpr=fonts("仿宋") + '<w:kern w:val="2"/>' + size(16) + '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>',
    ),
    # 标题 1: 第一部分 … (part titles), 黑体 小二, centred, each on a new page.
    heading(1, "黑体", 18, '<w:pageBreakBefore/><w:spacing w:before="240" w:after="360"/>'
                           + NO_INDENT + '<w:jc w:val="center"/>'),
    # 标题 2: 一、… 黑体 三号.
    heading(2, "黑体", 16, '<w:spacing w:before="120" w:after="0"/>'),
    # 标题 3: （一）… 楷体 三号.
    heading(3, "楷体", 16, '<w:spacing w:before="0" w:after="0"/>'),
    # 封面
    paragraph_style("Title", "Title", next_="Normal", ui_priority=10,
                    ppr='<w:spacing w:before="4200" w:after="0" w:line="360" w:lineRule="auto"/>'
                        + NO_INDENT + '<w:jc w:val="center"/>',
                    rpr=fonts("黑体") + '<w:b/><w:bCs/>' + size(22)),
    paragraph_style("CoverUnit", "封面单位", next_="CoverDate",
                    ppr='<w:spacing w:before="5600" w:after="240" w:line="240" w:lineRule="auto"/>'
                        + NO_INDENT + '<w:jc w:val="center"/>',
                    rpr=fonts("楷体") + size(18)),
    paragraph_style("CoverDate", "封面日期", next_="Normal",
                    ppr=SINGLE + NO_INDENT + '<w:jc w:val="center"/>',
                    rpr=fonts("楷体") + size(16)),
    # 目录
    paragraph_style("TOCHeading", "TOC Heading", next_="Normal", ui_priority=39,
                    ppr='<w:pageBreakBefore/><w:spacing w:before="240" w:after="360"/>' + NO_INDENT
                        + '<w:jc w:val="center"/><w:outlineLvl w:val="9"/>',
                    rpr=fonts("黑体") + size(18)),
    paragraph_style("TOC1", "toc 1", next_="Normal", ui_priority=39,
                    ppr='<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="8834"/></w:tabs>' + NO_INDENT,
                    rpr=fonts("黑体") + size(14)),
    paragraph_style("TOC2", "toc 2", next_="Normal", ui_priority=39,
                    ppr='<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="8834"/></w:tabs>'
                        '<w:ind w:leftChars="200" w:left="560" w:firstLineChars="0" w:firstLine="0"/>',
                    rpr=size(14)),
    paragraph_style("TOC3", "toc 3", next_="Normal", ui_priority=39,
                    ppr='<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="8834"/></w:tabs>'
                        '<w:ind w:leftChars="400" w:left="1120" w:firstLineChars="0" w:firstLine="0"/>',
                    rpr=size(14)),
    # 决算表: title, 公开NN表 / 部门 / 金额单位 lines, cells, notes.
    # Outline level 2: the tables appear in the 目录 under 第二部分.
    paragraph_style("TableTitle", "表格标题", next_="TableInfo",
                    ppr='<w:keepNext/><w:spacing w:before="0" w:after="120" w:line="240" w:lineRule="auto"/>'
                        + NO_INDENT + '<w:jc w:val="center"/><w:outlineLvl w:val="1"/>',
                    rpr=fonts("黑体") + size(18)),
    paragraph_style("TableInfo", "表头信息",
                    ppr='<w:keepNext/>' + SINGLE + NO_INDENT + '<w:jc w:val="left"/>',
                    rpr=fonts("宋体") + size(10.5)),
    paragraph_style("TableText", "表格文字",
                    ppr='<w:snapToGrid w:val="0"/>' + SINGLE + NO_INDENT + '<w:jc w:val="left"/>',
                    rpr=fonts("宋体") + size(10.5)),
    paragraph_style("TableNumber", "表格数字", based_on="TableText",
                    ppr='<w:jc w:val="right"/>'),
    paragraph_style("TableHeading", "表格表头", based_on="TableText",
                    ppr='<w:jc w:val="center"/>', rpr='<w:b/><w:bCs/>'),
    paragraph_style("TableNote", "表注",
                    ppr='<w:spacing w:before="60" w:after="0" w:line="240" w:lineRule="auto"/>' + NO_INDENT,
                    rpr=fonts("宋体") + size(10.5)),
    paragraph_style("TableEmpty", "表格说明",
                    ppr='<w:spacing w:before="120" w:after="0" w:line="240" w:lineRule="auto"/>' + NO_INDENT,
                    rpr=fonts("仿宋") + size(14)),
    # 页眉页脚
    paragraph_style("Header", "header", ui_priority=99,
                    ppr=SINGLE + NO_INDENT + '<w:jc w:val="right"/>', rpr=fonts("宋体") + size(9)),
    paragraph_style("Footer", "footer", ui_priority=99,
                    ppr=SINGLE + NO_INDENT + '<w:jc w:val="center"/>', rpr=fonts("宋体") + size(14)),
    # Character and table styles every document needs.
    f'<w:style {nsdecls("w")} w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
    f'<w:style {nsdecls("w")} w:type="table" w:default="1" w:styleId="TableNormal">'
    '<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
    '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
    '</w:tblCellMar></w:tblPr></w:style>',
    f'<w:style {nsdecls("w")} w:type="numbering" w:default="1" w:styleId="NoList">'
    '<w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
    # 决算表格: thin black grid, narrow cell margins.
    f'<w:style {nsdecls("w")} w:type="table" w:styleId="ReportTable"><w:name w:val="决算表格"/>'
    '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>'
    '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    '<w:tblPr><w:tblBorders>'
    + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
              for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    + '</w:tblBorders><w:tblCellMar><w:top w:w="15" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
    '<w:bottom w:w="15" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
]

DOC_DEFAULTS = (
    f'<w:docDefaults {nsdecls("w")}><w:rPrDefault><w:rPr>' + fonts("仿宋") + '<w:kern w:val="2"/>' + size(16)
    + '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
    '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
    '</w:docDefaults>'
)

DRAFT_MARK = HERE.parent / "draft" / "mark.json"
DRAWING_NS = ('xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
              'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
              'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"')
WATERMARK_WIDTH_MM = 140
EMU_PER_MM = 36000


def watermark(number: int) -> str:
    """草稿 as a DrawingML custom shape of the two glyphs' outlines (templates/draft/mark.json), behind
    the text, centred, turned 30°: shapes, not text, so a draft's text is the final document's text."""
    mark = json.loads(DRAFT_MARK.read_text(encoding="utf-8"))
    scale = 10  # path coordinates are integers: the 1000-unit box at 0.1 precision
    parts = []
    for command in mark["path"]:
        op, values = command[0], [round(v * scale) for v in command[1:]]
        points = "".join(f'<a:pt x="{x}" y="{y}"/>' for x, y in zip(values[::2], values[1::2]))
        parts.append({"M": f"<a:moveTo>{points}</a:moveTo>", "L": f"<a:lnTo>{points}</a:lnTo>",
                      "Q": f"<a:quadBezTo>{points}</a:quadBezTo>", "Z": "<a:close/>"}[op])
    cx = WATERMARK_WIDTH_MM * EMU_PER_MM
    cy = cx * mark["height"] // mark["width"]
    return (f'<w:r {nsdecls("w")} {DRAWING_NS}><w:rPr><w:noProof/></w:rPr><w:drawing>'
            '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="0" behindDoc="1" '
            'locked="1" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
            '<wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>'
            '<wp:positionV relativeFrom="margin"><wp:align>center</wp:align></wp:positionV>'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
            f'<wp:docPr id="{900 + number}" name="草稿水印{number}"/><wp:cNvGraphicFramePr/>'
            '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            '<wps:wsp><wps:cNvSpPr/><wps:spPr>'
            f'<a:xfrm rot="19800000"><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            '<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/><a:rect l="0" t="0" r="r" b="b"/>'
            f'<a:pathLst><a:path w="{mark["width"] * scale}" h="{mark["height"] * scale}">{"".join(parts)}</a:path>'
            '</a:pathLst></a:custGeom><a:solidFill><a:srgbClr val="DCDCDC"/></a:solidFill><a:ln><a:noFill/></a:ln>'
            '</wps:spPr><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>')


def tag(text: str, style: str = "Normal") -> str:
    """A paragraph holding one docxtpl tag (a ``{%p … %}`` paragraph disappears when rendered)."""
    return f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def field_runs(instruction: str, cached: str) -> str:
    return ('<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r><w:t xml:space="preserve">{cached}</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


BODY = [
    tag("{%p for b in blocks %}"),
    tag("{%p if b.kind == 'cover' %}"),
    tag("{{ b.text }}", "Title"),
    tag("{{ unit_name }}", "CoverUnit"),
    tag("{{ cover_date }}", "CoverDate"),
    tag("{%p elif b.kind == 'toc' %}"),
    tag("{{ b.text }}", "TOCHeading"),
    # 目录: a TOC field over heading levels 1-3; Word and WPS fill it when the file opens
    # (w:updateFields in settings.xml); right-click → 更新域 fills it by hand.
    f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="TOC1"/></w:pPr>'
    + field_runs('TOC \\o "1-3" \\h \\z \\u', "目录将在打开文件时生成；如未生成，请右键单击此处并选择“更新域”。")
    + "</w:p>",
    tag("{%p elif b.kind == 'h1' %}"),
    tag("{{ b.text }}", "Heading1"),
    tag("{%p elif b.kind == 'h2' %}"),
    tag("{{ b.text }}", "Heading2"),
    tag("{%p elif b.kind == 'h3' %}"),
    tag("{{ b.text }}", "Heading3"),
    tag("{%p elif b.kind == 'p' %}"),
    tag("{{ b.text }}", "Normal"),
    tag("{%p elif b.kind == 'table' %}"),
    tag("{{p tables[b.table] }}"),
    tag("{%p endif %}"),
    tag("{%p endfor %}"),
]


def draft_header(header, number: int) -> None:
    """草稿 on every page, behind the text, only when drafting (the mark is shapes, not text)."""
    element = header._element
    for p in list(element):
        element.remove(p)
    element.append(parse_xml(tag("{%p if draft %}", "Header")))
    paragraph = parse_xml(f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="Header"/></w:pPr></w:p>')
    paragraph.append(parse_xml(watermark(number)))
    element.append(paragraph)
    element.append(parse_xml(tag("{%p endif %}", "Header")))
    element.append(parse_xml(f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="Header"/></w:pPr></w:p>'))


def page_footer(footer, with_number: bool) -> None:
    element = footer._element
    for p in list(element):
        element.remove(p)
    runs = ('<w:r><w:t xml:space="preserve">— </w:t></w:r>' + field_runs("PAGE", "1")
            + '<w:r><w:t xml:space="preserve"> —</w:t></w:r>') if with_number else ""
    element.append(parse_xml(f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="Footer"/></w:pPr>{runs}</w:p>'))


def build() -> bytes:
    doc = Document()
    package = doc.part.package

    # A lean package: no thumbnail, no customXml, no stylesWithEffects, no numbering.
    for rels in (package.rels, doc.part.rels):
        for rId, rel in list(rels.items()):
            if rel.reltype.endswith(("/thumbnail", "/customXml", "/stylesWithEffects", "/numbering")):
                del rels[rId]

    # Styles: only ours, on explicit fonts (no theme fonts), Chinese as the East-Asian language.
    styles = doc.styles.element
    for child in list(styles):
        if child.tag in (qn("w:style"), qn("w:docDefaults")):
            styles.remove(child)
    styles.insert(0, parse_xml(DOC_DEFAULTS))
    for xml in STYLES:
        styles.append(parse_xml(xml))

    # Page: A4 portrait, GB/T 9704 margins (天头37mm, 订口28mm).
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(25)
    # The cover (first page of the first section) carries no page number.
    section.different_first_page_header_footer = True
    draft_header(section.header, 1)
    draft_header(section.first_page_header, 2)
    page_footer(section.footer, True)
    page_footer(section.first_page_footer, False)
    sect_pr = section._sectPr
    for grid in sect_pr.findall(qn("w:docGrid")):
        sect_pr.remove(grid)
    sect_pr.append(parse_xml(f'<w:docGrid {nsdecls("w")} w:linePitch="312"/>'))

    body = doc.element.body
    for xml in BODY:
        body.insert(len(body) - 1, parse_xml(xml))

    # Settings, in schema order: Word and WPS update fields (the 目录) when the file opens.
    settings = doc.settings.element
    for child in list(settings):
        if child.tag in (qn("w:rsids"), qn("w:proofState"), qn("w:attachedTemplate"), qn("w:savePreviewPicture")):
            settings.remove(child)
    settings.find(qn("w:defaultTabStop")).set(qn("w:val"), "420")
    settings.find(qn("w:compat")).addprevious(parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>'))
    settings.find(qn("w:themeFontLang")).set(qn("w:eastAsia"), "zh-CN")

    props = doc.core_properties
    props.title = "部门决算公开模板"
    props.author = "juesuan"
    props.last_modified_by = ""
    props.comments = "docxtpl模板：可在Word/WPS中修改样式、页边距、页眉页脚；正文中的模板标签不要改动。"
    props.revision = 1
    props.created = props.modified = datetime(*FIXED_TIME, tzinfo=timezone.utc)

    buffer = io.BytesIO()
    doc.save(buffer)
    return restamp(buffer.getvalue())


def restamp(data: bytes) -> bytes:
    """Re-zip with fixed timestamps and a stable member order: the same script gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        names = sorted(zin.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
        for name in names:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, zin.read(name))
    return out.getvalue()


def main() -> None:
    OUTPUT.write_bytes(build())
    print(f"wrote {OUTPUT.relative_to(Path.cwd()) if OUTPUT.is_relative_to(Path.cwd()) else OUTPUT}")


if __name__ == "__main__":
    main()
