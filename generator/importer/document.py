"""Last year's published document (DOCX or PDF) as ``--from``: the first year a unit uses the tool.

The texts are taken by their headings — 一、部门职责, 二、机构设置 (its staffing
sentence read as the three numbers), and in 第三部分 each reason by the item it
explains (总体, 财政拨款, 一般公共预算, each 年初预算 line by its 类/款/项 names, 三公,
机关运行经费), the 三公 counts, 国有资产, 预算绩效.  Last year's 决算 figures come from
the DOCX's tables, read like a workbook's sheets (a table and the title, 表号 and
金额单位 lines printed above it), or, failing that and for a PDF, from the sentences
of 第三部分 that state them (收、支总计…万元).  What is not found is listed and left
to the accountant (待填写); nothing is guessed.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from dataclasses import fields
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import model
from ..issues import Severity
from ..model import catalogue
from .assemble import Imported, assemble
from .cells import norm
from .lastyear import Carried, LastYearError, factor
from .tables import issue
from .workbook import Sheet

_HEADING = re.compile(r"^(第[一二三四五六七八九十]部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])")
_PART = re.compile(r"^第([一二三四五六])部分")
_SECTION = re.compile(r"^([一二三四五六七八九十]+)、")
_SUB = re.compile(r"^[（(]([一二三四五六七八九十\d]+)[）)]")
_AMOUNT = r"(\d[\d,，]*(?:\.\d+)?)\s*(万元|元)"


# ------------------------------------------------------------------ reading the document


def docx_blocks(path: Path) -> tuple[list[str], list[Sheet]]:
    """The paragraphs in order, and each table as a sheet (with the lines printed above it)."""
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a file that is not a DOCX
        raise LastYearError(issue(str(path), "IMPORT-FROM", f"上年的文件不是有效的 DOCX，无法读取（{type(exc).__name__}）")) \
            from None
    paragraphs: list[str] = []
    sheets: list[Sheet] = []
    tables = iter(document.tables)
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join("\t" if node.tag == qn("w:tab") else (node.text or "")
                           for node in element.iter(qn("w:t"), qn("w:tab")))
            paragraphs.append(text.strip())
        elif tag == "tbl":
            table = next(tables)
            above = [p for p in paragraphs[-4:] if p]
            sheets.append(_table_sheet(f"表{len(sheets) + 1}", table, above))
    return paragraphs, sheets


def _table_sheet(name: str, table, above: list[str]) -> Sheet:
    """A DOCX table as a sheet: merged cells (gridSpan, vMerge) as merges, the lines above as rows."""
    rows: list[list[object]] = []
    for line in above:
        rows.append([part.strip() for part in re.split(r"\t+|\s{3,}", line) if part.strip()])
        match = re.match(r"^(部门|单位)[:：](.+?)\s*((?:金额)?单位[:：]\s*(?:万元|元))$", line)
        if match:
            rows[-1] = [f"{match.group(1)}：{match.group(2)}", match.group(3)]
    top = len(rows)
    tcs = [[cell._tc for cell in row.cells] for row in table.rows]   # a merged cell repeats its tc
    texts = [[cell.text.strip() for cell in row.cells] for row in table.rows]

    def covered(r: int, c: int) -> bool:
        return (c > 0 and tcs[r][c - 1] is tcs[r][c]) or \
            (r > 0 and c < len(tcs[r - 1]) and tcs[r - 1][c] is tcs[r][c])

    grid = [["" if covered(r, c) else texts[r][c] for c in range(len(row))] for r, row in enumerate(tcs)]
    merges = []
    for r, row in enumerate(tcs):
        for c, tc in enumerate(row):
            if covered(r, c):
                continue
            r2, c2 = r, c
            while c2 + 1 < len(row) and row[c2 + 1] is tc:
                c2 += 1
            while r2 + 1 < len(tcs) and c < len(tcs[r2 + 1]) and tcs[r2 + 1][c] is tc:
                r2 += 1
            if (r2, c2) != (r, c):
                merges.append((r + top, c, r2 + top, c2))
    width = max((len(r) for r in grid), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows] + grid
    return Sheet(name, rows, tuple(merges))


def pdf_paragraphs(path: Path) -> list[str]:
    """The paragraphs of a PDF: poppler's layout text (indented lines start paragraphs), else pypdf's."""
    text = None
    if shutil.which("pdftotext"):
        try:
            text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                                  check=True, timeout=60).stdout.decode("utf-8", errors="replace")
        except (subprocess.SubprocessError, OSError):
            text = None
    if text is None:
        try:
            from pypdf import PdfReader

            text = "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
        except Exception as exc:  # pypdf raises its own kinds for a damaged file
            raise LastYearError(issue(str(path), "IMPORT-FROM",
                                      f"上年的文件不是有效的 PDF，无法读取（{type(exc).__name__}）")) from None
    return paragraphs_of(text)


def paragraphs_of(text: str) -> list[str]:
    """Lines as a PDF's text gives them, joined into paragraphs (Chinese wraps without spaces).

    With the layout kept (poppler's ``-layout``: paragraphs and headings indented, wrapped lines at
    the margin), the indentation decides.  Without it (pypdf, text copied out of a PDF), a line
    starts a paragraph when it is a heading, follows a short heading, or follows a full stop."""
    lines = [raw.rstrip() for raw in text.replace("\f", "\n").split("\n")]
    lines = [line for line in lines if line.strip() and not re.fullmatch(r"[-－—]\s*\d+\s*[-－—]|\d+", line.strip())]
    prose = [line for line in lines if "\t" not in line and len(re.findall(r"[\u4e00-\u9fff]", line)) >= 15]
    indented = sum(1 for line in prose if line.startswith((" ", "\u3000"))) > len(prose) // 5
    out: list[str] = []
    for line in lines:
        stripped = line.strip()
        if indented:
            starts = not out or line.startswith((" ", "\t", "\u3000"))
        else:
            starts = (not out or _HEADING.match(norm(stripped)) or (_is_heading(out[-1]) and len(norm(out[-1])) <= 24)
                      or out[-1].endswith(("。", "！", "？")))
        if starts:
            out.append(stripped)
        else:
            joiner = "" if re.match(r"[\u3000-\u9fff\uff00-\uffef]", stripped) or \
                re.search(r"[\u3000-\u9fff\uff00-\uffef]$", out[-1]) else " "
            out[-1] += joiner + stripped
    return out


# ------------------------------------------------------------------ finding sections


def _is_heading(text: str) -> bool:
    t = norm(text)
    return bool(_HEADING.match(t)) and len(t) <= 40 and (not t.endswith(("。", "；")) or len(t) <= 16)


class Sections:
    """The document's paragraphs, cut at its headings (the 目录 skipped: it holds headings only)."""

    def __init__(self, paragraphs: list[str]):
        self.p = [p for p in paragraphs if p.strip()]

    def part(self, number: str) -> list[str]:
        """第N部分: from the heading that has text after it to the next part heading."""
        starts = [i for i, p in enumerate(self.p) if (m := _PART.match(norm(p))) and m.group(1) == number]
        for i in reversed(starts):
            body = self._until(i + 1, lambda t: bool(_PART.match(t)))
            if any(not _is_heading(p) for p in body):
                return body
        return []

    def _until(self, start: int, stop) -> list[str]:
        out = []
        for p in self.p[start:]:
            if stop(norm(p)):
                break
            out.append(p)
        return out

    @staticmethod
    def section(paragraphs: list[str], *words: str, level: re.Pattern = _SECTION) -> list[str]:
        """The paragraphs under the heading (at ``level``) that holds all ``words``."""
        for i, p in enumerate(paragraphs):
            t = norm(p)
            if level.match(t) and _is_heading(p) and all(norm(w) in t for w in words):
                out = []
                for q in paragraphs[i + 1:]:
                    if level.match(norm(q)) and _is_heading(q):
                        break
                    if level is _SUB and _SECTION.match(norm(q)) and _is_heading(q):
                        break
                    out.append(q)
                return out
        return []


