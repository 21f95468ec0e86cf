"""Text that bites: markup characters, emoji, rare CJK, very long paragraphs — in both formats."""

import shutil
import subprocess

import docx
import pytest

from generator.load import load_bytes
from generator.pipeline import publish, validate

from conftest import unit_text

HOSTILE = "R&D <5%> \"引号\" '单引号' 😀 𠀾 〇 𪛖 </w:t><w:t>"
LONG = "长段落测试" * 2000


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    text = unit_text({"overview": {"duties": HOSTILE, "organization": LONG}})
    checked = validate(load_bytes("hostile.yaml", text.encode("utf-8")))
    assert not checked.errors
    result = publish(checked, out, ("docx", "pdf"))
    return out, result


def test_docx_keeps_the_text_exactly(rendered):
    out, result = rendered
    path = next(p for p in result.paths if p.suffix == ".docx")
    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    assert HOSTILE in paragraphs and LONG in paragraphs


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_docx_opens_in_libreoffice(rendered, tmp_path):
    out, result = rendered
    path = next(p for p in result.paths if p.suffix == ".docx")
    subprocess.run(["libreoffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", str(tmp_path / (path.stem + ".pdf")), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "R&D <5%>" in text and "</w:t><w:t>" in text


def test_pdf_shows_it_or_names_the_missing_glyph(rendered):
    out, result = rendered
    path = next(p for p in result.paths if p.suffix == ".pdf")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "R&D <5%>" in text and "𠀾" in text and "〇" in text
    # 𪛖 (U+2A6D6) is in no font installed here: the run says so, naming the field
    named = [w for w in result.warnings if "𪛖" in w and "overview.duties" in w]
    assert len(named) == 1 and "U+2A6D6" in named[0]
    assert not any("𠀾" in w or "〇" in w for w in result.warnings)
