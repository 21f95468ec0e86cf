"""From the tables read to the unit's figures: what goes where in the unit file.

Each table feeds the fields the data format has for it (docs/data-format.md §五):

* 02, 03, 05, 07, 08 → ``functional``: a 项 row's figures are data; the printed 类
  and 款 rows are kept as their cross-check totals, as the format has them.  02
  prints 财政拨款收入 in one column: a 项's 一般公共预算 share is that column less
  its 政府性基金 income (07's 本年收入 column) and its 国有资本经营 income — known
  to be 0 when 01/04 print none; otherwise it is not known, and the file asks for it.
* the 合计 rows of 02, 03, 05 → ``totals``; 01/04's three 财政拨款收入 → ``totals.income``.
* 01 → ``balances`` (使用非财政拨款结余, 年初/年末结转和结余, 结余分配);
  04 → ``balances.fiscal_opening`` / ``fiscal_closing`` by kind of 财政拨款.
* 06 → ``basic_items`` (5-digit items are data; 301, 302 … and the two 合计 are printed).
* 09 → ``three_public.budget`` / ``actual`` (and ``last_year`` where a province prints it).

The rest of 01 and 04 is derived by the generator itself; the printed figures are
compared with the tables they repeat.  Printed against printed, a disagreement beyond
a rounding tail (0.01 万元 an item) means the workbook is not one consistent export,
or a row was not read: that is an error and no file is written.  Smaller differences
are left to ``juesuan check`` where the file keeps both figures, and reported here
where it keeps only one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from ..issues import Issue, Severity
from ..model import catalogue
from ..money import ZERO
from .cells import norm
from .locate import REQUIRED, TITLES, Region, find_regions, majority
from .tables import COLUMN_NAMES, Figure, Line, ReadTable, Reader, issue, read_table
from .workbook import Sheet

ERROR, WARNING = Severity.ERROR, Severity.WARNING
CENT = Decimal("0.01")

Path = tuple[str, ...]
"""A figure's place in the unit file: ("functional", "2080101", "income", "general"),
("totals", "income", "total"), ("basic_items", "items", "30101") …"""


@dataclass(frozen=True)
class Value:
    amount: Decimal | None                 # None: not known — written as 待填写
    refs: tuple[str, ...] = ()             # the cells it was read from
    note: str = ""                         # why it is asked for, when it is


@dataclass
class RowInfo:
    code: str
    name: str                              # as printed
    ref: str


@dataclass
class Imported:
    """A workbook's figures, placed: what the unit file holds, with the cells they came from."""

    amount_unit: str
    unit_name: str = ""
    unit_name_ref: str = ""
    year: int | None = None
    year_ref: str = ""
    figures: dict[Path, Value] = field(default_factory=dict)
    implied: dict[Path, Value] = field(default_factory=dict)   # printed row totals equal to their row's sum:
    #                                                            not written, but kept current where a file has them
    rows: dict[str, RowInfo] = field(default_factory=dict)      # 功能分类 codes, in code order
    items: dict[str, RowInfo] = field(default_factory=dict)     # 经济分类 codes of 06, in printed order
    tables: dict[str, ReadTable] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    converted_from: str = ""               # the sheets' 金额单位, when the file is written in another

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    def get(self, *path: str) -> Decimal | None:
        value = self.figures.get(path)
        return value.amount if value is not None else None


SECTIONS = {"t02": "income", "t03": "expenditure", "t05": "general_budget", "t07": "fund_budget",
            "t08": "capital_budget"}

#: The data fields of each section on a 项 row, and the printed total each section may carry.
DATA_FIELDS = {
    "income": ("general", "fund", "capital", "superior", "business", "operating", "affiliated", "other"),
    "expenditure": ("basic", "project", "remit_superior", "operating", "subsidy_affiliated"),
    "general_budget": ("basic", "project"),
    "fund_budget": ("opening", "basic", "project"),
    "capital_budget": ("basic", "project"),
}
PRINTED_FIELDS = {"income": ("fiscal", "total"), "expenditure": ("total",), "general_budget": ("total",),
                  "fund_budget": ("closing",), "capital_budget": ()}