def _reason(paragraphs: list[str], after: str = "") -> str | None:
    """The text after 主要原因是(：) in the paragraphs (after the phrase ``after``, when given)."""
    text = "\n".join(paragraphs)
    if after:
        at = text.find(after)
        if at < 0:
            return None
        text = text[at:]
    match = re.search(r"(?:主要原因(?:是|为)|主要是因为|主要是由于|主要由于|原因是)[:：]?\s*(.+?)(?:。|\n|$)", text)
    return match.group(1).strip() if match else None


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("，", ""))


# ------------------------------------------------------------------ the whole


class _Found:
    """What the document gave: field paths and their values; what it did not."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.matched: list[str] = []
        self.unmatched: list[str] = []

    def put(self, path: str, value: Any, label: str) -> None:
        if value is None or value == "":
            self.unmatched.append(label)
            return
        self.values[path] = value
        if label not in self.matched:
            self.matched.append(label)


def from_document(path: Path, imported: Imported) -> Carried:
    """Last year's published document: its texts by heading, its figures from its tables or sentences."""
    sheets: list[Sheet] = []
    if path.suffix.lower() == ".docx":
        paragraphs, sheets = docx_blocks(path)
    else:
        paragraphs = pdf_paragraphs(path)
    if not any(p.strip() for p in paragraphs):
        raise LastYearError(issue(str(path), "IMPORT-FROM", "上年的文件中读不出文字（可能是扫描的图片）；"
                                                             "请改用上年的 DOCX 或单位数据文件"))
    return carried_from(paragraphs, sheets, str(path), imported)


