"""Build ``document.docx``, the Word template of the DOCX renderer.

Run from the project root to rebuild it after changing this script:

    .venv/bin/python templates/docx/make_template.py

The template holds the page's header (the 草稿 mark) and footer (the page number), the
table style, and the docxtpl tags that lay the document's blocks out:

    {%p for b in blocks %}            one block after another
    {%p if b.kind == 'h1' %}          a heading, paragraph, the cover, the 目录 …
    {{p tables[b.table] }}            a 决算表, built by generator/render/docx.py

The paragraph styles (正文 Normal, 标题 1–3, 封面标题, 表格标题, 表格文字, 表注 …) and the page
size and margins are the default typography's (generator/layout/typography.py, written as
Word styles by generator/render/wordstyles.py); the writer writes them again from each
profile's typography, so a document's DOCX and PDF share one typography.

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

import sys
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from generator.layout.typography import DEFAULT as DEFAULT_TYPOGRAPHY  # noqa: E402
from generator.render import wordstyles  # noqa: E402

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "document.docx"
FIXED_TIME = (2025, 1, 1, 0, 0, 0)

# The styles come from the default typography (generator/layout/typography.py), the same values
# the PDF's stylesheet is written from; the DOCX writer writes them again from each profile's
# typography, so this template's styles are what a document gets when nothing is changed.
TYPOGRAPHY = DEFAULT_TYPOGRAPHY
STYLES = wordstyles.styles(TYPOGRAPHY) + [
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
    # 决算表格: thin black grid (the cell padding is set on each table, from the typography).
    f'<w:style {nsdecls("w")} w:type="table" w:styleId="ReportTable"><w:name w:val="决算表格"/>'
    '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>'
    '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    '<w:tblPr><w:tblBorders>'
    + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
              for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    + '</w:tblBorders></w:tblPr></w:style>',
]

DOC_DEFAULTS = wordstyles.doc_defaults(TYPOGRAPHY)

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
    tag("{%p elif b.kind == 'item' %}"),
    tag("{{ b.text }}", "Item"),
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
    # the number's style (- 1 -) comes from the profile's typography, like the PDF's
    runs = ('<w:r><w:t xml:space="preserve">{{ page_number_before }}</w:t></w:r>' + field_runs("PAGE", "1")
            + '<w:r><w:t xml:space="preserve">{{ page_number_after }}</w:t></w:r>') if with_number else ""
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

    # Page: the default typography's (the writer sets each document's from its profile).
    t = TYPOGRAPHY
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(float(t.page_width_mm)), Mm(float(t.page_height_mm))
    top, right, bottom, left = (Mm(float(m)) for m in t.margins_mm)
    section.top_margin, section.right_margin, section.bottom_margin, section.left_margin = top, right, bottom, left
    section.header_distance, section.footer_distance = Mm(float(t.footer_mm)), Mm(float(t.footer_mm))
    # The cover (first page of the first section) carries no page number.
    section.different_first_page_header_footer = True
    draft_header(section.header, 1)
    draft_header(section.first_page_header, 2)
    page_footer(section.footer, True)
    page_footer(section.first_page_footer, False)
    sect_pr = section._sectPr
    for grid in sect_pr.findall(qn("w:docGrid")):   # exact lines: no document grid
        sect_pr.remove(grid)

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
