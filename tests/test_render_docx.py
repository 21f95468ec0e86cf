"""End to end: the yiyang unit rendered to DOCX holds every block, in the template's styles.

The document tree and its DOCX are built once for the module; the checks read the file
back with python-docx (paragraphs in body order, table cells included) and look at its
XML parts.  That the DOCX carries every cell of the tree is tests/test_formats_agree.py;
here, what is the DOCX's own: styles, sections, the 目录 field, the header and footer,
determinism, escaping.  The last test opens the file in LibreOffice, as CI does.
"""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import tracemalloc
import zipfile

import docx
import jinja2
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

from generator.layout.document import build_document
from generator.layout.tree import Cover, Document, Heading, Paragraph as TreeParagraph, Table, Toc
from generator.pipeline import check_file
from generator.profiles import load_profile
from generator.render.docx import docx_context, render_context, render_docx

from conftest import DATA
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@pytest.fixture(scope="module")
def yiyang(profile) -> Document:
    return build_document(check_file(DATA / "yiyang-2024-shebao.yaml"), profile, draft=False)


@pytest.fixture(scope="module")
def yiyang_docx(yiyang, profile) -> bytes:
    return render_docx(yiyang, profile)


@pytest.fixture(scope="module")
def opened(yiyang_docx):
    return docx.Document(io.BytesIO(yiyang_docx))


def body_paragraphs(document) -> list[tuple[str, str]]:
    """(style id, text) of every paragraph in body order, table cells included."""
    result = []
    for p in document.element.body.iter(qn("w:p")):
        style = p.find(f"{W}pPr/{W}pStyle")
        result.append((style.get(f"{W}val") if style is not None else "", Paragraph(p, document).text))
    return result


def part_xml(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name).decode("utf-8")


