"""One description, three writers: the DOCX, the PDF and the XLSX carry the same cells, headings and 目录.

For every data/ unit (and the demo school in a second profile), each document is laid out
once and written in the three formats; each file is read back (tests/readback.py) and
compared with the document tree: every table's every cell in the DOCX and the XLSX (as
matrices, spans resolved; amounts in the XLSX as the numbers shown), every table's cells
in order in the PDF's drawn text, the headings in order, the 目录's entries exactly.
The outputs are byte-identical when rendered again.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator.layout.tree import Heading, Table
from generator.pipeline import check_file, documents
from generator.render import render_bytes

from conftest import DATA
from readback import docx_paragraphs, docx_tables, in_order, pdf_pages_text, pdf_raw_text, squeeze, xlsx_sheets

LAYOUTS = Path(__file__).parent / "layouts"
# every data/ unit, the demo school in a second profile, and the two test layouts in their own
CASES = ([(DATA / p.name, "hunan") for p in sorted(DATA.glob("*.yaml"))] + [(DATA / "demo-2024-school.yaml", "yuan")]
         + [(p, None) for p in sorted(LAYOUTS.glob("*.yaml"))])


@pytest.fixture(scope="module", params=CASES, ids=[f"{p.name}-{profile or 'own'}" for p, profile in CASES])
def rendered(request, tmp_path_factory):
    path, profile = request.param
    checked = check_file(path, profile=profile)
    out = tmp_path_factory.mktemp("agree")
    results = []
    for document in documents(checked, draft=bool(checked.errors)):
        outputs, _ = render_bytes(document, checked.profile, ("docx", "pdf", "xlsx"))
        pdf = out / f"{len(results)}.pdf"
        pdf.write_bytes(outputs["pdf"])
        results.append((document, outputs, pdf))
    return checked, results


def grids(document):
    return [grid for table in document.tables() for grid in table.grids]


def test_docx_tables_are_the_tree_s_grids_cell_for_cell(rendered):
    _, results = rendered
    for document, outputs, _ in results:
        expected = [grid.matrix() for grid in grids(document)]
        assert docx_tables(outputs["docx"]) == expected


def test_xlsx_sheets_hold_the_tree_s_cells_and_numbers(rendered):
    _, results = rendered
    for document, outputs, _ in results:
        sheets = xlsx_sheets(outputs["xlsx"])
        tables = document.tables("statement") or document.tables("form")
        assert len(sheets) == len(tables)
        for (title, rows), table in zip(sheets.items(), tables):
            assert title == (table.label or table.title)[:31]
            assert rows[0][0] == table.title
            top = next(i for i, row in enumerate(rows) if i > 0 and row[0] == table.grids[0].rows[0][0].text)
            for grid in table.grids:
                for r, c, cell in grid.placed():
                    got = rows[top + r][c]
                    want = cell.value if cell.value is not None else cell.text
                    assert got == want, (table.key, r, c, cell.text)
                top += len(grid.rows)
            after = [row[0] for row in rows[top:]]
            assert after == [*([table.empty] if table.empty else []), *table.notes,
                             *([table.closing] if table.closing else [])]


def test_pdf_draws_every_cell_in_order(rendered):
    _, results = rendered
    for document, _, pdf in results:
        text = squeeze(pdf_raw_text(pdf))
        for table in document.tables():
            cells = [cell.text for grid in table.grids for row in grid.rows for cell in row]
            missing = in_order([table.title, *cells, table.empty, *table.notes, table.closing], text)
            assert missing is None, f"{table.key}: {missing!r} not drawn (or out of order)"


def test_headings_and_toc_entries_are_the_same_in_docx_and_pdf(rendered):
    _, results = rendered
    for document, outputs, pdf in results:
        paragraphs = docx_paragraphs(outputs["docx"])
        headings = [(f"Heading{b.level}", b.text) for b in document.blocks if isinstance(b, Heading)]
        assert [p for p in paragraphs if p[0].startswith("Heading")] == headings
        toc = document.toc
        entries = [(f"TOC{e.level}", e.text) for e in toc.entries]
        listed = [p for p in paragraphs if p[0].startswith("TOC") and p[0] != "TOCHeading"]
        assert [(style, text.split("\t")[0]) for style, text in listed] == entries
        # each entry shows the page its target is on in the PDF (the cover uncounted: 目录 = 1)
        if toc.page_numbers:
            pages = [squeeze(page) for page in pdf_pages_text(pdf)]
            start = next(i for i, page in enumerate(pages) if page.startswith(squeeze(toc.title)))
            after = max(i for i, page in enumerate(pages) if "......" in page) + 1   # past the 目录's pages
            at = after
            for entry, (_, text) in zip(toc.entries, listed):
                wanted = squeeze(entry.text.replace("（空表）", "")).split("、", 1)[-1]  # a table: by its title
                at = next(i for i in range(at, len(pages)) if wanted in pages[i])
                assert int(text.split("\t")[1]) == at - start + 1, entry.text    # the 目录 is page 1
        # the PDF's 目录 page(s) list the same entries, in order, before the first heading's page
        text = squeeze(pdf_raw_text(pdf))
        assert in_order([toc.title, *(e.text for e in toc.entries)], text) is None
        assert in_order([h for _, h in headings], text[text.find(squeeze(toc.entries[-1].text)):]) is None


def test_every_format_is_byte_identical_when_rendered_again(rendered):
    checked, results = rendered
    for document, outputs, _ in results:
        again, _ = render_bytes(dataclasses.replace(document), checked.profile, ("docx", "pdf", "xlsx"))
        assert again == outputs


def test_the_published_disagreements_are_gone(rendered):
    """What used to differ between the two writers (issue 10) is one decision now."""
    checked, results = rendered
    document, outputs, pdf = results[0]
    if not checked.loaded.accounts:   # a 绩效-only file: its document is the forms alone
        assert [t.kind for t in document.tables()] == ["form"] * len(document.tables()) and document.tables()
        return
    # the code column's header: one word in both formats (the DOCX said 科目代码, the PDF 科目编码)
    t02 = document.table("t02").grids[0].matrix()
    code_header = t02[1][0]
    assert code_header in ("科目代码", "科目编码")
    assert docx_tables(outputs["docx"])[1][1][0] == code_header
    # the 目录 lists the tables (一、收入支出决算总表 …) in the DOCX as in the PDF
    assert any(e.text.startswith("一、收入支出决算总表") for e in document.toc.entries)
    # 04's header: the same rows in both (the DOCX had a 决算数 group the PDF did not)
    t04 = next(t for t in document.tables() if t.key == "t04").grids[0].matrix()
    assert docx_tables(outputs["docx"])[3][:3] == t04[:3]
    assert isinstance(document.table("t01"), Table)
