"""The DOCX's named styles, written from the profile's typography (generator/layout/typography.py).

The PDF's stylesheet is written from the same values (templates/html/typography.css.j2): the
same fonts (named as Word and WPS know them; Latin in ``Typography.latin``), sizes, exact
line heights, spacing before and after, first-line indents and alignment.  Lines are
``exact`` in both, so a line is as tall in LibreOffice, Word and WPS as in the PDF whatever
font a reader's machine substitutes.  ``make_template.py`` puts these styles in the Word
template; the DOCX writer writes them again from the profile's typography into every
document, so a profile's ``typography:`` reaches the DOCX as it reaches the PDF.
"""

from __future__ import annotations

from decimal import Decimal

from ..layout.typography import Face, Typography, twips

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

#: The paragraph styles the writer and the template use, by w:styleId.
STYLE_IDS = ("Normal", "Heading1", "Heading2", "Heading3", "Item", "Title", "CoverUnit", "CoverDate", "TOCHeading",
             "TOC1", "TOC2", "TOC3", "TableTitle", "TableInfo", "TableText", "TableNumber", "TableHeading",
             "TableNote", "TableEmpty", "FormTitle", "Header", "Footer")


def fonts(t: Typography, east_asia: str, latin: bool = False) -> str:
    """A run's fonts: the Chinese font for everything (as the PDF's text), or with ``latin`` the
    typography's Latin font for Latin letters and digits (the tables' numbers)."""
    other = t.latin if latin else east_asia
    return (f'<w:rFonts w:ascii="{other}" w:hAnsi="{other}" w:eastAsia="{east_asia}" w:cs="{other}" '
            'w:hint="eastAsia"/>')


def size(points: Decimal) -> str:
    half = int((points * 2).to_integral_value())
    return f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'


def spacing(face: Face) -> str:
    return (f'<w:spacing w:before="{twips(face.before)}" w:after="{twips(face.after)}" '
            f'w:line="{twips(face.line)}" w:lineRule="exact"/>')


def indent(face: Face) -> str:
    first = twips(face.size * face.indent)
    return f'<w:ind w:firstLineChars="{face.indent * 100}" w:firstLine="{first}"/>'


def justify(face: Face) -> str:
    return f'<w:jc w:val="{ {"left": "left", "center": "center", "right": "right"}[face.align] }"/>'


def _style(style_id: str, name: str, *, based_on: str | None = "Normal", next_: str | None = None, ppr: str = "",
           rpr: str = "", ui_priority: int | None = None, default: bool = False) -> str:
    parts = [f'<w:style {W_NS} w:type="paragraph" w:styleId="{style_id}"' + (' w:default="1"' if default else "") + ">",
             f'<w:name w:val="{name}"/>']
    if based_on:
        parts.append(f'<w:basedOn w:val="{based_on}"/>')
    if next_:
        parts.append(f'<w:next w:val="{next_}"/>')
    if ui_priority is not None:
        parts.append(f'<w:uiPriority w:val="{ui_priority}"/>')
    parts.append("<w:qFormat/>")
    if ppr:
        parts.append(f"<w:pPr>{ppr}</w:pPr>")
    if rpr:
        parts.append(f"<w:rPr>{rpr}</w:rPr>")
    parts.append("</w:style>")
    return "".join(parts)


def _face(t: Typography, style_id: str, name: str, face: Face, *, extra_ppr: str = "", before_ppr: str = "",
          extra_rpr: str = "", ind: str | None = None, **kw) -> str:
    """A paragraph style for one face: properties in schema order (keepNext…, tabs, snapToGrid,
    spacing, ind, jc, outline); no snapping to a document grid (the lines are exact)."""
    ppr = (before_ppr + _NO_HANGING + '<w:snapToGrid w:val="0"/>' + spacing(face) + (indent(face) if ind is None else ind)
           + justify(face) + extra_ppr)
    rpr = fonts(t, face.font) + '<w:b w:val="0"/><w:bCs w:val="0"/>' + extra_rpr + size(face.size)
    return _style(style_id, name, ppr=ppr, rpr=rpr, **kw)


def _left(face: Face, chars: int) -> str:
    """A left indent of ``chars`` characters, no first-line indent (the 目录's levels)."""
    return (f'<w:ind w:leftChars="{chars * 100}" w:left="{twips(face.size * chars)}" '
            'w:firstLineChars="0" w:firstLine="0"/>')


#: No hanging punctuation at a line's end, no extra space between Chinese and Latin or digits:
#: the lines break where the PDF's do (WeasyPrint does neither).  In every style, not only
#: the defaults: LibreOffice reads them from the styles.
_NO_HANGING = '<w:overflowPunct w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'