def header_parts_per_section(data: bytes) -> list[list[str]]:
    """For each section (w:sectPr in body order), the XML of the headers it references."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        body = etree.fromstring(z.read("word/document.xml"))
        sections = []
        for sect in body.iter(f"{W}sectPr"):
            refs = sect.findall(f"{W}headerReference")
            sections.append([z.read("word/" + targets[ref.get(R_ID)]).decode("utf-8") for ref in refs])
    return sections


# (a) every block, in order ---------------------------------------------------


def test_every_heading_and_paragraph_appears_in_order(yiyang, opened):
    paragraphs = [(style, text) for style, text in body_paragraphs(opened) if not re.fullmatch(r"TOC\d", style)]
    expected = []
    for b in yiyang.blocks:
        if isinstance(b, Cover):   # on two lines after 年度, as the PDF's cover
            expected.append(("Title", b.title.replace("年度", "年度\n", 1)))
        elif isinstance(b, Toc):
            expected.append(("TOCHeading", b.title))
        elif isinstance(b, Heading):
            expected.append((f"Heading{b.level}", b.text))
        elif isinstance(b, TreeParagraph):   # a numbered item's title has its own style (kept with its text)
            expected.append(("Item" if b.role == "item" else "Normal", b.text))
        elif isinstance(b, Table):
            expected.append(("TableTitle", b.title))
    position = 0
    for style, text in expected:
        while position < len(paragraphs) and paragraphs[position] != (style, text):
            position += 1
        assert position < len(paragraphs), f"{style} block missing or out of order: {text[:40]}"
        position += 1


def test_tables_carry_their_caption_lines(yiyang, opened):
    texts = [text for _, text in body_paragraphs(opened)]
    assert len(opened.tables) == len(yiyang.tables())
    assert {"公开01表", "公开09表", "部门：益阳市社会保险服务中心\t金额单位：万元"} <= set(texts)
    assert "注：本表反映部门本年度各项支出情况。" in texts
    assert "说明：本单位没有政府性基金收入，也没有使用政府性基金安排的支出，故本表无数据。" in texts


def test_table_01_rows_are_numbered_as_in_the_reference(opened):
    table = opened.tables[0]
    header = [c.text for c in table.rows[2].cells]
    assert header == ["栏次", "", "1", "栏次", "", "2"]
    first, last = table.rows[3], table.rows[-1]
    assert [c.text for c in first.cells] == ["一、一般公共预算财政拨款收入", "1", "841.69", "一、一般公共服务支出", "31",
                                             "45.61"]
    assert [c.text for c in last.cells][:2] == ["总计", "30"] and [c.text for c in last.cells][3:5] == ["总计", "60"]
    assert len(table.rows) == 3 + 30


def test_header_rows_repeat_and_use_merged_cells(yiyang_docx):
    xml = part_xml(yiyang_docx, "word/document.xml")
    assert xml.count("<w:tblHeader/>") >= 9 * 2
    assert '<w:gridSpan w:val="3"/>' in xml and '<w:vMerge w:val="restart"/>' in xml and "<w:vMerge/>" in xml
    assert "<w:noWrap/>" in xml  # amounts never break inside


def test_columns_take_the_layout_s_widths(yiyang, yiyang_docx):
    """The DOCX gives each column the share of the text width the layout decided (as the PDF does)."""
    body = etree.fromstring(part_xml(yiyang_docx, "word/document.xml").encode("utf-8")).find(f"{W}body")
    first = body.find(f".//{W}tbl")
    widths = [int(g.get(f"{W}w")) for g in first.findall(f"{W}tblGrid/{W}gridCol")]
    shares = [c.width for c in yiyang.table("t01").grids[0].columns]
    total = sum(widths)
    for width, share in zip(widths, shares):
        assert abs(width * 100 / total - float(share)) < 0.2


# (b) sentences verbatim --------------------------------------------------------


@pytest.mark.parametrize("sentence", ["人员经费635.97万元，占基本支出的75.56%", "完成年初预算的121.21%"])
def test_sentences_verbatim(opened, sentence):
    assert any(sentence in text for _, text in body_paragraphs(opened))


def test_cover_date_in_chinese(opened):
    assert ("CoverDate", "2025年6月30日") in body_paragraphs(opened)


# (c) styles, sections, the 目录 -------------------------------------------------


def test_named_styles_carry_chinese_fonts(yiyang_docx):
    styles = etree.fromstring(part_xml(yiyang_docx, "word/styles.xml").encode("utf-8"))

    def east_asia(style_id: str) -> str:
        style = styles.find(f"{W}style[@{W}styleId='{style_id}']")
        return style.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia")

    assert east_asia("Normal") == "仿宋"
    assert east_asia("Heading1") == "黑体"
    for level in (1, 2, 3):
        outline = styles.find(f"{W}style[@{W}styleId='Heading{level}']/{W}pPr/{W}outlineLvl")
        assert outline.get(f"{W}val") == str(level - 1)


def test_landscape_tables_sit_in_landscape_sections(yiyang, yiyang_docx):
    body = etree.fromstring(part_xml(yiyang_docx, "word/document.xml").encode("utf-8")).find(f"{W}body")
    landscape_by_title = {t.title: t.landscape for t in yiyang.tables()}
    pending, seen, orientations = [], {}, []
    for element in body:
        if element.tag == f"{W}p":
            style = element.find(f"{W}pPr/{W}pStyle")
            text = "".join(t.text or "" for t in element.iter(f"{W}t"))
            if style is not None and style.get(f"{W}val") == "TableTitle":
                pending.append(text)
        sect = element if element.tag == f"{W}sectPr" else element.find(f"{W}pPr/{W}sectPr")
        if sect is not None:
            landscape = sect.find(f"{W}pgSz").get(f"{W}orient") == "landscape"
            orientations.append(landscape)
            seen.update({title: landscape for title in pending})
            pending = []
    assert seen == landscape_by_title
    assert any(orientations) and not orientations[-1]
    assert all(a != b for a, b in zip(orientations, orientations[1:])), "sections alternate"
    for sect in body.iter(f"{W}sectPr"):
        assert sect.find(f"{W}footerReference") is not None


def test_toc_field_and_update_on_open(yiyang_docx):
    document = part_xml(yiyang_docx, "word/document.xml")
    assert re.search(r'<w:instrText[^>]*> TOC \\o "1-3" \\h \\z \\u </w:instrText>', document)
    assert '<w:updateFields w:val="true"/>' in part_xml(yiyang_docx, "word/settings.xml")
    assert '<w:hyperlink w:anchor="_Toc000001"' in document


def document_body(data: bytes):
    return etree.fromstring(part_xml(data, "word/document.xml").encode("utf-8")).find(f"{W}body")


def test_each_toc_entry_links_to_a_bookmark_on_its_heading_or_its_table_s_title(yiyang, yiyang_docx):
    body = document_body(yiyang_docx)
    order = {p: n for n, p in enumerate(body.iter(f"{W}p"))}
    marked = {start.get(f"{W}name"): start.getparent() for start in body.iter(f"{W}bookmarkStart")}
    links = [link.get(f"{W}anchor") for link in body.iter(f"{W}hyperlink")]
    toc = next(b for b in yiyang.blocks if isinstance(b, Toc))
    titles = {b.id: b.text if isinstance(b, Heading) else b.title for b in yiyang.blocks if isinstance(b, (Heading, Table))}
    assert len(links) == len(toc.entries) and {type(b).__name__ for b in yiyang.blocks
                                               if b.id in {e.target for e in toc.entries}} == {"Heading", "Table"}
    held = [marked[name] for name in links]
    assert ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in held] == [titles[e.target] for e in toc.entries]
    assert [order[p] for p in held] == sorted(order[p] for p in held), "bookmarks in the 目录's order"
    styles = {p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") for p in held}
    assert "TableTitle" in styles and "Heading1" in styles


def test_pages_are_numbered_from_the_cover_s_section_only(yiyang, yiyang_docx, profile):
    sections = list(document_body(yiyang_docx).iter(f"{W}sectPr"))
    assert sections[0].find(f"{W}pgNumType").get(f"{W}start") == "0" and sections[0].find(f"{W}titlePg") is not None
    assert all(s.find(f"{W}pgNumType") is None and s.find(f"{W}titlePg") is None for s in sections[1:])
    uncovered = dataclasses.replace(yiyang, blocks=tuple(b for b in yiyang.blocks if not isinstance(b, Cover)))
    sections = list(document_body(render_docx(uncovered, profile)).iter(f"{W}sectPr"))
    assert all(s.find(f"{W}pgNumType") is None and s.find(f"{W}titlePg") is None for s in sections)


def test_a_document_ending_on_a_landscape_table_ends_in_its_section(yiyang, profile):
    last = max(n for n, b in enumerate(yiyang.blocks) if isinstance(b, Table) and b.landscape)
    body = document_body(render_docx(dataclasses.replace(yiyang, blocks=yiyang.blocks[:last + 1]), profile))
    sections = list(body.iter(f"{W}sectPr"))
    assert body[-1] is sections[-1] and sections[-1].find(f"{W}pgSz").get(f"{W}orient") == "landscape"
    assert body[-2].find(f"{W}pPr/{W}sectPr") is None      # no empty portrait section after it
    assert "".join(t.text or "" for t in body[-2].iter(f"{W}t")) == yiyang.blocks[last].notes[-1]


def test_a_long_table_is_written_a_row_at_a_time(yiyang, profile):
    """The tables' XML goes into the file as it is zipped, so the memory the writer takes does not
    grow with a table: four times the rows add far less than the XML they add (docxtpl rendering
    the whole document, and lxml parsing it, took about eight times the XML's size)."""
    def lengthened(block, rows):
        if not (isinstance(block, Table) and block.key == "t05"):
            return block
        grid = block.grids[0]
        return dataclasses.replace(block, grids=(dataclasses.replace(grid, body=grid.body * (rows // len(grid.body))),))

    render_docx(yiyang, profile)          # the template and page set-up read once, outside the measure
    measured = []
    for rows in (2000, 8000):
        document = dataclasses.replace(yiyang, blocks=tuple(lengthened(b, rows) for b in yiyang.blocks))
        tracemalloc.start()
        try:
            data = render_docx(document, profile)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        measured.append((len(part_xml(data, "word/document.xml").encode("utf-8")), peak))
        table = docx.Document(io.BytesIO(data)).tables[4]
        assert len(table.rows) == len(lengthened(yiyang.tables()[4], rows).grids[0].rows)
        assert [c.text for c in table.rows[-1].cells] == [c.text for c in yiyang.tables()[4].grids[0].body[-1]]
    (small_xml, small_peak), (large_xml, large_peak) = measured
    assert large_xml - small_xml > 10 * 2**20
    assert large_peak - small_peak < (large_xml - small_xml) / 10, measured


def test_footer_has_a_page_field(yiyang_docx):
    with zipfile.ZipFile(io.BytesIO(yiyang_docx)) as z:
        footers = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/footer")]
    assert any(" PAGE " in f for f in footers)


# (d) determinism ----------------------------------------------------------------


def test_same_input_same_bytes(yiyang, yiyang_docx, profile):
    again = build_document(check_file(DATA / "yiyang-2024-shebao.yaml"), profile, draft=False)
    assert render_docx(again, profile) == yiyang_docx
    with zipfile.ZipFile(io.BytesIO(yiyang_docx)) as z:
        assert {info.date_time for info in z.infolist()} == {(2025, 6, 30, 0, 0, 0)}
        assert z.namelist()[0] == "[Content_Types].xml"
    core = part_xml(yiyang_docx, "docProps/core.xml")
    assert "2025-06-30T00:00:00Z" in core and "<cp:revision>1</cp:revision>" in core


# (e) escaping --------------------------------------------------------------------

TRICKY = "R&D <5%> \"x\" 'y' {{ not_a_tag }}"


def test_text_with_markup_characters_round_trips(yiyang, profile):
    tricky = dataclasses.replace(
        yiyang, unit_name="A&B <单位>",
        blocks=tuple(dataclasses.replace(b, owner="部门：A&B <单位>") if isinstance(b, Table) and b.owner else b
                     for b in yiyang.blocks) + (Heading("x1", 2, TRICKY), TreeParagraph("x2", TRICKY)))
    data = render_docx(tricky, profile)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(z.read(name))  # well-formed, or raises
    texts = [text for _, text in body_paragraphs(docx.Document(io.BytesIO(data)))]
    assert texts.count(TRICKY) >= 2
    assert "A&B <单位>" in texts and "部门：A&B <单位>\t金额单位：万元" in texts


# (f) a missing field is an error --------------------------------------------------


@pytest.mark.parametrize("key", ["cover_date", "draft", "tables", "blocks"])
def test_missing_context_field_raises(yiyang, key):
    context = docx_context(yiyang)
    del context[key]
    with pytest.raises(jinja2.UndefinedError):
        render_context(context)


def test_a_template_with_the_table_tag_inside_a_paragraph_is_refused(yiyang, tmp_path):
    """A profile's Word template must give each table a paragraph of its own (``{{p …}}``): a
    table cannot be written inside a paragraph, so the template is refused with a message."""
    from generator.profiles import ProfileError
    from generator.render.docx import TEMPLATE
    template = tmp_path / "模板.docx"
    with zipfile.ZipFile(TEMPLATE) as zin, zipfile.ZipFile(template, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                assert data.count(b"{{p tables[b.table] }}") == 1
                data = data.replace(b"{{p tables[b.table] }}", "见下表：{{ tables[b.table] }}".encode("utf-8"))
            zout.writestr(item, data)
    with pytest.raises(ProfileError, match="模板.docx.*须单独成一段"):
        render_context(docx_context(yiyang, template), template)


# (g) draft ---------------------------------------------------------------------------


def test_draft_mark_in_every_section_header_only_when_drafting(yiyang, yiyang_docx, profile):
    draft = render_docx(dataclasses.replace(yiyang, draft=True), profile)
    sections = header_parts_per_section(draft)
    assert len(sections) > 2
    # the mark is a drawn shape (the two glyphs' outlines), not text a reader's tools would extract
    assert all(headers and all("a:custGeom" in h and "<w:t" not in h for h in headers) for headers in sections)
    assert not any("a:custGeom" in h for headers in header_parts_per_section(yiyang_docx) for h in headers)


# (h) LibreOffice opens it -----------------------------------------------------------------


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="libreoffice is not on PATH (CI installs it)")
def test_libreoffice_converts_it_to_pdf(yiyang_docx, tmp_path):
    source = tmp_path / "yiyang.docx"
    source.write_bytes(yiyang_docx)
    subprocess.run(
        ["libreoffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=120,
    )
    pdf = tmp_path / "yiyang.pdf"
    assert pdf.is_file()
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert len(reader.pages) > 10
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    else:
        text = "".join(page.extract_text() or "" for page in reader.pages)
    assert "人员经费635.97万元" in re.sub(r"\s+", "", text)


# another profile: amounts in 元 with thousands separators, and 公开10表 ------------------


def test_yuan_profile_renders_table_10():
    profile = load_profile("yuan")
    document = build_document(check_file(DATA / "yiyang-2024-shebao.yaml"), profile, draft=False)
    opened = docx.Document(io.BytesIO(render_docx(document, profile)))
    texts = [text for _, text in body_paragraphs(opened)]
    assert "公开10表" in texts and "部门：益阳市社会保险服务中心\t金额单位：元" in texts
    assert len(opened.tables) == 10
    statistics = opened.tables[-1]
    assert [c.text for c in statistics.rows[0].cells] == ["项目", "计量单位", "行次", "统计数"]
    assert statistics.rows[-1].cells[0].text == "四、单价100万元（含）以上设备（不含车辆）"
