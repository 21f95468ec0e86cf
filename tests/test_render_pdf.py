"""End to end: the yiyang unit rendered to PDF holds every character, in embedded fonts.

The PDF is built once for the module (WeasyPrint takes seconds), as a draft so
that the same file also shows the 草稿 watermark; the determinism test renders
it a second time.  Other checks look at the HTML, which is cheap.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from markupsafe import escape
from pypdf import PdfReader

from generator.render import pdf as render_module
from generator.layout.document import build_document
from generator.layout.tree import Cover, Document, Heading, Paragraph, Table, Toc
from generator.pipeline import check_file
from generator.render.pdf import PdfResult, capture_weasyprint_log, render_html, render_pdf

from conftest import DATA

needs_poppler = pytest.mark.skipif(
    shutil.which("pdffonts") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdffonts, pdftotext) not installed",
)


@pytest.fixture(scope="module")
def yiyang(profile) -> Document:
    return build_document(check_file(DATA / "yiyang-2024-shebao.yaml"), profile, draft=True)


@pytest.fixture(scope="module")
def yiyang_pdf(yiyang, profile) -> PdfResult:
    return render_pdf(yiyang, profile)


@pytest.fixture(scope="module")
def pdf_path(yiyang_pdf, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "yiyang.pdf"
    path.write_bytes(yiyang_pdf.data)
    return path


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _printed_strings(document: Document):
    """Every text the document prints: blocks, table captions and cells."""
    for block in document.blocks:
        if isinstance(block, Cover):
            yield from (block.title, block.unit_name, block.date)
        elif isinstance(block, Toc):
            yield block.title
            yield from (e.text for e in block.entries)
        elif isinstance(block, (Heading, Paragraph)):
            yield block.text
        elif isinstance(block, Table):
            yield from (block.title, block.label, block.owner, block.unit, block.empty, *block.notes, block.closing)
            for grid in block.grids:
                yield from (cell.text for row in grid.rows for cell in row)


# ------------------------------------------------------------------ the PDF


def test_pdf_opens_with_title_and_dates_from_the_document(yiyang_pdf, yiyang):
    reader = PdfReader(io.BytesIO(yiyang_pdf.data))
    assert len(reader.pages) > 10
    meta = reader.metadata
    assert meta.title == yiyang.title == "2024年度益阳市社会保险服务中心部门决算"
    assert meta["/CreationDate"].startswith("D:20250630")
    assert meta["/ModDate"].startswith("D:20250630")


@needs_poppler
def test_every_font_is_embedded(pdf_path):
    out = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows, out
    for row in rows:
        emb, _sub, _uni, _obj, _gen = row[-5:]
        assert emb == "yes", f"字体未嵌入：{' '.join(row)}"


@needs_poppler
def test_every_character_of_the_document_is_in_the_pdf_text(pdf_path, yiyang):
    """No missing glyph: each character of each block and table cell can be extracted."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf_path), "-"],
                          capture_output=True, text=True, check=True).stdout
    extracted = set(_squeeze(text))
    wanted = set(_squeeze("".join(_printed_strings(yiyang))))
    assert wanted - extracted == set()

    flat = _squeeze(text)
    for sentence in (
        "人员经费635.97万元，占基本支出的75.56%",
        "完成年初预算的121.21%",
        "2024年度收、支总计841.69万元",
        "公用经费205.72万元，占基本支出的24.44%",
        "部门：益阳市社会保险服务中心",
        "公开09表",
    ):
        assert sentence in flat, sentence


def test_the_same_document_gives_the_same_bytes(yiyang_pdf, yiyang, profile):
    again = render_pdf(yiyang, profile)
    assert again.data == yiyang_pdf.data


def test_embedded_fonts_do_not_carry_the_clock(yiyang_pdf):
    """A subset's head.modified must not be the time of writing (fontTools stamps it unless
    SOURCE_DATE_EPOCH pins it to the document date; HarfBuzz keeps the font's own date)."""
    from datetime import datetime, timezone

    from fontTools.misc.timeTools import timestampSinceEpoch
    from fontTools.ttLib import TTFont

    expected = timestampSinceEpoch(datetime(2025, 6, 30, tzinfo=timezone.utc).timestamp())
    reader = PdfReader(io.BytesIO(yiyang_pdf.data))
    stamps = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                stream = descriptor.get("/FontFile2")
                if stream is not None:
                    head = TTFont(io.BytesIO(stream.get_object().get_data()))["head"]
                    stamps[str(descriptor["/FontName"])] = head.modified
    now = timestampSinceEpoch(datetime.now(timezone.utc).timestamp())
    assert stamps and all(stamp == expected or stamp < now - 86400 for stamp in stamps.values()), stamps