def carried_from(paragraphs: list[str], sheets: list[Sheet], source: str, imported: Imported) -> Carried:
    """What a document's paragraphs (and tables, as sheets) give for this year's file."""
    path = source
    doc = Sections(paragraphs)
    found = _Found()
    overview(doc.part("一"), found)
    explanation = doc.part("三")
    unit = _document_unit(explanation) or "万元"
    k = factor(unit, imported.amount_unit)
    narrative(explanation, found, imported, k)
    issues = []
    comparisons = {}
    last = None
    if sheets:
        last = assemble(sheets, str(path))
        if last.tables:
            comparisons = table_comparisons(last, factor(last.amount_unit, imported.amount_unit))
            found.matched.append("上年决算数（取自文件中的公开表）")
            unread = [i for i in last.errors if i.code not in ("IMPORT-TOTAL", "IMPORT-CROSS")]
            if unread:
                issues.append(issue(str(path), "IMPORT-FROM",
                                    f"上年文件中的公开表有 {len(unread)} 处读不出（如 {unread[0].format()}）；"
                                    "请核对 last_year 各数", Severity.WARNING))
            elif last.errors:
                issues.append(issue(str(path), "IMPORT-FROM",
                                    f"上年文件中的公开表前后有 {len(last.errors)} 处不一致（如 "
                                    f"{last.errors[0].message.split('：工作簿前后不一致')[0]}）；"
                                    "上年决算数按表上印的数字取，请核对", Severity.WARNING))
    if not comparisons:
        comparisons = sentence_comparisons(explanation, k, found)
    data = _build(model.UnitData, found.values)
    year = re.search(r"(20\d\d)年度", paragraphs[0] if paragraphs else "") or \
        re.search(r"(20\d\d)年度", "\n".join(paragraphs[:10]))
    if year:
        data = dataclasses.replace(data, unit=dataclasses.replace(data.unit, year=int(year.group(1))))
    known = set(found.values) | {"unit.year"}

    def knows(p: str) -> bool:
        return any(m == p or m.startswith(p + ".") or p.startswith(m + ".") for m in known)

    carried = Carried(str(path), data, comparisons, knows, issues, found.unmatched, found.matched)
    if not any(found.values):
        issues.append(issue(str(path), "IMPORT-FROM", "上年的文件中没有找到任何一节文字（按“一、部门职责”等标题查找）",
                            Severity.WARNING))
    return carried


