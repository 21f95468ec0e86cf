"""juesuan import --from: what no table holds comes from last year — its unit file, or the first year
its published document (DOCX, PDF) — marked for review; last year's 决算 becomes this year's
comparison figures; what a document does not give is listed and asked, never guessed."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import DATA
from generator.check.checks import text_fingerprint
from generator.cli import main
from generator.importer.build import read
from generator.importer.document import carried_from, paragraphs_of
from generator.load.loader import load_file
from generator.pipeline import check_file, process
from workbooks.make_workbooks import build

REFERENCE = Path(__file__).resolve().parent / "reference"   # the published documents' text (from their PDFs)
YIYANG = DATA / "yiyang-2024-shebao.yaml"


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    return build("yiyang", "sheets-split-codes", tmp_path_factory.mktemp("book"))


def test_last_years_file_supplies_texts_counts_and_comparisons(book, tmp_path, capsys):
    target = tmp_path / "2025.yaml"
    code, _, err = run(capsys, "import", book, "-o", target, "--from", YIYANG)
    assert code == 0, err
    data = load_file(target).data
    last = load_file(YIYANG).data
    assert data.unit.year == 2025 and data.unit.code == "yiyang-shebao"
    assert data.unit.department == last.unit.department
    assert data.overview == last.overview
    assert data.reasons == last.reasons and data.three_public.reasons == last.three_public.reasons
    assert data.initial_budget == last.initial_budget
    assert data.general_expenses == last.general_expenses and data.assets == last.assets
    # last year's 决算 as this year's comparison figures (not last year's own comparisons)
    assert data.last_year.total == Decimal("841.69") and data.last_year.general_budget == Decimal("841.69")
    # per 类 only where the layout compares each 类 with last year (hunan does not)
    assert data.last_year.general_by_class == {}
    assert data.three_public.last_year.reception == Decimal("1.51")
    assert data.running_cost.last_year == Decimal("205.72")
    # every carried text is marked until edited: 沿用上年，请核对
    assert data.carried_over["overview.duties"] == text_fingerprint(last.overview.duties)
    warned = {i.path for i in check_file(target).issues if i.code == "TEXT-CARRIED"}
    assert warned == set(data.carried_over)
    text = target.read_text(encoding="utf-8")
    assert "authorized: 48                      # 编制数（人）；沿用上年" in text
    edited = text.replace("（一）贯彻执行中央", "（一）认真贯彻执行中央")
    target.write_text(edited, encoding="utf-8")
    assert "overview.duties" not in {i.path for i in check_file(target).issues if i.code == "TEXT-CARRIED"}


def test_last_year_in_wan_this_year_in_yuan_is_converted(tmp_path, capsys):
    book = build("yiyang", "sheets-split-codes", tmp_path)
    target = tmp_path / "yuan.yaml"
    assert run(capsys, "import", book, "-o", target, "--from", YIYANG, "--unit", "元")[0] == 0
    data = load_file(target).data
    assert data.unit.amount_unit == "元"
    assert data.last_year.total == Decimal("8416900.00")
    assert data.initial_budget.lines["2080101"].amount == Decimal("5049200.00")


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """Last year's document as this project publishes it (the 益阳 unit), rendered when first asked for."""
    folder = tmp_path_factory.mktemp("published")
    made = {}

    def document(suffix: str) -> Path:
        if suffix not in made:
            (made[suffix],) = process(YIYANG, folder / suffix[1:], (suffix[1:],)).paths
        return made[suffix]
    return document


def test_last_year_per_class_for_a_layout_that_compares_each_class(book, tmp_path, capsys):
    target = tmp_path / "2025.yaml"
    layout = Path(__file__).parent / "profiles" / "qita-yuan"
    code, _, err = run(capsys, "import", book, "-o", target, "--from", YIYANG, "--profile", str(layout))
    assert code == 0, err
    last = check_file(YIYANG)
    expected = {s.code: s.amount for s in last.figures.general_by_class}   # last year's 决算 per 类
    assert load_file(target).data.last_year.general_by_class == expected and len(expected) == 4


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_last_years_document_gives_its_texts_and_figures(suffix, published, book, tmp_path, capsys):
    target = tmp_path / "first-year.yaml"
    code, _, err = run(capsys, "import", book, "-o", target, "--from", published(suffix))
    assert code == 0, err
    data = load_file(target).data
    last = load_file(YIYANG).data
    for path in ("overview.duties", "overview.organization", "reasons.total_change", "reasons.fiscal_change",
                 "reasons.general_budget_change", "three_public.reasons.budget", "three_public.reasons.last_year",
                 "running_cost.reason", "performance.results", "performance.use_of_results"):
        ours, theirs = data, last
        for part in path.split("."):
            ours, theirs = getattr(ours, part), getattr(theirs, part)
        assert same_text(ours, theirs), path
    assert data.overview.staffing == last.overview.staffing
    assert {code: (line.amount, line.reason) for code, line in data.initial_budget.lines.items()} == \
        {code: (line.amount, line.reason) for code, line in last.initial_budget.lines.items()}
    assert data.initial_budget.total == Decimal("694.38")
    assert data.last_year.total == Decimal("841.69") and data.last_year.fiscal_total == Decimal("841.69")
    assert data.last_year.general_by_class == {}      # per 类 only for a layout that prints it (hunan does not)
    assert data.three_public.last_year.reception == Decimal("1.51")
    assert data.running_cost.last_year == Decimal("205.72")
    assert "没有找到（写作“待填写”）：一般性支出" in err
    asked = {i.path for i in load_file(target).issues if i.code == "UNFILLED"}
    assert asked == {"unit.code", "unit.department", "general_expenses.meeting.amount",
                     "general_expenses.training.amount", "general_expenses.events.amount"}
    assert "overview.duties" in data.carried_over


def test_published_reference_texts(tmp_path):
    """The two real documents (text extracted from their PDFs): what is found, and what is listed —
    蓝山's 五（三） line named 政府办公厅（室）…行政运行 is not its code 2019999's name, so its budget
    line is listed, not guessed (primer §8)."""
    found = {}
    for unit in ("yiyang", "lanshan"):
        imported, _, _ = read(build(unit, "sheets-split-codes", tmp_path))
        text = (REFERENCE / f"{unit}-2024-shebao-juesuan.txt").read_text(encoding="utf-8")
        found[unit] = carried_from(paragraphs_of(text), [], unit, imported)
    y, l = found["yiyang"], found["lanshan"]
    assert y.data.overview.staffing.authorized == 48 and y.data.overview.staffing.retired == 27
    assert y.value("reasons.total_change") == "严格执行一般性支出压减政策，以及目标管理考核奖财政暂未拨付"
    assert len(y.data.initial_budget.lines) == 11
    assert y.comparisons["last_year.total"] == Decimal("841.69")
    assert l.value("three_public.reasons.last_year") == "本年交流学习次数较上年增加导致公务接待支出增加"
    assert l.value("reasons.total_change") == "较上年增加在职人员开支及必要的运转经费增加"
    assert set(l.data.initial_budget.lines) == {"2080109", "2101102"}
    assert any("政府办公厅（室）及相关机构事务（款）行政运行（项）" in item for item in l.unmatched)
    assert "编制数" in l.unmatched  # 在编31人 is not the 编制数: not read as one
    assert l.data.overview.staffing.actual == 42