def _tab(t: Typography) -> str:
    """The 目录's right tab with dot leaders, at the text's right edge."""
    width = twips((t.portrait_width_mm * 72 / Decimal("25.4")))
    return f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{width}"/></w:tabs>'


def styles(t: Typography) -> list[str]:
    """Every paragraph style of the document, as ``w:style`` XML."""
    keep = "<w:keepNext/><w:keepLines/>"
    return [
        _face(t, "Normal", "Normal", t.body, based_on=None, default=True, before_ppr="<w:widowControl/>",
              extra_rpr='<w:kern w:val="0"/>'),
        _face(t, "Heading1", "heading 1", t.h1, next_="Normal", ui_priority=9,
              before_ppr=keep + "<w:pageBreakBefore/>", extra_ppr='<w:outlineLvl w:val="0"/>'),
        _face(t, "Heading2", "heading 2", t.h2, next_="Normal", ui_priority=9, before_ppr=keep,
              extra_ppr='<w:outlineLvl w:val="1"/>'),
        _face(t, "Heading3", "heading 3", t.h3, next_="Normal", ui_priority=9, before_ppr=keep,
              extra_ppr='<w:outlineLvl w:val="2"/>'),
        # a numbered item's title (1. 一般公共服务支出（类）…): kept with its text
        _face(t, "Item", "条目标题", t.item, next_="Normal", before_ppr=keep),
        _face(t, "Title", "Title", t.cover_title, next_="Normal", ui_priority=10,
              extra_rpr='<w:spacing w:val="26"/>'),
        _face(t, "CoverUnit", "封面单位", t.cover_unit, next_="CoverDate"),
        _face(t, "CoverDate", "封面日期", t.cover_date, next_="Normal"),
        _face(t, "TOCHeading", "TOC Heading", t.toc_title, next_="Normal", ui_priority=39,
              before_ppr="<w:pageBreakBefore/>", extra_ppr='<w:outlineLvl w:val="9"/>',
              extra_rpr=f'<w:spacing w:val="{twips(t.toc_title.size)}"/>'),
        _face(t, "TOC1", "toc 1", t.toc1, next_="Normal", ui_priority=39, before_ppr=_tab(t), ind=_left(t.toc1, 0)),
        _face(t, "TOC2", "toc 2", t.toc2, next_="Normal", ui_priority=39, before_ppr=_tab(t),
              ind=_left(t.toc2, t.toc2.indent)),
        _face(t, "TOC3", "toc 3", t.toc2, next_="Normal", ui_priority=39, before_ppr=_tab(t),
              ind=_left(t.toc2, t.toc2.indent * 2)),
        _face(t, "TableTitle", "表格标题", t.table_title, next_="TableInfo", before_ppr="<w:keepNext/>",
              extra_ppr='<w:outlineLvl w:val="1"/>'),
        _face(t, "FormTitle", "绩效表标题", t.form_title, next_="TableInfo", before_ppr="<w:keepNext/>"),
        _face(t, "TableInfo", "表头信息", t.table_info, before_ppr="<w:keepNext/>"),
        _face(t, "TableText", "表格文字", t.table, extra_rpr=""),
        _style("TableNumber", "表格数字", based_on="TableText", ppr='<w:jc w:val="right"/>',
               rpr=fonts(t, t.table.font, latin=True)),
        _style("TableHeading", "表格表头", based_on="TableText", ppr='<w:jc w:val="center"/>',
               rpr=fonts(t, t.table_header_font)),
        _face(t, "TableNote", "表注", t.table_note),
        _face(t, "TableEmpty", "表格说明", t.table_empty),
        _style("Header", "header", ui_priority=99,
               ppr=spacing(t.page_number) + '<w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="right"/>',
               rpr=fonts(t, t.page_number.font) + size(Decimal(9))),
        _face(t, "Footer", "footer", t.page_number, ui_priority=99),
    ]


def doc_defaults(t: Typography) -> str:
    return (f'<w:docDefaults {W_NS}><w:rPrDefault><w:rPr>' + fonts(t, t.body.font) + '<w:kern w:val="0"/>'
            + size(t.body.size) + '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
            # no hanging punctuation at a line's end and no extra space between Chinese and Latin or
            # digits: lines break where the PDF's break (WeasyPrint does neither)
            '<w:pPrDefault><w:pPr><w:overflowPunct w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'
            '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
            '</w:docDefaults>')


def cell_line(t: Typography, points: Decimal, compact: bool = False, form: bool = False) -> int:
    """A table cell's exact line height (twips) at a table's text size."""
    if form:
        return twips(t.form.line)
    return twips(points * (t.compact_line_factor if compact else t.table_line_factor))