def assemble(sheets: list[Sheet], file: str, amount_unit: str | None = None) -> Imported:
    """The placed figures of a workbook's sheets (issues inside; errors mean: write nothing).

    ``amount_unit`` (``--unit``) writes the file in that unit whatever the sheets say (exact:
    ×10000 or ÷10000)."""
    regions = find_regions(sheets)
    if not regions:
        names = "、".join(s.name for s in sheets) or "（没有工作表）"
        return _unusable(file, "IMPORT-NO-TABLES",
                         f"工作簿中没有认出任何一张公开表（按表名如“收入支出决算总表”、表号如“公开01表”查找）；"
                         f"工作表：{names}")
    issues: list[Issue] = []
    by_kind: dict[str, Region] = {}
    for region in regions:
        if region.kind in by_kind:
            first = by_kind[region.kind]
            issues.append(issue(region.where, "IMPORT-DUPLICATE-TABLE",
                                f"{TITLES[region.kind]}出现了两次：{first.where}（{first.name}）和 {region.where}"
                                f"（{region.name}）；无法确定用哪一张，请删去多余的工作表后再导入"))
            continue
        by_kind[region.kind] = region
    holding = {region.sheet.name for region in regions}
    for sheet in sheets:
        if sheet.name not in holding and any(str(v).strip() for row in sheet.rows for v in row):
            issues.append(issue(f"{sheet.name}!A1", "IMPORT-SHEET",
                                f"工作表“{sheet.name}”中没有认出公开表，其中的内容没有导入", WARNING))
    if "t10" in by_kind:
        region = by_kind.pop("t10")
        issues.append(issue(region.where, "IMPORT-SHEET",
                            f"{region.name}（政府采购、机关运行经费、车辆和大型设备）没有导入：这些数字请在文件的 "
                            "procurement、running_cost、assets 中填写", WARNING))
    unit_word, unit_issues = _amount_unit(list(by_kind.values()))
    issues += unit_issues
    imported = Imported(unit_word or "万元", issues=issues)
    for kind in REQUIRED:
        if kind not in by_kind:
            issues.append(issue(file, "IMPORT-MISSING-TABLE",
                                f"工作簿中没有找到{kind[1:]}表“{TITLES[kind]}”（按表名和表号查找），"
                                "它的数字无法导入；请导出全部公开表后再导入"))
    for kind in ("t01", "t04", "t07", "t08"):
        if kind not in by_kind:
            issues.append(issue(file, "IMPORT-MISSING-TABLE",
                                f"工作簿中没有找到{kind[1:]}表“{TITLES[kind]}”："
                                + ("按空表处理（本单位没有这类收支时常不打印）" if kind in ("t07", "t08")
                                   else "结转和结余无法导入，文件中写为“待填写”；它只用于核对的数字不核对"),
                                WARNING))
    if any(i.is_error for i in issues):
        return imported
    reader = Reader(2 if imported.amount_unit == "元" else 6)
    tables = {kind: read_table(reader, region) for kind, region in by_kind.items()}
    imported.tables = tables
    issues += reader.issues
    _file_unit(imported, tables, amount_unit)
    _unit_line(imported, list(by_kind.values()))
    _Placer(imported, tables).place()
    return imported


def _unusable(file: str, code: str, message: str) -> Imported:
    imported = Imported("万元")
    imported.issues.append(issue(file, code, message))
    return imported


def _amount_unit(regions: list[Region]) -> tuple[str, list[Issue]]:
    """The one 金额单位 of the workbook: every table must state the same one."""
    stated = [(r, r.unit_word) for r in regions if r.unit_word]
    issues: list[Issue] = []
    if not stated:
        return "", [issue(regions[0].where, "IMPORT-UNIT",
                          "工作簿的表中都没有写金额单位（如“金额单位：万元”），无法确定数字是万元还是元；"
                          "请在各表的表头写上金额单位后再导入")]
    words = Counter(word for _, word in stated)
    for region, word in stated:
        if word not in ("万元", "元"):
            issues.append(issue(region.ref(*region.unit_at), "IMPORT-UNIT",
                                f"{region.name}：金额单位“{word}”不受支持；公开表的金额单位应为万元或元"))
    if len(words) > 1:
        main = words.most_common(1)[0][0]
        others = [(r, w) for r, w in stated if w != main]
        first = next(r for r, w in stated if w == main)
        for region, word in others:
            issues.append(issue(region.ref(*region.unit_at), "IMPORT-UNIT",
                                f"{region.name}：金额单位为“{word}”，而其他表（如 {first.ref(*first.unit_at)} "
                                f"{first.name}）为“{main}”；一个工作簿的各表应当用同一个金额单位，"
                                "请核对这张表的数字和金额单位后再导入"))
        return main, issues
    for region in regions:
        if not region.unit_word:
            issues.append(issue(region.where, "IMPORT-UNIT",
                                f"{region.name}：没有写金额单位，按其他表的“{stated[0][1]}”读取", WARNING))
    return stated[0][1], issues


