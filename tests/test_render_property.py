"""What ``check`` accepts, ``render`` renders: a file without errors never crashes a renderer.

For every accepted file of the bad-input corpus, and for units drawn by the fuzzing
strategies (mutations of the real units and of the base unit, and the base unit with a
value written in one of the ways accountants write it), a check without errors implies
that both documents render in both formats.  The default suite lays the PDF out as
HTML (where the renderers read the data: dates, names, numbers) and writes a few
PDFs whole; ``-m slow`` writes every PDF.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.issues import UnusableInput
from generator.load import load_bytes
from generator.pipeline import documents, validate
from generator.render.docx import render_docx
from generator.render.pdf import render_html, render_pdf
from generator.render.xlsx import render_xlsx

from conftest import BASE_UNIT
from test_fuzz import text_mutations, tree_mutations

CORPUS = Path(__file__).resolve().parent / "corpus"
ACCEPTED = [case["file"] for case in yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))["accepted"]]
WHOLE_PDF = {"ok-crlf.yaml", "ok-gbk.yaml", "ok-date-chinese.yaml"}


def renders(data: bytes, name: str = "unit.yaml", whole_pdf: bool = False) -> bool:
    """Check ``data``; when it has no errors, render every document in DOCX and PDF (or its HTML)."""
    try:
        checked = validate(load_bytes(name, data))
    except UnusableInput:
        return False
    if checked.errors or not checked.usable:
        return False
    profile = checked.profile
    produced = documents(checked)
    assert produced, "a checked unit produces at least one document"
    for document in produced:
        assert render_docx(document, profile)[:2] == b"PK"
        assert render_xlsx(document)[:2] == b"PK"
        if whole_pdf:
            assert render_pdf(document, profile).data.startswith(b"%PDF")
        else:
            assert "<html" in render_html(document, profile)
    return True


@pytest.mark.parametrize("file", ACCEPTED)
def test_every_accepted_corpus_file_renders(file):
    assert renders((CORPUS / file).read_bytes(), file, whole_pdf=file in WHOLE_PDF)


@pytest.mark.slow
@pytest.mark.parametrize("file", ACCEPTED)
def test_every_accepted_corpus_file_renders_whole_pdfs(file):
    assert renders((CORPUS / file).read_bytes(), file, whole_pdf=True)


# ------------------------------------------------------------------ values as accountants write them

DATES = ["2025年6月30日", "2025-6-30", "2025/06/30", "2025.06.30", "２０２５年６月３０日", "2025年 6月 30日", "2024-12-31"]
TEXTS = ["", "含<尖括号>&符号", "第一行\n第二行", "“引号”和‘单引号’", "😀", "\u200b零宽", "a" * 300, "12.3万元", "%"]
AMOUNTS = ["1,234.56", "１２３．４５", "—", "0", "0.00", "  12.30 ", "1000000"]


@st.composite
def written_units(draw) -> bytes:
    """The base unit with a date, a text and an amount written the ways people write them."""
    unit = copy.deepcopy(BASE_UNIT)
    unit["unit"]["date"] = draw(st.sampled_from(DATES))
    unit["unit"]["name"] = draw(st.sampled_from(["测试单位", "县/市“第一”中学<分校>", "某某单位" * 12]))
    unit["overview"]["duties"] = draw(st.sampled_from(TEXTS))
    unit["three_public"]["reasons"] = {"budget": draw(st.sampled_from(TEXTS))}
    unit["procurement"] = {"goods": {"amount": draw(st.sampled_from(AMOUNTS))}}
    unit["general_expenses"] = {"meeting": {"amount": draw(st.sampled_from(AMOUNTS)),
                                            "content": draw(st.sampled_from(TEXTS))}}
    return yaml.safe_dump(unit, allow_unicode=True, sort_keys=False).encode("utf-8")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(written_units())
def test_units_written_as_accountants_write_them_render(data):
    assert renders(data)  # each of these ways of writing passes check, and renders


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(tree_mutations(), text_mutations()))
def test_mutated_units_that_pass_check_render(data):
    renders(data)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(written_units(), tree_mutations(), text_mutations()))
def test_long_run_check_clean_implies_render(data):
    renders(data, whole_pdf=True)