def _document_unit(paragraphs: list[str]) -> str | None:
    text = "".join(paragraphs[:5])
    match = re.search(r"\d\s*(万元|元)", text)
    return match.group(1) if match else None


def overview(part: list[str], found: _Found) -> None:
    duties = Sections.section(part, "职责")
    found.put("overview.duties", "\n".join(duties) + "\n" if duties else None, "部门职责")
    setup = Sections.section(part, "机构设置")
    inner = Sections.section(setup, "内设机构", level=_SUB) or \
        [p for p in setup if not _SUB.match(norm(p)) or not _is_heading(p)]
    units = Sections.section(setup, "单位构成", level=_SUB)
    # the generator writes the staffing sentence from the three numbers: read it as them, not as text
    staffing_sentence = [p for p in inner if re.search(r"编制|实有|退休", p) and re.search(r"\d+\s*[人名]", p)]
    text_paragraphs = [p for p in inner if p not in staffing_sentence or len(p) > 80]
    found.put("overview.organization", "\n".join(text_paragraphs) + "\n" if text_paragraphs else None, "机构设置")
    sentence = " ".join(staffing_sentence)
    for key, pattern, label in (("authorized", r"编制(?:人数|数)?(?:为)?(\d+)\s*[名人]", "编制数"),
                                ("actual", r"实有(?:在职)?(?:人数|人员)?(?:为)?(\d+)\s*人", "实有人数"),
                                ("retired", r"退休(?:人数|人员)?(?:为)?(\d+)\s*人", "退休人数")):
        match = re.search(pattern, sentence)
        found.put(f"overview.staffing.{key}", int(match.group(1)) if match else None, label)
    if units and any("无下属单位" in p or "本级决算" in p for p in units):
        found.values.setdefault("overview.subordinate_units", ())


