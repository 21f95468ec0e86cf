"""End to end: the 绩效 forms (TABLE eval_basic, TABLE eval:N) laid out in both formats.

The Yuanjiang 绩效自评 file (a draft: its data has errors the checker reports, which
the forms copy as printed) is rendered once per module to PDF and to DOCX.  Every
non-empty cell of every form must be in the text read back (pdftotext for the PDF,
python-docx paragraphs and table cells for the DOCX), the 一级指标 must show the
weight derived from the indicators and never the printed header, and both files
must open (embedded fonts; LibreOffice).  The 部门决算 of Yiyang still renders.
"""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal

import docx
import pytest
import yaml
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from generator.layout.document import Document, build_document, build_evaluation_document
from generator.narrative.blocks import Block
from generator.pipeline import check_file
from generator.render.docx import RenderError, render_docx
from generator.render.pdf import MissingLayout, PdfResult, render_html, render_pdf

from conftest import DATA
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

needs_poppler = pytest.mark.skipif(
    shutil.which("pdffonts") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdffonts, pdftotext) not installed",
)
needs_libreoffice = pytest.mark.skipif(shutil.which("libreoffice") is None, reason="libreoffice is not on PATH")


@pytest.fixture(scope="module")
def yuanjiang(profile) -> Document:
    return build_evaluation_document(check_file(DATA / "yuanjiang-2024-shebao-jixiao.yaml"), profile, draft=True)


@pytest.fixture(scope="module")
def yuanjiang_pdf(yuanjiang, profile) -> PdfResult:
    return render_pdf(yuanjiang, profile)


