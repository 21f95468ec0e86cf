"""One content, two layouts: the DOCX and the PDF carry the same paragraphs, in the same order."""

import io
import re
import subprocess

import docx
import pytest

from generator.layout.document import build_document
from generator.pipeline import check_file
from generator.profiles import load_profile
from generator.render.docx import render_docx
from generator.render.pdf import render_pdf

from conftest import DATA

NARRATIVE = ("h1", "h2", "h3", "p")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module", params=["yiyang-2024-shebao.yaml", "lanshan-2024-shebao.yaml"])
def rendered(request, tmp_path_factory):
    profile = load_profile("hunan")
    checked = check_file(DATA / request.param)
    document = build_document(checked, profile, draft=bool(checked.errors))
    pdf = tmp_path_factory.mktemp("pdf") / "doc.pdf"
    pdf.write_bytes(render_pdf(document, profile).data)
    pdf_text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
    body = docx.Document(io.BytesIO(render_docx(document, profile))).paragraphs
    # page furniture interleaves with the text: the "- N -" page numbers (the 草稿 mark is shapes, not text)
    pdf_text = re.sub(r"-\s*\d+\s*-", "", squeeze(pdf_text))
    return document, [p.text for p in body if p.text.strip()], pdf_text


def test_docx_paragraphs_are_the_blocks_in_order(rendered):
    document, paragraphs, _ = rendered
    blocks = [b.text for b in document.blocks if b.kind in NARRATIVE]
    # the DOCX lists the headings once more in its 目录: the blocks must be a subsequence
    position = 0
    for paragraph in paragraphs:
        if position < len(blocks) and paragraph == blocks[position]:
            position += 1
    assert position == len(blocks), f"DOCX lacks, or has out of order: {blocks[position][:60]}"
    for text in (b.text for b in document.blocks if b.kind == "p"):
        assert paragraphs.count(text) >= 1


def test_pdf_holds_the_same_paragraphs_in_the_same_order(rendered):
    document, paragraphs, pdf = rendered
    position = 0
    for text in (b.text for b in document.blocks if b.kind in NARRATIVE):
        # a paragraph may be split across a page break by a running footer: compare its halves
        text = squeeze(text)
        head, tail = text[:40], text[-40:]
        at = pdf.find(head, position)
        assert at >= 0, f"PDF lacks (or has out of order): {text[:60]}"
        assert pdf.find(tail, at) >= 0, f"PDF lacks the end of: {text[:60]}"
        position = at + 1


def test_lanshan_states_corrected_figures_in_both_formats():
    profile = load_profile("hunan")
    checked = check_file(DATA / "lanshan-2024-shebao.yaml")
    document = build_document(checked, profile, draft=True)
    paragraphs = " ".join(b.text for b in document.blocks)
    for right in ("基本支出500.63万元", "人员经费417.28万元，占基本支出的83.35%", "完成年初预算的132.19%",
                  "完成年初预算的132.57%", "完成预算的93.67%",
                  "一般公共服务支出（类）其他一般公共服务支出（款）其他一般公共服务支出（项）"):
        assert right in paragraphs
    for wrong in ("基本支出504.66万元", "82.68%", "132.18%", "132.56%", "93.66%", "政府办公厅"):
        assert wrong not in paragraphs