def narrative(part: list[str], found: _Found, imported: Imported, k: Decimal) -> None:
    """第三部分's reasons, budget lines, 三公 counts, 国有资产, 绩效 — each by the heading it is under."""
    overall = next((i for i, p in enumerate(part) if _SECTION.match(norm(p)) and "收入支出决算总体情况" in norm(p)
                    and "财政拨款" not in norm(p)), None)
    if overall is not None:
        block = []
        for q in part[overall + 1:]:
            if _SECTION.match(norm(q)) and _is_heading(q):
                break
            block.append(q)
        found.put("reasons.total_change", _reason(block), "收入支出总计变化的原因")
    fiscal = Sections.section(part, "财政拨款收入支出决算总体情况")
    found.put("reasons.fiscal_change", _reason(fiscal), "财政拨款收支总计变化的原因")
    general = next((i for i, p in enumerate(part) if _SECTION.match(norm(p)) and _is_heading(p)
                    and "一般公共预算财政拨款支出" in norm(p) and "基本支出" not in norm(p)), None)
    block = []
    if general is not None:
        for q in part[general + 1:]:
            if _SECTION.match(norm(q)) and _is_heading(q):
                break
            block.append(q)
    first = Sections.section(block, "总体情况", level=_SUB) or block[:3]
    found.put("reasons.general_budget_change", _reason(first), "一般公共预算财政拨款支出变化的原因")
    budget_lines(Sections.section(block, "具体情况", level=_SUB) or block, found, imported, k)
    three_public(Sections.section(part, "三公"), found)
    running = Sections.section(part, "机关运行经费")
    found.put("running_cost.reason", _reason(running), "机关运行经费变化的原因")
    assets = " ".join(Sections.section(part, "国有资产"))
    if assets:
        if "无车辆" in assets or re.search(r"车辆(?:共)?0辆", assets):
            found.put("assets.vehicles.total", 0, "国有资产（车辆）")
        elif (m := re.search(r"(?:共有|拥有)?车辆(?:共)?(\d+)\s*辆", assets)):
            found.put("assets.vehicles.total", int(m.group(1)), "国有资产（车辆）")
        if re.search(r"无单价(?:100|一百)万元", assets):
            found.put("assets.equipment_over_1m", 0, "国有资产（大型设备）")
        elif (m := re.search(r"单价100万元(?:（含）)?以上(?:的)?设备(\d+)\s*[台套]", assets)):
            found.put("assets.equipment_over_1m", int(m.group(1)), "国有资产（大型设备）")
    procurement = " ".join(Sections.section(part, "政府采购"))
    if procurement and re.search(r"无政府采购|没有政府采购|政府采购支出(?:总额)?(?:为)?0(?:万)?元", procurement):
        for kind in ("goods", "works", "services"):
            found.values[f"procurement.{kind}.amount"] = Decimal(0)
        found.matched.append("政府采购（无）")
    elif procurement:
        found.unmatched.append("政府采购的金额（请按本年填写）")
    perf = Sections.section(part, "绩效")
    results = Sections.section(perf, "评价结果", level=_SUB)
    found.put("performance.results", "\n".join(results) + "\n" if results else None, "预算绩效评价结果")
    use = Sections.section(perf, "应用", level=_SUB)
    if use:
        found.put("performance.use_of_results", "\n".join(use) + "\n", "评价结果应用")
    found.unmatched.append("一般性支出（会议费、培训费等，请按本年填写）")


def budget_lines(block: list[str], found: _Found, imported: Imported, k: Decimal) -> None:
    """Each numbered line ``N. X（类）Y（款）Z（项）`` with its 年初预算 and reason, by the names of
    this year's rows (the workbook's, else the catalogue's)."""
    titles = {}
    codes = {code[:n] for code in imported.rows for n in (3, 5, 7) if n <= len(code)}
    for code in sorted(codes):
        names = [_name(imported, code[:n]) for n in (3, 5, 7)[: {3: 1, 5: 2, 7: 3}[len(code)]]]
        titles[norm("".join(f"{n}（{lvl}）" for n, lvl in zip(names, ("类", "款", "项"))))] = code
    text = "\n".join(block)
    total = re.search(r"年初预算(?:数)?为" + _AMOUNT, text)
    if total:
        found.values["initial_budget.total"] = _number(total.group(1)) * _k(total.group(2), k)
    items = re.split(r"\n(?=\d+[.．、]\s*)", "\n" + text)
    lines: dict[str, Any] = {}
    missed = []
    for item in items:
        head = re.match(r"\s*\d+[.．、]\s*(.+?（项）|.+?（款）|.+?（类）)", item.replace("\n", ""), re.S)
        if not head:
            continue
        title = norm(head.group(1))
        code = titles.get(title)
        if code is None:
            missed.append(head.group(1)[:40])
            continue
        flat = item.replace("\n", "")
        amount = re.search(r"年初预算(?:数)?为" + _AMOUNT, flat)
        reason = _reason([flat])
        lines[code] = model.BudgetLine(amount=_number(amount.group(1)) * _k(amount.group(2), k) if amount else Decimal(0),
                                       reason=reason or "")
    if lines:
        found.values["initial_budget.lines"] = lines
        found.matched.append(f"年初预算（{len(lines)} 行及原因）")
    for title in missed:
        found.unmatched.append(f"年初预算“{title}”（与本年的科目对不上）")


def _k(word: str, k: Decimal) -> Decimal:
    return k * (Decimal("0.0001") if word == "元" else 1) if word else k