MARK_GREY = re.compile(rb"0\.862745\d* 0\.862745\d* 0\.862745\d* rg")  # #dcdcdc, the watermark's fill


def _draws_the_mark(page) -> bool:
    """Whether a page fills something in the watermark's grey (in its content or its form XObjects)."""
    streams = [page.get_contents().get_data()]
    xobjects = page["/Resources"].get("/XObject") or {}
    streams += [x.get_object().get_data() for x in xobjects.values()]
    return any(MARK_GREY.search(s) for s in streams)


@needs_poppler
def test_a_draft_shows_its_watermark_on_every_page_as_shapes_not_text(yiyang, yiyang_pdf, profile, tmp_path):
    draft_pages = PdfReader(io.BytesIO(yiyang_pdf.data)).pages
    assert all(_draws_the_mark(page) for page in draft_pages)
    final = render_pdf(dataclasses.replace(yiyang, draft=False), profile).data
    final_pages = PdfReader(io.BytesIO(final)).pages
    assert not any(_draws_the_mark(page) for page in final_pages)
    # a draft's extracted text is the final document's text: no 草 or 稿 spliced into cells and sentences
    texts = []
    for name, data in (("draft.pdf", yiyang_pdf.data), ("final.pdf", final)):
        (tmp_path / name).write_bytes(data)
        texts.append(subprocess.run(["pdftotext", "-layout", str(tmp_path / name), "-"], capture_output=True,
                                    text=True, check=True).stdout)
    assert texts[0] == texts[1] and "草稿" not in texts[0]


def test_warnings_are_in_chinese_and_none_about_missing_resources(yiyang_pdf):
    # Whatever WeasyPrint logged is here, in Chinese; nothing about missing fonts or images.
    assert all(w.startswith(("PDF排版警告：", "PDF排版错误：")) for w in yiyang_pdf.warnings)
    assert not [w for w in yiyang_pdf.warnings if "image" in w.lower() or "stylesheet" in w.lower()]


# ------------------------------------------------------------------ warnings


def test_a_weasyprint_warning_while_rendering_becomes_a_warning(monkeypatch, yiyang, profile):
    """A missing image is logged by WeasyPrint, not raised: render_pdf must return it."""
    page = '<html><body><img src="no-such-image.png"></body></html>'
    monkeypatch.setattr(render_module, "render_html", lambda document, profile: page)   # laid out whole
    monkeypatch.setattr(render_module, "_part_html", lambda *args: page)                 # part by part
    result = render_pdf(yiyang, profile)
    assert result.data.startswith(b"%PDF-")
    assert any("no-such-image.png" in w for w in result.warnings), result.warnings
    assert all(w.startswith(("PDF排版警告：", "PDF排版错误：")) for w in result.warnings)


def test_capture_keeps_warnings_and_skips_progress_and_other_threads():
    weasy = logging.getLogger("weasyprint")
    root_level = logging.getLogger().level
    logging.getLogger().setLevel(logging.CRITICAL)     # an application that silenced logging
    try:
        with capture_weasyprint_log() as log:
            weasy.warning("Ignored `foo: bar` at 1:1, unknown property.")
            weasy.warning("Ignored `foo: bar` at 1:1, unknown property.")
            weasy.error("Failed to load image at %r", "x.png")
            weasy.info("not a warning")
            logging.getLogger("weasyprint.progress").warning("Step 4 - Creating layout")
            other = threading.Thread(target=lambda: weasy.warning("another render"))
            other.start()
            other.join()
        weasy.warning("after the capture")
    finally:
        logging.getLogger().setLevel(root_level)
    assert log.warnings() == (
        "PDF排版警告：Ignored `foo: bar` at 1:1, unknown property.（共2次）",
        "PDF排版错误：Failed to load image at 'x.png'",
    )
    assert weasy.level == logging.NOTSET            # restored
    assert log not in weasy.handlers


# ------------------------------------------------------------------ the HTML