@pytest.fixture(scope="module")
def pdf_pages(yuanjiang_pdf, tmp_path_factory) -> list[str]:
    """The PDF's text, page by page, whitespace removed."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    path = tmp_path_factory.mktemp("pdf") / "yuanjiang.pdf"
    path.write_bytes(yuanjiang_pdf.data)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    return [squeeze(page) for page in text.split("\f")]


@pytest.fixture(scope="module")
def yuanjiang_docx(yuanjiang, profile) -> bytes:
    return render_docx(yuanjiang, profile)


@pytest.fixture(scope="module")
def opened(yuanjiang_docx):
    return docx.Document(io.BytesIO(yuanjiang_docx))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ------------------------------------------------------------------ what each form prints


def group_labels(form: dict) -> list[str]:
    """The 一级指标 cells: the weight derived from the indicators."""
    return [f"{g['level1']}（{g['weight']}分）" for g in form["groups"]]


def total_weight(form: dict) -> str:
    weights = [form["funds"]["weight"], *(g["weight"] for g in form["groups"])]
    return format(sum(Decimal(w) for w in weights).normalize(), "f")


def form_cells(document: Document, form: dict) -> list[str]:
    """Every non-empty text a 自评表 prints (labels included)."""
    funds = form["funds"]
    cells = [document.unit_name] if form["whole"] else [form["name"], form["department"], form["implementer"]]
    cells += funds["total"] + [funds["weight"], funds["execution"] or "无法计算", funds["score"]]
    if form["whole"]:
        cells += list(funds["by_income"].values()) + list(funds["by_nature"].values())
        cells += ["一般公共预算", "政府性基金拨款", "纳入专户管理的非税收入拨款", "基本支出", "项目支出"]
    else:
        cells += funds["current_year"] + funds["carried_over"] + funds["other"]
        cells += ["当年财政拨款", "上年结转资金", "其他资金"]
    cells += [form["goal"], form["achieved"]]
    for ind in form["indicators"]:
        cells += [ind[k] for k in ("level2", "name", "target", "actual", "weight", "score", "deviation")]
    cells += group_labels(form)
    cells += ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "自评得分", "偏差原因分析及改进措施",
              "总分", total_weight(form), form["total"], f"等级：{form['grade']}"]
    return [squeeze(c) for c in cells if c]


def basic_cells(document: Document) -> list[str]:
    b = document.basic_data
    y = document.year
    cells = [b["staff"]["authorized"], b["staff"]["actual"], b["staff"]["rate"] or "无法计算",
             f"{y - 1}年决算数", f"{y}年预算数", f"{y}年决算数", "三公经费", "公务用车购置和维护经费", "公车购置",
             "公车运行维护", "出国经费", "公务接待", "公用经费", "办公费", "水费、电费、差旅费", "会议费、培训费",
             "政府采购金额", "厉行节约保障措施", b["savings_measures"], "批复规模（㎡）", "实际规模（㎡）",
             "规模控制率", f"预算投资（{document.amount_unit}）", "投资概算控制率", "财政供养人员情况（人）",
             f"{y}年实际在职人数", f"楼堂馆所控制情况（{y}年完工项目）"]
    for key in ("three_public", "vehicle", "vehicle_purchase", "vehicle_operation", "abroad", "reception",
                "projects_total", "public", "office", "utilities_travel", "meeting_training", "procurement"):
        cells += b[key]
    for project in b["projects"]:
        cells += [project["label"], *project["cells"]]
    buildings = b["buildings"]
    cells += [buildings[k] or "无法计算" for k in ("approved_area", "actual_area", "area_rate", "investment_rate")]
    cells += [buildings["budget_investment"], buildings["actual_investment"]]
    return [squeeze(c) for c in cells if c]


def titles(document: Document) -> dict[str, str]:
    """Table key → the h2 before it (the form's title)."""
    blocks = document.blocks
    return {b.table: blocks[i - 1].text for i, b in enumerate(blocks) if b.kind == "table"}


# ------------------------------------------------------------------ the document itself


def test_the_document_has_every_form(yuanjiang):
    tables = [b.table for b in yuanjiang.blocks if b.kind == "table"]
    assert tables == ["eval_basic"] + [f"eval:{n}" for n in range(len(yuanjiang.evaluation))]
    assert len(yuanjiang.evaluation) == 8 and yuanjiang.basic_data is not None
    retirement = next(f for f in yuanjiang.evaluation if f["name"] == "退管工作经费")
    assert "产出指标（40分）" in group_labels(retirement)      # printed as 产出指标(70分)


# ------------------------------------------------------------------ PDF


def pdf_form_text(pages: list[str], title: str, next_title: str | None) -> str:
    """The text of the pages from the one with ``title`` (and a 金额单位 line: not the 目录)
    up to the next form's."""
    start = next(i for i, p in enumerate(pages) if squeeze(title) in p and "金额单位" in p)
    end = next((i for i, p in enumerate(pages) if i > start and next_title and squeeze(next_title) in p),
               start + 1)
    return "".join(pages[start:end])


@needs_poppler
def test_pdf_every_cell_of_every_form(yuanjiang, pdf_pages):
    heads = titles(yuanjiang)
    keys = list(heads)
    for n, key in enumerate(keys):
        following = heads[keys[n + 1]] if n + 1 < len(keys) else "二、绩效自评报告"
        text = pdf_form_text(pdf_pages, heads[key], following)
        assert f"金额单位：{yuanjiang.amount_unit}" in text
        if key == "eval_basic":
            wanted = basic_cells(yuanjiang)
        else:
            wanted = form_cells(yuanjiang, yuanjiang.evaluation[int(key.split(":")[1])])
        missing = [c for c in wanted if c not in text]
        assert missing == [], (key, missing)


@needs_poppler
def test_pdf_copies_the_data_and_derives_the_group_weights(yuanjiang, pdf_pages):
    text = "".join(pdf_pages)
    assert "950%" in text                                   # copied; the checker flags it
    assert "产出指标（70分）" not in text and "产出指标(70分)" not in text
    heads = titles(yuanjiang)
    retirement = next(k for k, t in heads.items() if "退管工作经费" in t)
    following = list(heads.values())[list(heads).index(retirement) + 1]
    assert "产出指标（40分）" in pdf_form_text(pdf_pages, heads[retirement], following)


@needs_poppler
def test_pdf_fonts_are_embedded(yuanjiang_pdf, tmp_path):
    path = tmp_path / "yuanjiang.pdf"
    path.write_bytes(yuanjiang_pdf.data)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows and all(row[-5] == "yes" for row in rows), out
    assert yuanjiang_pdf.warnings == ()


@needs_poppler
def test_pdf_shows_the_symbols_of_the_forms(yuanjiang, profile, tmp_path):
    """≥ ≤ ㎡ ％: a glyph the fonts lack would be missing from the text (or a U+FFFD)."""
    form = dict(yuanjiang.evaluation[1])
    form["indicators"] = [dict(form["indicators"][0], target="≤930元/卷", actual="９５％"), *form["indicators"][1:]]
    small = dataclasses.replace(
        yuanjiang, evaluation=(yuanjiang.evaluation[0], form),
        blocks=(Block("h2", "附件1 基础数据表"), Block("table", table="eval_basic"),
                Block("h2", "附件3-1 项目支出绩效自评表"), Block("table", table="eval:1")))
    path = tmp_path / "small.pdf"
    path.write_bytes(render_pdf(small, profile).data)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    for symbol in ("≥20起", "≤930元/卷", "９５％", "（㎡）", "95%"):
        assert symbol in squeeze(text), symbol
    assert "\ufffd" not in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:] if line.strip())