def _file_unit(imported: Imported, tables: dict[str, ReadTable], requested: str | None) -> None:
    """The file's 金额单位: the sheets' — except that a 元 workbook whose every amount is a whole
    multiple of 100 元 was converted from 万元 (its totals carry 万元 rounding tails, errors in 元):
    it is written in 万元, exactly.  ``requested`` (``--unit``) overrides both."""
    figures = [f for t in tables.values() for line in ([t.total] if t.total else []) + t.lines
               for f in line.values.values() if f.value is not None]
    sheets = imported.amount_unit
    target = requested or sheets
    if requested is None and sheets == "元" and any(f.value for f in figures) and \
            all(f.value % 100 == 0 for f in figures):
        target = "万元"
        where = next(iter(tables.values())).region
        imported.issues.append(issue(where.ref(*where.unit_at) if where.unit_at else where.where, "IMPORT-UNIT",
                                     "工作簿的金额单位是元，但每个金额都是100元的整数倍，是由万元换算来的："
                                     "文件按万元填写（每个数除以10000，不损失精度），表中万元的尾数误差按尾数核对；"
                                     "要按元填写，导入时加 --unit 元", WARNING))
    if target == sheets:
        return
    k = Decimal(10000) if (sheets, target) == ("万元", "元") else Decimal("0.0001")
    for f in figures:
        f.value = (f.value * k).normalize() if f.value else f.value
        if f.value is not None and f.value.as_tuple().exponent > -2:
            f.value = f.value.quantize(CENT)
    imported.amount_unit = target
    imported.converted_from = sheets


def _unit_line(imported: Imported, regions: list[Region]) -> None:
    names = [r.department for r in regions if r.department]
    name = majority(names)
    imported.unit_name = name
    at = next((r for r in regions if r.department == name), None)
    imported.unit_name_ref = at.ref(*at.department_at) if at else ""
    for region in regions:
        if region.department and region.department != name:
            imported.issues.append(issue(region.ref(*region.department_at), "IMPORT-DEPARTMENT",
                                         f"{region.name}：单位名称为“{region.department}”，其他表为“{name}”；"
                                         f"文件中写“{name}”，请核对", WARNING))
    years = [(r.year, r) for r in regions if r.year]
    if years:
        year = Counter(y for y, _ in years).most_common(1)[0][0]
        imported.year, imported.year_ref = year, next(r for y, r in years if y == year).where


def tolerance(parts: int, amount_unit: str) -> Decimal:
    """A rounding tail: 0.01 万元 for each summed item (in 元: 100 元, the 万元 tables' tail)."""
    return CENT * max(parts, 1) * (Decimal(10000) if amount_unit == "元" else 1)