def test_html_lays_out_every_block_in_order(yiyang, profile):
    """Each block is the element with its id, in order, holding its (escaped) text."""
    html = render_html(yiyang, profile)
    shown = [b for b in yiyang.blocks if isinstance(b, (Cover, Toc, Heading, Paragraph, Table))]
    starts = [html.index(f'id="{b.id}"') for b in shown]
    assert starts == sorted(starts)
    ends = starts[1:] + [len(html)]
    for block, start, end in zip(shown, starts, ends):
        element = re.sub(r"<[^>]*>", "", html[start:end])   # the element's text, tags removed
        text = getattr(block, "text", None) or block.title
        assert str(escape(text)) in element, (type(block).__name__, text[:30])


def test_html_has_no_word_of_its_own(yiyang, profile):
    """Every text node of the HTML is (a line of) a text of the tree: the writer adds no words
    (it may break the cover's title after 年度)."""
    html = render_html(yiyang, profile)
    body = html[html.index("<body>"):]
    nodes = {t.strip() for t in re.findall(r">([^<>]+)<", body) if t.strip()}
    printed = [str(escape(t)) for t in _printed_strings(yiyang) for t in t.split("\n")]
    assert {n for n in nodes if not any(n in p for p in printed)} == set()


def test_html_numbers_rows_of_01_and_04_as_published(yiyang, profile):
    html = render_html(yiyang, profile)
    t01 = html[html.index(f'id="{yiyang.table("t01").id}"'):html.index(f'id="{yiyang.table("t02").id}"')]
    t04 = html[html.index(f'id="{yiyang.table("t04").id}"'):html.index(f'id="{yiyang.table("t05").id}"')]
    rows01 = re.findall(r'<td class="index a-center">(\d+)</td>', t01)
    rows04 = re.findall(r'<td class="index a-center">(\d+)</td>', t04)
    assert sorted(map(int, rows01)) == list(range(1, 61))
    assert sorted(map(int, rows04)) == list(range(1, 65))
    # every 类 on the right side of 01, even empty ones
    assert "二十六、抗疫特别国债安排的支出" in t01 and "二、外交支出" in t01
    assert t01.count("<thead>") == 1 and "栏次" in t01


def test_html_escapes_user_text_and_marks_drafts(yiyang, profile):
    doc = dataclasses.replace(yiyang, draft=False, blocks=yiyang.blocks + (Paragraph("x", "<b>A&B</b>"),))
    html = render_html(doc, profile)
    assert "&lt;b&gt;A&amp;B&lt;/b&gt;" in html and "<b>A&B</b>" not in html
    assert 'class="watermark"' not in html
    assert 'class="watermark"' in render_html(yiyang, profile)


# ------------------------------------------------------------------ part by part (issue 14)


def test_weasyprint_is_the_version_the_part_wise_writer_was_read_from():
    """generator/render/pdfwrite.py does what WeasyPrint's generate_pdf does, page by page, with
    WeasyPrint's internals: another version must be read again before it is allowed in."""
    import pydyf
    import weasyprint

    assert weasyprint.__version__ == render_module.WEASYPRINT_VERSION, (
        f"WeasyPrint {weasyprint.__version__} is installed; generator/render/pdfwrite.py and the part-wise "
        f"layout were written against {render_module.WEASYPRINT_VERSION}: compare weasyprint/pdf/__init__.py "
        "(generate_pdf), Page and Document with that version, then update WEASYPRINT_VERSION and pyproject.toml")
    assert pydyf.__version__.startswith("0.13."), f"pydyf {pydyf.__version__}: the page tree's Kids were read from 0.13"


def _pdf_facts(data: bytes, folder: Path, name: str) -> dict:
    """What a reader sees of a PDF: each page's text and pixels (50 dpi), the named destinations'
    pages, the outline, the links, the metadata."""
    path = folder / f"{name}.pdf"
    path.write_bytes(data)
    reader = PdfReader(path)
    texts = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    subprocess.run(["pdftoppm", "-r", "50", "-gray", str(path), str(folder / name)], check=True)
    pixels = [p.read_bytes() for p in sorted(folder.glob(f"{name}-*.pgm"))]
    return {"pages": len(reader.pages), "texts": texts, "pixels": pixels,
            "destinations": {k: reader.get_destination_page_number(v) for k, v in reader.named_destinations.items()},
            "outline": [(o.title, reader.get_destination_page_number(o)) for o in reader.outline
                        if not isinstance(o, list)],
            "links": [len(page.get("/Annots", [])) for page in reader.pages],
            "metadata": dict(reader.metadata),
            "boxes": [tuple(page.mediabox) for page in reader.pages]}