def _name(imported: Imported, code: str) -> str:
    row = imported.rows.get(code)
    return (row.name if row and row.name else None) or catalogue.FUNCTIONAL.get(code) or code


def three_public(block: list[str], found: _Found) -> None:
    text = "\n".join(block)
    flat = text.replace("\n", "")
    overall = Sections.section(block, "总体情况", level=_SUB) or block[:2]
    joined = "".join(overall)
    budget_reason = r"决算数[^。]{0,6}预算数[，,]?(?:的)?主要原因(?:是|为)[:：]?\s*(.+?)。"
    last_reason = r"决算数[^。]{0,6}上年(?:数|决算数)?(?:的)?主要原因(?:是|为)[:：]?\s*(.+?)。"
    budget = re.search(budget_reason, joined) or re.search(budget_reason, flat)
    last = re.search(last_reason, joined) or re.search(last_reason, flat)
    found.put("three_public.reasons.budget", budget.group(1) if budget else None, "“三公”经费与预算不同的原因")
    found.put("three_public.reasons.last_year", last.group(1) if last else None, "“三公”经费与上年不同的原因")
    detail = Sections.section(block, "具体情况", level=_SUB) or block
    for key, word in (("abroad", "因公出国"), ("vehicle", "公务用车购置")):
        para = next((p for p in detail if word in p), "")
        reason = _reason([para])
        if reason:
            found.values[f"three_public.reasons.{key}"] = reason
    if re.search(r"未安排因公出国|无因公出国|因公出国（境）团组0个", flat):
        found.values["three_public.abroad_groups"] = 0
        found.values["three_public.abroad_people"] = 0
    elif (m := re.search(r"(?:组织|安排)?因公出国（境）团组(\d+)个[，,]?(?:累计)?(\d+)人次", flat)):
        found.values["three_public.abroad_groups"], found.values["three_public.abroad_people"] = \
            int(m.group(1)), int(m.group(2))
    if re.search(r"未购置公务用车", flat):
        found.values["three_public.vehicles_purchased"] = 0
    elif (m := re.search(r"购置(?:公务用车|车辆)(\d+)辆", flat)):
        found.values["three_public.vehicles_purchased"] = int(m.group(1))
    if (m := re.search(r"公务用车保有量(?:为)?(\d+)辆", flat)):
        found.values["three_public.vehicles_held"] = int(m.group(1))
    if (m := re.search(r"(?:接待|共)[^。]{0,12}?(\d+)\s*批次[，,、]?(?:共)?(?:接待)?[^。\d]{0,6}(\d+)\s*人次", flat)):
        found.values["three_public.reception_batches"] = int(m.group(1))
        found.values["three_public.reception_people"] = int(m.group(2))
    counted = [k for k in ("abroad_groups", "vehicles_purchased", "vehicles_held", "reception_batches")
               if f"three_public.{k}" in found.values]
    if counted:
        found.matched.append("“三公”经费的团组、车辆、接待批次等数量")
    else:
        found.unmatched.append("“三公”经费的团组、车辆、接待批次等数量")