class _Placer:
    """Puts each table's figures in its place and compares what two tables both print."""

    def __init__(self, imported: Imported, tables: dict[str, ReadTable]):
        self.out = imported
        self.tables = tables
        self.unit = imported.amount_unit

    def add(self, ref: str, code: str, message: str, severity: Severity = ERROR) -> None:
        self.out.issues.append(issue(ref, code, message, severity))

    def imply(self, path: Path, figure: Figure | None) -> None:
        if figure is not None and figure.value:
            self.out.implied[path] = Value(figure.value, (figure.ref,))

    def put(self, path: Path, figure: Figure | None, *, keep_zero: bool = False) -> None:
        if figure is None or figure.value is None or (figure.value == 0 and not keep_zero):
            return
        self.out.figures[path] = Value(figure.value, (figure.ref,))

    def place(self) -> None:
        self.functional()
        self.totals()
        self.balances()
        self.basic_items()
        self.three_public()
        self.compare_totals()
        self.compare_tables()

    # -------------------------------------------------------------- 功能分类 rows

    def functional(self) -> None:
        coded = {kind: t for kind, t in self.tables.items() if kind in SECTIONS}
        codes = sorted({line.key for t in coded.values() for line in t.lines})
        fund_by_code = {line.key: line.values.get("income") for line in getattr(self.tables.get("t07"), "lines", [])}
        capital_income = self._capital_income()
        for code in codes:
            printed = [(kind, t.line(code)) for kind, t in coded.items() if t.line(code) is not None]
            name_kind, first = next(((k, l) for k, l in printed if l.name), printed[0])
            self.out.rows[code] = RowInfo(code, first.name, first.ref)
            for kind, line in printed:
                if line.name and norm(line.name) != norm(first.name):
                    self.add(line.ref, "IMPORT-NAME",
                             f"{code} 在{self.tables[kind].region.name}中名为“{line.name}”，在"
                             f"{self.tables[name_kind].region.name}中名为“{first.name}”；文件中用后者", WARNING)
            item = len(code) == 7
            for kind, line in printed:
                section = SECTIONS[kind]
                if kind == "t02" and item:
                    self._income_item(code, line, fund_by_code.get(code), capital_income)
                    continue
                for meaning, figure in line.values.items():
                    target = _target(kind, meaning)
                    if target is None:
                        continue
                    if item and target in PRINTED_FIELDS[section] and not self._differs(kind, line, target):
                        # a 项 row's own total: redundant unless it disagrees (then check says so)
                        self.imply(("functional", code, section, target), figure)
                        continue
                    self.put(("functional", code, section, target), figure)
            if (not item or "t02" not in dict(printed)) and "t07" in coded and coded["t07"].line(code) is not None:
                self.put(("functional", code, "income", "fund"), coded["t07"].line(code).values.get("income"))

    def _capital_income(self) -> Decimal | None:
        """国有资本经营预算财政拨款收入 as 01/04 print it (None: neither prints it)."""
        for kind, key in (("t04", "income_capital"), ("t01", "capital")):
            line = self.tables[kind].line(key) if kind in self.tables else None
            if line is not None and line.values.get("amount") is not None and line.values["amount"].value is not None:
                return line.values["amount"].value
        for kind, key in (("t04", "income_capital"), ("t01", "capital")):
            if kind in self.tables and self.tables[kind].line(key) is not None:
                return ZERO  # the line is printed, blank
        return None

    def _income_item(self, code: str, line: Line, fund: Figure | None, capital_income: Decimal | None) -> None:
        """A 项 row of 02: the sources are data; 财政拨款收入 splits into the three kinds."""
        path = ("functional", code, "income")
        v = line.values
        for meaning in ("superior", "business", "operating", "affiliated", "other"):
            self.put(path + (meaning,), v.get(meaning))
        if any(k in v for k in ("general", "fund", "capital")):  # the province prints the three kinds
            for meaning in ("general", "fund", "capital"):
                self.put(path + (meaning,), v.get(meaning))
            if self._differs("t02", line, "fiscal"):
                self.put(path + ("fiscal",), v.get("fiscal"))
            else:
                self.imply(path + ("fiscal",), v.get("fiscal"))
        else:
            fiscal = v.get("fiscal")
            fiscal_amount = fiscal.amount if fiscal is not None else ZERO
            fund_amount = fund.amount if fund is not None else ZERO
            self.put(path + ("fund",), fund)
            rest = fiscal_amount - fund_amount
            refs = tuple(f.ref for f in (fiscal, fund) if f is not None and f.value)
            if rest < 0:
                self.add(fund.ref, "IMPORT-CROSS",
                         f"{code} 的政府性基金本年收入 {fund_amount}（07表）大于02表的财政拨款收入 {fiscal_amount}；"
                         "文件中一般公共预算财政拨款收入写0，请核对", WARNING)
                self.out.figures[path + ("fiscal",)] = Value(fiscal_amount, refs)
            elif rest > 0 and capital_income:
                note = (f"02表财政拨款收入 {fiscal_amount} 中一般公共预算和国有资本经营预算各多少，表中没有印出"
                        "（04表有国有资本经营预算财政拨款收入）；请分开填写")
                self.out.figures[path + ("general",)] = Value(None, refs, note)
                self.out.figures[path + ("capital",)] = Value(None, refs, note)
                self.out.figures[path + ("fiscal",)] = Value(fiscal_amount, refs)
                self.add(line.ref, "IMPORT-SPLIT",
                         f"{code} {line.name}：{note}；文件中写为“待填写”", WARNING)
            elif rest > 0:
                self.out.figures[path + ("general",)] = Value(rest, refs)
            if path + ("fiscal",) not in self.out.figures:
                self.imply(path + ("fiscal",), fiscal)
        if self._differs("t02", line, "total"):
            self.put(path + ("total",), v.get("total"))
        else:
            self.imply(path + ("total",), v.get("total"))

    def _differs(self, kind: str, line: Line, printed: str) -> bool:
        """Whether a 项 row's printed row total disagrees with the sum of its own columns."""
        v = line.values
        parts = {("t02", "total"): ("fiscal", "general", "fund", "capital", "superior", "business", "operating",
                                    "affiliated", "other"),
                 ("t02", "fiscal"): ("general", "fund", "capital"),
                 ("t03", "total"): ("basic", "project", "remit_superior", "operating", "subsidy_affiliated"),
                 ("t05", "total"): ("basic", "project")}.get((kind, printed))
        if kind == "t07" and printed == "closing":
            figure = v.get("closing")
            if figure is None or figure.value is None:
                return False
            expected = sum((v[k].amount for k in ("opening", "income") if k in v), ZERO) - \
                sum((v[k].amount for k in ("basic", "project") if k in v), ZERO)
            return figure.value != expected
        figure = v.get(printed)
        if parts is None or figure is None or figure.value is None:
            return False
        if kind == "t02" and printed == "total" and any(k in v for k in ("general", "fund", "capital")):
            parts = tuple(p for p in parts if p != "fiscal")
        return figure.value != sum((v[p].amount for p in parts if p in v), ZERO)

    # -------------------------------------------------------------- 合计 rows, balances

    def totals(self) -> None:
        for kind, section in (("t02", "income"), ("t03", "expenditure"), ("t05", "general_budget")):
            table = self.tables.get(kind)
            if table is None or table.total is None:
                continue
            for meaning, figure in table.total.values.items():
                target = _target(kind, meaning)
                if target is not None:
                    self.put(("totals", section, target), figure)
        for kind, keys in (("t01", ("general", "fund", "capital")),
                           ("t04", ("income_general", "income_fund", "income_capital"))):
            if kind not in self.tables:
                continue
            for key, target in zip(keys, ("general", "fund", "capital")):
                line = self.tables[kind].line(key)
                if line is None or ("totals", "income", target) in self.out.figures:
                    continue
                self.put(("totals", "income", target), line.values.get("amount"))

    def balances(self) -> None:
        t01, t04 = self.tables.get("t01"), self.tables.get("t04")
        if t01 is not None:
            for key in ("non_fiscal_surplus_used", "opening", "surplus_distribution", "closing"):
                line = t01.line(key)
                if line is not None:
                    self.put(("balances", key), line.values.get("amount"), keep_zero=key == "opening")
        else:
            for key in ("opening", "closing"):
                self.out.figures[("balances", key)] = Value(None, (), "工作簿中没有公开01表")
        if t04 is not None:
            for kind in ("general", "fund", "capital"):
                line = t04.line(f"opening_{kind}")
                if line is not None:
                    self.put(("balances", "fiscal_opening", kind), line.values.get("amount"), keep_zero=kind == "general")
            closing = t04.line("closing")
            for kind in ("general", "fund", "capital"):
                split = t04.line(f"closing_{kind}")
                figure = split.values.get("total") if split is not None else None
                if (figure is None or figure.value is None) and closing is not None:
                    figure = closing.values.get(kind)
                self.put(("balances", "fiscal_closing", kind), figure)
            self._unsplit(t04, "opening_total", "fiscal_opening",
                          [t04.line(f"opening_{k}") for k in ("general", "fund", "capital")], "amount")
            if closing is not None:
                total = closing.values.get("total")
                parts = [self.out.get("balances", "fiscal_closing", k) for k in ("general", "fund", "capital")]
                if total is not None and total.value and not any(parts):
                    self._ask_split("fiscal_closing", total)

    def _unsplit(self, table: ReadTable, key: str, target: str, parts: list[Line | None], column: str) -> None:
        line = table.line(key)
        total = line.values.get(column) if line is not None else None
        if total is None or not total.value:
            return
        if not any(p is not None and p.values.get(column) is not None and p.values[column].value for p in parts):
            self._ask_split(target, total)

    def _ask_split(self, target: str, total: Figure) -> None:
        """A balance printed only as its total: which kind of 财政拨款 it is, the table does not say."""
        note = f"04表只印了合计 {total.value}，没有按三种财政拨款分开；请分开填写"
        self.out.figures[("balances", target, "general")] = Value(None, (total.ref,), note)
        self.add(total.ref, "IMPORT-SPLIT", f"{'年初' if 'opening' in target else '年末'}财政拨款结转和结余：{note}；"
                 "文件中写为“待填写”", WARNING)

    # -------------------------------------------------------------- 06, 09

    def basic_items(self) -> None:
        table = self.tables.get("t06")
        if table is None:
            return
        for line in table.lines:
            figure = line.values.get("amount")
            if line.key in ("personnel_total", "public_total"):
                self.put(("basic_items", line.key), figure)
                continue
            if line.key == "basic_total":
                continue
            self.out.items[line.key] = RowInfo(line.key, line.name, line.ref)
            self.put(("basic_items", "items", line.key), figure)

    def three_public(self) -> None:
        table = self.tables.get("t09")
        if table is None or not table.lines:
            return
        for key, figure in table.lines[0].values.items():
            side, item = key.split(".")
            self.put(("three_public", side, item), figure)

    # -------------------------------------------------------------- printed against printed

    def compare(self, what: str, printed: Figure | None, parts: list[tuple[str, Figure | None]],
                in_file: bool, needed: int = 0) -> None:
        """A printed total against the printed figures it totals. ``in_file``: both stay in the file,
        so a tail is left to check; otherwise a tail is a warning here.  The first ``needed`` parts
        are printed totals themselves: when one of them is blank (not written), nothing is compared."""
        if printed is None or printed.value is None:
            return  # a blank printed total is not written: nothing to compare
        if any(f is None or f.value is None for _, f in parts[:needed]):
            return
        present = [(label, f) for label, f in parts if f is not None and f.value is not None]
        if not present and printed.value == 0:
            return
        summed = sum((f.value for _, f in present), ZERO)
        difference = printed.value - summed
        if difference == 0:
            return
        nonzero = sum(1 for _, f in present if f.value)
        allowed = tolerance(nonzero, self.unit)
        shown = "＋".join(f"{label} {f.value}" for label, f in present[:6]) + ("＋…" if len(present) > 6 else "")
        shown = shown or "0"
        if abs(difference) > allowed:
            self.add(printed.ref, "IMPORT-TOTAL",
                     f"{what} {printed.value} ≠ {shown} = {summed}（差 {difference}，超出尾数误差 {allowed}）："
                     "工作簿前后不一致，或有一行没有读到；请核对后再导入，没有写出文件")
        elif not in_file:
            self.add(printed.ref, "IMPORT-TOTAL",
                     f"{what} {printed.value} ≠ {shown} = {summed}（差 {difference}，尾数误差）", WARNING)

    def compare_totals(self) -> None:
        """Each 合计 against the rows it totals (the top-level rows printed: 类, else 款, else 项)."""
        for kind in ("t02", "t03", "t05", "t07", "t08"):
            table = self.tables.get(kind)
            if table is None or table.total is None:
                continue
            tops = _top_lines(table.lines)
            for meaning, printed in table.total.values.items():
                label = table.columns[meaning].leaf if meaning in table.columns else COLUMN_NAMES.get(meaning, meaning)
                parts = [(line.key, line.values.get(meaning)) for line in tops]
                in_file = kind in ("t02", "t03", "t05") and _target(kind, meaning) is not None
                self.compare(f"{table.region.name} 合计行“{label}”", printed, parts, in_file)
        for kind, printed_key, parts_keys in (("t07", "spent", ("basic", "project")),
                                              ("t08", "spent", ("basic", "project"))):
            table = self.tables.get(kind)
            if table is None:
                continue
            for line in ([table.total] if table.total else []) + table.lines:
                self.compare(f"{table.region.name} {line.key if line.key != 'total' else '合计行'} 本年支出合计",
                             line.values.get(printed_key), [(k, line.values.get(k)) for k in parts_keys], False)
        t06 = self.tables.get("t06")
        if t06 is not None:
            for key, groups in (("personnel_total", catalogue.PERSONNEL_GROUPS),
                                ("public_total", catalogue.PUBLIC_GROUPS)):
                line = t06.line(key)
                if line is None:
                    continue
                parts = []
                for group in groups:
                    printed = t06.line(group)
                    if printed is not None and printed.values.get("amount") is not None and \
                            printed.values["amount"].value is not None:
                        parts.append((group, printed.values["amount"]))
                    else:
                        parts += [(l.key, l.values.get("amount")) for l in t06.lines
                                  if len(l.key) == 5 and l.key.startswith(group)]
                self.compare(f"{t06.region.name} {line.name}", line.values.get("amount"), parts, True)
            basic = t06.line("basic_total")
            if basic is not None:
                self.compare(f"{t06.region.name} {basic.name}", basic.values.get("amount"),
                             [(k, amount) for k in ("personnel_total", "public_total")
                              for amount in [t06.line(k).values.get("amount") if t06.line(k) else None]], False, 2)
        t09 = self.tables.get("t09")
        if t09 is not None and t09.lines:
            v = t09.lines[0].values
            for side in ("budget", "actual", "last_year"):
                vehicles = v.get(f"{side}.vehicle_total")
                vehicle_parts = [("公务用车购置费", v.get(f"{side}.vehicle_purchase")),
                                 ("公务用车运行维护费", v.get(f"{side}.vehicle_operation"))]
                self.compare(f"{t09.region.name} {_SIDE[side]}“公务用车购置及运行维护费”", vehicles, vehicle_parts, True)
                car = [("公务用车购置及运行维护费", vehicles)] if vehicles is not None and vehicles.value is not None \
                    else vehicle_parts
                self.compare(f"{t09.region.name} {_SIDE[side]}“合计”", v.get(f"{side}.total"),
                             [("因公出国（境）费", v.get(f"{side}.abroad")), *car,
                              ("公务接待费", v.get(f"{side}.reception"))], True)

    def compare_tables(self) -> None:
        """What 01 and 04 print against the tables they repeat (and 05 against 06)."""
        t = self.tables
        t01, t02, t03, t04, t05, t06, t07, t08 = (t.get(k) for k in ("t01", "t02", "t03", "t04", "t05", "t06",
                                                                      "t07", "t08"))

        def amount(table: ReadTable | None, key: str, column: str = "amount") -> Figure | None:
            line = table.line(key) if table is not None else None
            return line.values.get(column) if line is not None else None

        def total(table: ReadTable | None, column: str) -> Figure | None:
            return table.total.values.get(column) if table is not None and table.total is not None else None

        def class_figure(table: ReadTable | None, code: str, column: str) -> list[tuple[str, Figure | None]]:
            """A 类's figure in a coded table: its printed row, else the sum of its printed rows."""
            if table is None:
                return []
            line = table.line(code)
            if line is not None:
                return [(code, line.values.get(column))]
            return [(l.key, l.values.get(column)) for l in _top_lines(table.lines) if l.key.startswith(code)]

        if t01 is not None:
            name = t01.region.name
            if t02 is not None:
                self.compare(f"{name}“本年收入合计”", amount(t01, "income_total"), [("02表合计", total(t02, "total"))], False, 1)
                kinds = [(f"01表{COLUMN_NAMES[k]}收入", amount(t01, k)) for k in ("general", "fund", "capital")]
                self.compare("02表合计行“财政拨款收入”", total(t02, "fiscal"), kinds, False)
                for key in ("superior", "business", "operating", "affiliated", "other"):
                    self.compare(f"{name}“{COLUMN_NAMES[key]}”", amount(t01, key), [("02表合计", total(t02, key))], False, 1)
            if t03 is not None:
                self.compare(f"{name}“本年支出合计”", amount(t01, "expenditure_total"),
                             [("03表合计", total(t03, "total"))], False, 1)
                for line in t01.lines:
                    if line.key.startswith("class:"):
                        code = line.key[6:]
                        self.compare(f"{name}“{line.name}”", line.values.get("amount"),
                                     class_figure(t03, code, "total"), False)
            self.compare(f"{name}收入“总计”", amount(t01, "income_grand"),
                         [(COLUMN_NAMES.get(k, k), amount(t01, k)) for k in ("income_total", "non_fiscal_surplus_used", "opening")],
                         False, 1)
            self.compare(f"{name}支出“总计”", amount(t01, "expenditure_grand"),
                         [(COLUMN_NAMES.get(k, k), amount(t01, k))
                          for k in ("expenditure_total", "surplus_distribution", "closing")], False, 1)
            self.compare(f"{name}收入“总计”与支出“总计”", amount(t01, "income_grand"),
                         [("支出总计", amount(t01, "expenditure_grand"))], False, 1)
        if t04 is not None:
            name = t04.region.name
            if t01 is not None:
                for k in ("general", "fund", "capital"):
                    self.compare(f"{name}收入“{COLUMN_NAMES[k]}”", amount(t04, f"income_{k}"),
                                 [("01表", amount(t01, k))], False, 1)
            self.compare(f"{name}“本年收入合计”", amount(t04, "income_total"),
                         [(COLUMN_NAMES[k], amount(t04, f"income_{k}")) for k in ("general", "fund", "capital")], False)
            self.compare(f"{name}“年初财政拨款结转和结余”", amount(t04, "opening_total"),
                         [(COLUMN_NAMES[k], amount(t04, f"opening_{k}")) for k in ("general", "fund", "capital")], False)
            self.compare(f"{name}收入“总计”", amount(t04, "income_grand"),
                         [("本年收入合计", amount(t04, "income_total")), ("年初", amount(t04, "opening_total"))],
                         False, 1)
            sources = {"general": (t05, "total"), "fund": (t07, "spent"), "capital": (t08, "spent")}
            for line in t04.lines:
                if line.key.startswith("class:") or line.key in ("expenditure_total", "closing", "expenditure_grand"):
                    v = line.values
                    self.compare(f"{name}“{line.name}”合计栏", v.get("total"),
                                 [(COLUMN_NAMES[k], v.get(k)) for k in ("general", "fund", "capital")], False)
                if line.key.startswith("class:"):
                    code = line.key[6:]
                    for k, (table, column) in sources.items():
                        if table is not None:
                            self.compare(f"{name}“{line.name}”{COLUMN_NAMES[k]}栏", line.values.get(k),
                                         class_figure(table, code, column), False)
                if line.key == "expenditure_total":
                    for k, (table, column) in sources.items():
                        if table is not None:
                            self.compare(f"{name}“本年支出合计”{COLUMN_NAMES[k]}栏", line.values.get(k),
                                         [("合计行", total(table, column))], False, 1)
            self.compare(f"{name}支出“总计”", amount(t04, "expenditure_grand", "total"),
                         [("本年支出合计", amount(t04, "expenditure_total", "total")),
                          ("年末", amount(t04, "closing", "total"))], False, 1)
            self.compare(f"{name}收入“总计”与支出“总计”", amount(t04, "income_grand"),
                         [("支出总计", amount(t04, "expenditure_grand", "total"))], False, 1)
        if t05 is not None and t06 is not None:
            self.compare(f"{t05.region.name} 合计行“基本支出”", total(t05, "basic"),
                         [("06表人员经费合计", amount(t06, "personnel_total")),
                          ("06表公用经费合计", amount(t06, "public_total"))], False, 2)


_SIDE = {"budget": "预算数", "actual": "决算数", "last_year": "上年决算数"}


def _target(kind: str, meaning: str) -> str | None:
    """The field of the row's section a column feeds (None: a figure the format derives or only compares)."""
    if kind == "t07":
        return {"opening": "opening", "basic": "basic", "project": "project", "closing": "closing"}.get(meaning)
    if kind == "t08":
        return meaning if meaning in ("basic", "project") else None
    return meaning


def _top_lines(lines: list[Line]) -> list[Line]:
    """The rows a 合计 totals: those whose 类 (or 款) is not printed above them."""
    printed = {line.key for line in lines}
    return [line for line in lines
            if not any(line.key != parent and parent in printed for parent in (line.key[:3], line.key[:5]))]