def test_html_merges_and_repeats_the_indicator_header(yuanjiang, profile):
    html = render_html(yuanjiang, profile)
    whole = html[html.index("table-eval:0"):html.index("table-eval:1")]
    assert whole.count("<thead>") == 1                     # the indicator table's header row
    assert 'class="stub" rowspan="13">绩效指标' in whole     # 13 indicators
    assert 'rowspan="7">产出指标<br>（40分）' in whole        # 7 产出 indicators
    assert 'rowspan="3">数量指标' in whole
    assert ">100</td>" in whole and "等级：优" in whole
    basic = html[html.index("table-eval_basic"):html.index("table-eval:0")]
    assert basic.count("<thead>") == 1 and "2023年决算数" in basic
    # The 目录 lists each form once, by its title.
    toc = html[html.index('class="toc"'):html.index("</section>", html.index('class="toc"'))]
    assert toc.count("附件2 2024年度部门整体支出绩效自评表") == 1


def test_html_escapes_text_from_the_data(yuanjiang, profile):
    forms = list(yuanjiang.evaluation)
    forms[1] = dict(forms[1], name="A&B <项目>", goal="<script>x</script>")
    html = render_html(dataclasses.replace(yuanjiang, evaluation=tuple(forms)), profile)
    assert "A&amp;B &lt;项目&gt;" in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<script>" not in html


def test_a_form_that_does_not_exist_is_an_error(yuanjiang, profile):
    broken = dataclasses.replace(yuanjiang, blocks=yuanjiang.blocks + (Block("table", table="eval:99"),))
    with pytest.raises(MissingLayout):
        render_html(broken, profile)
    with pytest.raises(RenderError):
        render_docx(broken, profile)
    without_basic = dataclasses.replace(yuanjiang, basic_data=None)
    with pytest.raises(MissingLayout):
        render_html(without_basic, profile)


# ------------------------------------------------------------------ DOCX


def docx_forms(opened) -> dict[str, list[str]]:
    """Form title → the squeezed texts of the paragraphs and table cells up to the next title."""
    forms: dict[str, list[str]] = {}
    current = None
    for element in opened.element.body:
        if element.tag == qn("w:p"):
            paragraph = Paragraph(element, opened)
            if paragraph.style is not None and paragraph.style.style_id == "TableTitle":
                current = squeeze(paragraph.text)
                forms[current] = []
            elif paragraph.style is not None and paragraph.style.style_id == "Heading1":
                current = None
            elif current is not None and paragraph.text.strip():
                forms[current].append(squeeze(paragraph.text))
        elif element.tag == qn("w:tbl") and current is not None:
            for row in Table(element, opened).rows:
                forms[current] += [squeeze(cell.text) for cell in row.cells if cell.text.strip()]
    return forms


def test_docx_every_cell_of_every_form(yuanjiang, opened):
    forms = docx_forms(opened)
    for key, title in titles(yuanjiang).items():
        texts = forms[squeeze(title)]
        assert f"金额单位：{yuanjiang.amount_unit}" in texts
        joined = "|".join(texts)
        if key == "eval_basic":
            wanted = basic_cells(yuanjiang)
        else:
            form = yuanjiang.evaluation[int(key.split(":")[1])]
            wanted = form_cells(yuanjiang, form)
            assert set(group_labels(form)) <= set(texts)  # each 一级指标 is one cell
        missing = [c for c in wanted if c not in joined]
        assert missing == [], (key, missing)


def test_docx_copies_the_data_and_derives_the_group_weights(yuanjiang, opened):
    forms = docx_forms(opened)
    everything = "|".join(t for texts in forms.values() for t in texts)
    assert "950%" in everything
    assert "产出指标（70分）" not in everything and "产出指标(70分)" not in everything
    retirement = next(t for t in forms if "退管工作经费" in t)
    assert "产出指标（40分）" in forms[retirement]