def table_comparisons(last: Imported, k: Decimal) -> dict[str, Any]:
    """Last year's 决算 from its printed tables: 01 and 04 总计, 05 合计 and 类 rows, 09 决算数, 06, 07, 08."""
    t = last.tables

    def line(kind: str, key: str, column: str = "amount") -> Decimal | None:
        table = t.get(kind)
        found = table.line(key) if table is not None else None
        figure = found.values.get(column) if found is not None else None
        return figure.value if figure is not None else None

    out: dict[str, Any] = {}
    grand = line("t01", "income_grand")
    if grand is not None:
        out["last_year.total"] = grand * k
    fiscal = line("t04", "income_grand")
    if fiscal is not None:
        out["last_year.fiscal_total"] = fiscal * k
    t05 = t.get("t05")
    if t05 is not None and t05.total is not None and t05.total.values.get("total") is not None:
        out["last_year.general_budget"] = t05.total.values["total"].amount * k
        classes = {l.key: l.values["total"].amount * k for l in t05.lines
                   if len(l.key) == 3 and l.values.get("total") is not None and l.values["total"].value}
        if not classes:  # 05 printed only its 项 rows: the 类 are their sums
            for l in t05.lines:
                if l.values.get("total") is not None and l.values["total"].value and len(l.key) == 7:
                    classes[l.key[:3]] = classes.get(l.key[:3], Decimal(0)) + l.values["total"].amount * k
        if classes:
            out["last_year.general_by_class"] = classes
    for item in ("abroad", "vehicle_purchase", "vehicle_operation", "reception"):
        value = last.get("three_public", "actual", item)
        out[f"three_public.last_year.{item}"] = (value or Decimal(0)) * k
    public = last.get("basic_items", "public_total")
    if public is not None:
        out["running_cost.last_year"] = public * k
    return out


def sentence_comparisons(part: list[str], k: Decimal, found: _Found) -> dict[str, Any]:
    """Last year's 决算 from the sentences of 第三部分 that state them (a PDF's tables are not read)."""
    text = "".join(part)
    out: dict[str, Any] = {}
    for path, pattern, label in (
            ("last_year.total", r"(?<!财政拨款)(?:收、?支总计|收入总计)(?:为)?" + _AMOUNT, "上年收支总计"),
            ("last_year.fiscal_total", r"财政拨款(?:收、?支总计|收入总计)(?:为)?" + _AMOUNT, "上年财政拨款收支总计"),
            ("last_year.general_budget", r"(?:一般公共预算)?财政拨款支出(?:决算)?(?:为)?" + _AMOUNT + r"[，,]占本年支出",
             "上年一般公共预算财政拨款支出"),
            ("running_cost.last_year", r"机关运行经费(?:支出)?" + _AMOUNT, "上年机关运行经费")):
        match = re.search(pattern, text)
        if match:
            out[path] = _number(match.group(1)) * _k(match.group(2), k)
            found.matched.append(label)
        else:
            found.unmatched.append(label)
    uses = re.search(r"主要用于以下方面[:：](.+?)(?:。|$)", text)
    if uses:
        by_name = {norm(name): code for code, name in catalogue.CLASSES}
        classes = {}
        for name, number, word in re.findall(r"([\u4e00-\u9fff（）()]+?)" + _AMOUNT, uses.group(1)):
            name = norm(name).replace("(类)", "")
            name = re.sub(r"(支出)+$", "", name) + "支出"
            code = by_name.get(norm(name))
            if code:
                classes[code] = _number(number) * _k(word, k)
        if classes:
            out["last_year.general_by_class"] = classes
    for item, word in (("abroad", "因公出国（境）费"), ("vehicle_purchase", "公务用车购置费"),
                       ("vehicle_operation", "公务用车运行维护费"), ("reception", "公务接待费")):
        match = re.search(re.escape(word) + r"支出(?:预算为[^，,。]*[，,])?(?:支出)?决算为" + _AMOUNT, text)
        if match:
            out[f"three_public.last_year.{item}"] = _number(match.group(1)) * _k(match.group(2), k)
    if not any(p.startswith("three_public.last_year") for p in out):
        found.unmatched.append("上年“三公”经费决算数")
    return out


def _build(cls: type, values: dict[str, Any], prefix: str = "") -> Any:
    """A record with the values found at their paths, defaults elsewhere."""
    kwargs = {}
    hints = model.hints(cls)
    for f in fields(cls):
        path = f"{prefix}{f.name}"
        if path in values:
            kwargs[f.name] = values[path]
        elif f.metadata.get("kind") == "record" and any(p.startswith(path + ".") for p in values):
            kwargs[f.name] = _build(model.unwrap(hints[f.name]), values, path + ".")
    return cls(**kwargs)
