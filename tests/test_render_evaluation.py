"""The 绩效 forms laid out: which forms, their titles, the derived weights, the merged cells.

The Yuanjiang 绩效自评 file (a draft: its data has errors the checker reports, which the
forms copy as printed) is laid out once for the module.  That the DOCX, the PDF and the
XLSX carry every cell of every form is tests/test_formats_agree.py; here, the forms as
the tree describes them, and what is special to them in each format: symbols the fonts
must show, merged and repeated header cells, each form on a new page, a portrait section
after the wide tables of a 部门决算, text from the data escaped.
"""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import zipfile

import docx
import pytest
import yaml
from lxml import etree

from generator.layout.document import build_document, build_evaluation_document
from generator.layout.tree import Cell, Document, Table
from generator.pipeline import check_file
from generator.render.docx import render_docx
from generator.render.pdf import render_html, render_pdf

from conftest import DATA

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

needs_poppler = pytest.mark.skipif(
    shutil.which("pdffonts") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdffonts, pdftotext) not installed",
)
needs_libreoffice = pytest.mark.skipif(shutil.which("libreoffice") is None, reason="libreoffice is not on PATH")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def checked():
    return check_file(DATA / "yuanjiang-2024-shebao-jixiao.yaml")


@pytest.fixture(scope="module")
def yuanjiang(checked, profile) -> Document:
    return build_evaluation_document(checked, profile, draft=True)


@pytest.fixture(scope="module")
def yuanjiang_docx(yuanjiang, profile) -> bytes:
    return render_docx(yuanjiang, profile)


def texts(table: Table) -> list[str]:
    return [cell.text for grid in table.grids for row in grid.rows for cell in row if cell.text]


# ------------------------------------------------------------------ the forms in the tree


def test_the_document_has_every_form_with_its_title(yuanjiang, checked):
    forms = yuanjiang.tables("form")
    assert [t.key for t in forms] == ["eval_basic"] + [f"eval:{n}" for n in range(len(checked.evaluation))]
    assert len(forms) == 9
    assert forms[0].title == "附件1 2024年度部门整体支出绩效评价基础数据表"
    assert forms[1].title == "附件2 2024年度部门整体支出绩效自评表"
    assert forms[2].title.startswith("附件3-1 2024年度项目支出绩效自评表（")
    assert all(t.unit == "金额单位：万元" for t in forms)
    # each title is in the 目录 once, pointing at its form
    toc = {e.target: e.text for e in yuanjiang.toc.entries}
    assert [toc[t.id] for t in forms] == [t.title for t in forms]


def test_the_group_weight_is_derived_never_the_printed_header(yuanjiang):
    retirement = next(t for t in yuanjiang.tables("form") if "退管工作经费" in t.title)
    cells = texts(retirement)
    assert "产出指标\n（40分）" in cells                      # printed as 产出指标(70分)
    assert not any("70分" in c for c in cells)
    assert "950%" in "|".join(texts(next(t for t in yuanjiang.tables("form") if "资格认证" in t.title)))


def test_the_indicator_cells_merge_as_published(yuanjiang, checked):
    whole = yuanjiang.table("eval:0")
    top, indicators = whole.grids
    assert top.keep_together and not indicators.keep_together
    assert [c.text for c in indicators.header[0]] == ["", "一级指标", "二级指标", "三级指标", "年度指标值",
                                                      "实际完成值", "分值", "自评得分", "偏差原因分析及改进措施"]
    first = indicators.body[0]
    count = len(checked.evaluation[0].indicators)
    assert first[0] == Cell("绩效指标", "header", rowspan=count, open="top")
    assert first[1].text == "产出指标\n（40分）" and first[1].rowspan == 7
    assert first[2].text == "数量指标" and first[2].rowspan == 3
    assert [c.text for c in indicators.body[-1]][:3] == ["总分", "100", "100"]
    assert whole.closing == "等级：优"


def test_the_basic_data_form_has_its_three_parts(yuanjiang):
    basic = yuanjiang.table("eval_basic")
    first, costs, last = basic.grids
    assert first.keep_together and last.keep_together and costs.header
    assert [c.text for c in costs.header[0]] == ["经费控制情况", "2023年决算数", "2024年预算数", "2024年决算数"]
    assert [row[0].text for row in costs.body][:3] == ["三公经费", "1、公务用车购置和维护经费", "其中：公车购置"]
    assert last.body[-1][0].text == "厉行节约保障措施"


# ------------------------------------------------------------------ in each format