def test_docx_titles_are_in_the_toc_and_each_form_starts_a_page(yuanjiang, yuanjiang_docx):
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(yuanjiang_docx)).read("word/document.xml")).find(f"{W}body")
    form_titles = [p for p in body.iter(f"{W}p")
                   if p.find(f"{W}pPr/{W}pStyle") is not None
                   and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "TableTitle"]
    assert ["".join(t.text for t in p.iter(f"{W}t")) for p in form_titles] == list(titles(yuanjiang).values())
    breaks = [p.find(f"{W}pPr/{W}pageBreakBefore") is not None for p in form_titles]
    assert breaks == [False] + [True] * (len(form_titles) - 1)   # the first follows its part's heading
    xml = etree.tostring(body, encoding="unicode")
    toc = [a for a in body.iter(f"{W}hyperlink")]
    assert len(toc) >= len(form_titles)
    # The indicator tables and the 经费 table repeat their header row; 一级/二级指标 are merged.
    assert xml.count("<w:tblHeader/>") == 1 + len(yuanjiang.evaluation)
    assert '<w:vMerge w:val="restart"/>' in xml and "<w:vMerge/>" in xml


def test_docx_escapes_text_from_the_data(yuanjiang, profile):
    forms = list(yuanjiang.evaluation)
    forms[1] = dict(forms[1], name="A&B <项目>", goal="R&D <5%> {{ x }}")
    data = render_docx(dataclasses.replace(yuanjiang, evaluation=tuple(forms)), profile)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        etree.fromstring(z.read("word/document.xml"))
    cells = {cell.text for table in docx.Document(io.BytesIO(data)).tables
             for row in table.rows for cell in row.cells}
    assert {"A&B <项目>", "R&D <5%> {{ x }}"} <= cells


@needs_libreoffice
def test_libreoffice_opens_the_docx(yuanjiang_docx, tmp_path):
    source = tmp_path / "yuanjiang.docx"
    source.write_bytes(yuanjiang_docx)
    subprocess.run(
        ["libreoffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    pdf = tmp_path / "yuanjiang.pdf"
    assert pdf.is_file()
    if shutil.which("pdftotext"):
        text = squeeze(subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                                      text=True).stdout)
        assert "产出指标（40分）" in text and "950%" in text and "≥36.6万人" in text


# ------------------------------------------------------------------ the 部门决算 still renders


@pytest.fixture(scope="module")
def yiyang(profile) -> Document:
    return build_document(check_file(DATA / "yiyang-2024-shebao.yaml"), profile)


def test_the_yiyang_accounts_still_render_in_both_formats(yiyang, profile):
    from pypdf import PdfReader

    pdf = render_pdf(yiyang, profile)
    assert len(PdfReader(io.BytesIO(pdf.data)).pages) > 10
    opened = docx.Document(io.BytesIO(render_docx(yiyang, profile)))
    assert len(opened.tables) == len([b for b in yiyang.blocks if b.kind == "table"])


def test_forms_in_the_accounts_part_five(profile, tmp_path):
    """A unit with accounts and 绩效: the forms follow the landscape tables' sections."""
    unit = yaml.safe_load((DATA / "yiyang-2024-shebao.yaml").read_text(encoding="utf-8"))
    unit["evaluation"] = yaml.safe_load(
        (DATA / "yuanjiang-2024-shebao-jixiao.yaml").read_text(encoding="utf-8"))["evaluation"]
    path = tmp_path / "unit.yaml"
    path.write_text(yaml.safe_dump(unit, allow_unicode=True, sort_keys=False), encoding="utf-8")
    document = build_document(check_file(path), profile, draft=True)
    assert any(b.kind == "table" and b.table == "eval:0" for b in document.blocks)
    html = render_html(document, profile)
    assert "table-eval:7" in html and "产出指标<br>（40分）" in html
    data = render_docx(document, profile)
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")).find(f"{W}body")
    sections = [s.find(f"{W}pgSz").get(f"{W}orient") for s in body.iter(f"{W}sectPr")]
    assert sections[-1] != "landscape"             # the forms close the file in a portrait section
    texts = {squeeze(cell.text) for table in docx.Document(io.BytesIO(data)).tables
             for row in table.rows for cell in row.cells}
    assert "产出指标（40分）" in texts and "产出指标（70分）" not in texts