LAYOUTS = Path(__file__).parent / "layouts"     # a unit with both documents (its forms in both)


@pytest.mark.parametrize("unit", [DATA / "yiyang-2024-shebao.yaml", LAYOUTS / "school-qita-yuan.yaml"])
def test_the_pdf_laid_out_part_by_part_is_the_pdf_laid_out_whole(unit, monkeypatch, tmp_path):
    """Part by part (the 绩效 forms reused by the second document, page numbers and 目录 numbers laid
    out apart) a reader sees the same PDF as when the document is laid out in one piece: every page's
    text and pixels, links, destinations, outline, metadata; and the same page numbers for the DOCX."""
    from generator.pipeline import documents

    checked = check_file(unit)
    docs = documents(checked, draft=bool(checked.errors))
    assert docs
    made = {}
    for part_wise in (False, True):
        monkeypatch.setattr(render_module, "PART_WISE", part_wise)
        render_module._reusable.clear()
        made[part_wise] = [render_pdf(document, checked.profile) for document in docs]
    for n, (whole, parts) in enumerate(zip(made[False], made[True])):
        assert parts.pages == whole.pages and parts.warnings == whole.warnings
        a = _pdf_facts(whole.data, tmp_path, f"whole-{n}")
        b = _pdf_facts(parts.data, tmp_path, f"parts-{n}")
        assert a["pages"] >= 5 and len(a["pixels"]) == a["pages"]
        for key in a:
            assert a[key] == b[key], f"{docs[n].title}: {key} differs"


def test_the_forms_are_laid_out_once_for_both_documents(monkeypatch):
    """A unit's second document takes its 绩效 forms from the first: fewer pages are laid out."""
    from generator.pipeline import documents

    checked = check_file(LAYOUTS / "school-qita-yuan.yaml")
    accounts, evaluation = documents(checked, draft=bool(checked.errors))
    laid_out = []
    real = render_module._render_html_string

    def counting(html, *args):
        result = real(html, *args)
        laid_out.append(len(result.pages))
        return result

    monkeypatch.setattr(render_module, "_render_html_string", counting)
    render_module._reusable.clear()
    render_pdf(evaluation, checked.profile)
    alone = sum(laid_out)
    render_module._reusable.clear()
    render_pdf(accounts, checked.profile)
    laid_out.clear()
    after_accounts = render_pdf(evaluation, checked.profile)
    assert sum(laid_out) < alone
    assert after_accounts.data == render_pdf(evaluation, checked.profile).data   # and the same bytes


def test_a_long_table_laid_out_in_runs_of_rows_is_the_table_laid_out_whole(monkeypatch, yiyang, profile):
    """A 决算表 longer than CHUNK_ROWS is laid out a run of rows at a time (memory bounded by the
    run): the same bytes as the table laid out in one piece, portrait (05) and landscape (04)."""
    def lengthened(block):
        if not (isinstance(block, Table) and block.key in ("t04", "t05")):
            return block
        grid = block.grids[0]
        body = grid.body[:1] + grid.body[1:] * (200 // len(grid.body) + 1)
        return dataclasses.replace(block, grids=(dataclasses.replace(grid, body=body),))

    document = dataclasses.replace(yiyang, blocks=tuple(lengthened(b) for b in yiyang.blocks))
    long = [len(b.grids[0].body) for b in document.blocks if isinstance(b, Table) and b.key in ("t04", "t05")]
    assert len(long) == 2 and min(long) > 200
    laid_out = []
    real = render_module._render_html_string

    def counting(html, *args):
        result = real(html, *args)
        if "page-of" not in html:                     # not the page numbers' layout
            laid_out.append(len(result.pages))
        return result

    monkeypatch.setattr(render_module, "_render_html_string", counting)
    made = {}
    for rows in (0, 80):
        monkeypatch.setattr(render_module, "CHUNK_ROWS", rows)
        laid_out.clear()
        made[rows] = (render_pdf(document, profile), max(laid_out))
    (whole, whole_most), (runs, runs_most) = made[0], made[80]
    assert runs.data == whole.data and runs.pages == whole.pages
    assert runs_most < whole_most      # no run holds as many pages as the longest table whole