def test_html_merges_and_repeats_the_indicator_header(yuanjiang, profile):
    html = render_html(yuanjiang, profile)
    start = html.index(f'id="{yuanjiang.table("eval:0").id}"')
    whole = html[start:html.index(f'id="{yuanjiang.table("eval:1").id}"')]
    assert whole.count("<thead>") == 1                     # the indicator grid's header row
    assert 'rowspan="13" class="header a-center open-top">绩效指标' in whole
    assert 'rowspan="7" class="label a-center strong">产出指标<br>（40分）' in whole
    assert "等级：优" in whole


def test_docx_repeats_header_rows_merges_cells_and_starts_each_form_on_a_page(yuanjiang, yuanjiang_docx):
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(yuanjiang_docx)).read("word/document.xml")).find(f"{W}body")
    titles = [p for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}pStyle") is not None
              and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "FormTitle"]
    assert ["".join(t.text for t in p.iter(f"{W}t")) for p in titles] == [t.title for t in yuanjiang.tables("form")]
    breaks = [p.find(f"{W}pPr/{W}pageBreakBefore") is not None for p in titles]
    assert breaks == [False] + [True] * (len(titles) - 1)   # the first follows its part's heading
    xml = etree.tostring(body, encoding="unicode")
    assert xml.count("<w:tblHeader/>") == 1 + 8              # 经费 grid + each form's indicator grid
    assert '<w:vMerge w:val="restart"/>' in xml and "<w:vMerge/>" in xml


@needs_poppler
def test_pdf_shows_the_symbols_of_the_forms(checked, profile, tmp_path):
    """≥ ≤ ㎡ ％: a glyph the fonts lack would be missing from the text (or a U+FFFD)."""
    project = checked.evaluation[1]
    indicator = dataclasses.replace(project.indicators[0].indicator, target="≤930元/卷", actual="９５％")
    changed = dataclasses.replace(project, indicators=(dataclasses.replace(project.indicators[0], indicator=indicator),
                                                       *project.indicators[1:]))
    small = dataclasses.replace(checked, evaluation=(checked.evaluation[0], changed))
    document = build_evaluation_document(small, profile)
    path = tmp_path / "small.pdf"
    path.write_bytes(render_pdf(document, profile).data)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    for symbol in ("≥20起", "≤930元/卷", "９５％", "（㎡）"):
        assert symbol in squeeze(text), symbol
    assert "\ufffd" not in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:] if line.strip())


def test_text_from_the_data_is_escaped_in_both_formats(checked, profile):
    project = checked.evaluation[1]
    ev = dataclasses.replace(project.evaluation, name="A&B <项目>", goal="<script>x</script> {{ x }}")
    tricky = dataclasses.replace(checked, evaluation=(checked.evaluation[0], dataclasses.replace(project, evaluation=ev)))
    document = build_evaluation_document(tricky, profile)
    html = render_html(document, profile)
    assert "A&amp;B &lt;项目&gt;" in html and "&lt;script&gt;x&lt;/script&gt;" in html and "<script>" not in html
    data = render_docx(document, profile)
    etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    cells = {cell.text for table in docx.Document(io.BytesIO(data)).tables for row in table.rows for cell in row.cells}
    assert {"A&B <项目>", "<script>x</script> {{ x }}"} <= cells


@needs_libreoffice
def test_libreoffice_opens_the_docx(yuanjiang_docx, tmp_path):
    source = tmp_path / "yuanjiang.docx"
    source.write_bytes(yuanjiang_docx)
    subprocess.run(["libreoffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "yuanjiang.pdf"
    # -raw: the content stream's order, i.e. cell by cell; the default reading order
    # interleaves the merged cells of a form depending on where the lines fall
    text = squeeze(subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True,
                                  text=True).stdout)
    assert "产出指标（40分）" in text and "950%" in text and "≥36.6万人" in text


def test_forms_in_the_accounts_part_five(profile, tmp_path):
    """A unit with accounts and 绩效: the forms follow the landscape tables, in portrait sections."""
    unit = yaml.safe_load((DATA / "yiyang-2024-shebao.yaml").read_text(encoding="utf-8"))
    unit["evaluation"] = yaml.safe_load(
        (DATA / "yuanjiang-2024-shebao-jixiao.yaml").read_text(encoding="utf-8"))["evaluation"]
    path = tmp_path / "unit.yaml"
    path.write_text(yaml.safe_dump(unit, allow_unicode=True, sort_keys=False), encoding="utf-8")
    document = build_document(check_file(path), profile, draft=True)
    keys = [t.key for t in document.tables()]
    assert keys[:9] == [f"t0{n}" for n in range(1, 10)] and "eval:0" in keys and "eval:7" in keys
    data = render_docx(document, profile)
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")).find(f"{W}body")
    sections = [s.find(f"{W}pgSz").get(f"{W}orient") for s in body.iter(f"{W}sectPr")]
    assert sections[-1] != "landscape"             # the forms close the file in a portrait section
