"""The DOCX is the same document as the PDF (issue 13): opened in LibreOffice, as a reviewer
would, each data/ unit's DOCX (and the two test layouts') has the PDF's page count within
10%, 公开01表 and 04表 each keep to one page in both, and no amount is broken across lines.

Every document is rendered in both formats (drafts where the data has errors), and all the
DOCX files are converted to PDF in one LibreOffice call.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.pipeline import check_file, documents
from generator.render import render_bytes

from conftest import DATA
from readback import pdf_pages_text, squeeze

LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")
LAYOUTS = Path(__file__).parent / "layouts"    # two more provinces' layouts (tests/profiles)


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """[(document, our PDF, LibreOffice's PDF of our DOCX)] for every document of the data/ units."""
    assert LIBREOFFICE, "LibreOffice is installed by scripts/setup.sh"
    out = tmp_path_factory.mktemp("parity")
    made = []
    for path in sorted(DATA.glob("*.yaml")) + sorted(LAYOUTS.glob("*.yaml")):
        checked = check_file(path)
        for n, document in enumerate(documents(checked, draft=bool(checked.errors))):
            outputs, _ = render_bytes(document, checked.profile, ("docx", "pdf"))
            stem = f"{path.stem}-{n}"
            (out / f"{stem}.pdf").write_bytes(outputs["pdf"])
            (out / "docx").mkdir(exist_ok=True)
            (out / "docx" / f"{stem}.docx").write_bytes(outputs["docx"])
            made.append((document, stem))
    profile_dir = out / "lo-profile"
    subprocess.run([LIBREOFFICE, f"-env:UserInstallation={profile_dir.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out / "lo"), *sorted(str(p) for p in (out / "docx").glob("*.docx"))],
                   check=True, capture_output=True, timeout=600)
    return [(document, out / f"{stem}.pdf", out / "lo" / f"{stem}.pdf") for document, stem in made]


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def test_libreoffice_shows_the_docx_on_as_many_pages_as_the_pdf(converted):
    counts = [(d.title, page_count(ours), page_count(theirs)) for d, ours, theirs in converted]
    assert len(counts) >= 8
    for title, ours, theirs in counts:
        assert abs(theirs - ours) <= ours * 0.10, f"{title}: PDF {ours} pages, DOCX in LibreOffice {theirs}"


def _page_of(pages: list[str], text: str, start: int = 0) -> int:
    wanted = squeeze(text)
    return next(i for i in range(start, len(pages)) if wanted in pages[i])


@pytest.mark.parametrize("key", ["t01", "t04"])
def test_tables_01_and_04_keep_to_one_page_in_both(converted, key):
    checked = 0
    for document, ours, theirs in converted:
        table = next((t for t in document.tables() if t.key == key), None)
        if table is None:
            continue
        for pdf in (ours, theirs):
            pages = [squeeze(p) for p in pdf_pages_text(pdf)]
            # the table's page: its title with its 部门/单位 line (the 目录 lists the title alone)
            first = next(i for i, page in enumerate(pages) if squeeze(table.title) in page
                         and squeeze(table.owner) in page)
            last = _page_of(pages, table.notes[-1], first)        # the notes follow the last row
            assert first == last, f"{document.title} {table.label}: pages {first + 1}–{last + 1} of {pdf.name}"
        checked += 1
    assert checked >= 3


def test_no_amount_is_broken_across_lines_in_libreoffice(converted):
    """Every amount of every table stands whole on one line in LibreOffice's rendering as often as
    it does in our PDF (which never breaks one): a break (12,984,142.9 / 0) would lose one."""
    seen = 0
    for document, ours, theirs in converted:
        amounts = {cell.text for table in document.tables() for grid in table.grids for row in grid.rows
                   for cell in row if cell.role == "amount" and cell.text}
        texts = {}
        for pdf in (ours, theirs):
            texts[pdf] = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                        check=True).stdout
        for amount in amounts:
            pattern = re.compile(rf"(?<![\d.,]){re.escape(amount)}(?![\d.,])")
            mine, theirs_count = len(pattern.findall(texts[ours])), len(pattern.findall(texts[theirs]))
            assert mine > 0 and theirs_count >= mine, f"{document.title}: “{amount}” {mine} × in the PDF, " \
                                                      f"{theirs_count} × in LibreOffice"
            seen += 1
    assert seen > 100


def _words_outside_the_text_area(pdf: Path, margin_pt: float) -> list[tuple[int, str]]:
    """(page, word) for every word that reaches past the page's right margin (pdftotext -bbox)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    outside = []
    for number, page in enumerate(re.findall(r"<page (.*?)</page>", html, re.S), start=1):
        width = float(re.search(r'width="([\d.]+)"', page).group(1))
        for x_max, word in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>',
                                      page):
            if float(x_max) > width - margin_pt:
                outside.append((number, word))
    return outside


def test_every_table_fits_its_page_width_in_libreoffice(converted):
    """No cell of any table runs past the right margin (portrait or landscape) in either PDF; half the
    narrowest right margin of the typography is the allowance for a border's width."""
    from generator.layout.typography import MM_PER_INCH, Typography

    typography = Typography()
    narrowest = min(typography.margins_mm[1], typography.landscape_margins_mm[1])
    margin_pt = float(narrowest / MM_PER_INCH * 72) / 2
    for document, ours, theirs in converted:
        for pdf in (ours, theirs):
            outside = _words_outside_the_text_area(pdf, margin_pt)
            assert not outside, f"{document.title} ({pdf.parent.name}/{pdf.name}): {outside[:5]}"
