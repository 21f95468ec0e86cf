"""The unit's data, as typed records: the single description of the file format.

Each record is a frozen dataclass; each field carries its Chinese description
and its kind in ``metadata``.  The same classes drive the loader
(:mod:`generator.load`), the JSON Schema (:mod:`generator.model.schema`) and the
skeleton a unit accountant fills in.  A unit states each figure once: the 项
rows of :class:`FunctionalRow`, the 经济分类 items of table 06, the 三公 figures,
last year's figures and the budget lines.  Every subtotal (类, 款, 合计) and
the derivable tables 01 and 04 are computed.
"""

from __future__ import annotations

import functools
import typing
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from dataclasses import is_dataclass
from decimal import Decimal
from typing import Any, Iterator

from ..money import ZERO

FUNCTIONAL_CODE = r"^2\d{2}(\d{2}(\d{2})?)?$"
"""支出功能分类科目编码: 类 3 digits, 款 5, 项 7, starting with 2."""

ECONOMIC_CODE = r"^3\d{2}(\d{2})?$"
"""经济分类科目编码: 类 3 digits, 款 5, starting with 3."""

CODE_PATTERNS = {"functional": FUNCTIONAL_CODE, "economic": ECONOMIC_CODE}

# ---------------------------------------------------------------- field kinds


# Each field may carry a short ``label``: how a message names it (``三公 · 公务接待费 · 预算数``);
# without one, the label is the start of its ``doc`` (see generator/places.py).


def f_amount(doc: str, feeds: str = "", *, label: str = "") -> Any:
    """A money amount ≥ 0 in the unit's 金额单位; blank or omitted means 0."""
    return field(default=ZERO, metadata={"kind": "amount", "doc": doc, "feeds": feeds, "label": label})


def f_printed(doc: str, feeds: str = "", *, label: str = "") -> Any:
    """A total copied from the official software: cross-checked, never trusted."""
    return field(default=None, metadata={"kind": "amount", "doc": doc, "feeds": feeds, "printed": True,
                                         "label": label})


def f_count(doc: str, feeds: str = "", *, label: str = "") -> Any:
    return field(default=0, metadata={"kind": "count", "doc": doc, "feeds": feeds, "label": label})


def f_stated(doc: str, feeds: str = "", *, kind: str = "amount", label: str = "") -> Any:
    """A figure a sentence states only when the unit wrote it: ``None`` when left out,
    so no sentence invents a zero (接待来访团组0个, 上年数为0万元)."""
    return field(default=None, metadata={"kind": kind, "doc": doc, "feeds": feeds, "optional": True,
                                         "label": label})


def f_text(doc: str, feeds: str = "", *, required: bool = False, default: str = "", label: str = "") -> Any:
    meta = {"kind": "text", "doc": doc, "feeds": feeds, "required": required, "label": label}
    return field(default=default, metadata=meta)  # required-ness is the loader's concern


def f_choice(doc: str, options: tuple[str, ...], default: str, feeds: str = "", *, label: str = "") -> Any:
    return field(default=default, metadata={"kind": "choice", "doc": doc, "options": options, "feeds": feeds,
                                            "label": label})


def f_section(cls: type, doc: str, *, required: bool = False, label: str = "") -> Any:
    meta = {"kind": "record", "doc": doc, "required": required, "label": label}
    return field(default_factory=cls, metadata=meta)


def f_rows(doc: str, *, required: bool = False, label: str = "") -> Any:
    return field(default_factory=tuple, metadata={"kind": "list", "doc": doc, "required": required, "label": label})


def f_code_map(doc: str, key: str, feeds: str = "", *, label: str = "") -> Any:
    """A mapping whose keys are classification codes (功能分类 or 经济分类)."""
    return field(default_factory=dict, metadata={"kind": "map", "doc": doc, "key": key, "feeds": feeds,
                                                 "label": label})


# ---------------------------------------------------------------- the header


@dataclass(frozen=True)
class Staffing:
    """人员情况（第一部分 二、机构设置）."""

    authorized: int | None = f_stated("编制数（人）", "第一部分", kind="count")
    actual: int | None = f_stated("实有在职人数（人）", "第一部分", kind="count")
    retired: int | None = f_stated("退休人数（人）", "第一部分", kind="count")


@dataclass(frozen=True)
class Unit:
    """单位基本信息."""

    name: str = f_text("单位名称，如“益阳市社会保险服务中心”", "封面、各表“部门：”行", required=True)
    code: str = f_text("单位编码（预算单位代码）", "文件名、审核清单", required=True)
    year: int = field(default=0, metadata={"kind": "year", "doc": "决算年度，如 2024", "feeds": "全文", "required": True})
    department: str = f_text("主管部门名称", "第一部分")
    kind: str = f_choice("单位性质：行政单位、参照公务员法管理事业单位 或 事业单位",
                         ("行政单位", "参照公务员法管理事业单位", "事业单位"), "事业单位", "公开10表 机关运行经费",
                         label="单位性质")
    amount_unit: str = f_choice("金额单位：万元 或 元；文件中所有金额都按这个单位填写", ("万元", "元"), "万元", "各表“金额单位”", label="金额单位")
    profile: str = f_text("模板方案名称（如 hunan）；不填则用默认方案", "版式、章节", default="")
    date: str = field(default="", metadata={
        "kind": "date", "feeds": "封面、PDF元数据",
        "doc": "文件日期，如 2025-06-30、2025年6月30日、2025/6/30 或 2025.6.30；不填则为次年6月30日"})


@dataclass(frozen=True)
class Overview:
    """第一部分 部门概况 的文字."""

    duties: str = f_text("部门职责（原文照录；可分多段）", "第一部分 一、部门职责", required=True)
    organization: str = f_text("内设机构设置的说明", "第一部分 二、（一）", required=True, label="机构设置")
    staffing: Staffing = f_section(Staffing, "人员情况")
    subordinate_units: tuple[str, ...] = field(
        default_factory=tuple,
        metadata={"label": "下属单位", "kind": "strings", "doc": "下属单位名称（决算单位构成）；没有下属单位就不填", "feeds": "第一部分 二、（二）"},
    )


# ---------------------------------------------------------------- 功能分类 rows


@dataclass(frozen=True)
class Income:
    """本年收入（公开02表），按来源；三种财政拨款分开填写，02表的“财政拨款收入”由它们相加."""

    general: Decimal = f_amount("一般公共预算财政拨款收入", "公开01、02、04表")
    fund: Decimal = f_amount("政府性基金预算财政拨款收入", "公开01、02、04、07表")
    capital: Decimal = f_amount("国有资本经营预算财政拨款收入", "公开01、02、04表")
    superior: Decimal = f_amount("上级补助收入", "公开01、02表")
    business: Decimal = f_amount("事业收入", "公开01、02表")
    operating: Decimal = f_amount("经营收入", "公开01、02表")
    affiliated: Decimal = f_amount("附属单位上缴收入", "公开01、02表")
    other: Decimal = f_amount("其他收入", "公开01、02表")
    fiscal: Decimal | None = f_printed("（核对用）02表“财政拨款收入”栏的打印数", label="财政拨款收入（打印数）")
    total: Decimal | None = f_printed("（核对用）02表“本年收入合计”栏的打印数", label="本年收入合计（打印数）")


@dataclass(frozen=True)
class Expenditure:
    """本年支出（公开03表），全部资金来源."""

    basic: Decimal = f_amount("基本支出", "公开03表")
    project: Decimal = f_amount("项目支出", "公开03表")
    remit_superior: Decimal = f_amount("上缴上级支出", "公开03表")
    operating: Decimal = f_amount("经营支出", "公开03表")
    subsidy_affiliated: Decimal = f_amount("对附属单位补助支出", "公开03表")
    total: Decimal | None = f_printed("（核对用）03表“本年支出合计”栏的打印数", label="本年支出合计（打印数）")


@dataclass(frozen=True)
class GeneralBudget:
    """一般公共预算财政拨款支出（公开05表）."""

    basic: Decimal = f_amount("基本支出", "公开04、05表")
    project: Decimal = f_amount("项目支出", "公开04、05表")
    total: Decimal | None = f_printed("（核对用）05表“小计”栏的打印数", label="小计（打印数）")


@dataclass(frozen=True)
class FundBudget:
    """政府性基金预算财政拨款（公开07表）；本年收入取 income.fund."""

    opening: Decimal = f_amount("年初结转和结余", "公开07表")
    basic: Decimal = f_amount("本年支出：基本支出", "公开04、07表", label="本年支出 · 基本支出")
    project: Decimal = f_amount("本年支出：项目支出", "公开04、07表", label="本年支出 · 项目支出")
    closing: Decimal | None = f_printed("（核对用）年末结转和结余的打印数；应等于 年初 + 本年收入 − 本年支出", label="年末结转和结余（打印数）")


@dataclass(frozen=True)
class CapitalBudget:
    """国有资本经营预算财政拨款支出（公开08表）."""

    basic: Decimal = f_amount("基本支出", "公开04、08表")
    project: Decimal = f_amount("项目支出", "公开04、08表")


@dataclass(frozen=True)
class FunctionalRow:
    """一行支出功能分类科目：7位“项”是数据行；3位“类”、5位“款”行是打印的小计，只用于核对."""

    code: str = field(default="", metadata={"label": "科目编码", "kind": "code", "key": "functional", "doc": "功能分类科目编码：类3位、款5位、项7位", "required": True})
    name: str = f_text("科目名称；不填则按编码取标准名称，填了且与标准名称不同会提示", "公开02、03、05表")
    income: Income = f_section(Income, "本年收入（公开02表）")
    expenditure: Expenditure = f_section(Expenditure, "本年支出（公开03表）")
    general_budget: GeneralBudget = f_section(GeneralBudget, "一般公共预算财政拨款支出（公开05表）")
    fund_budget: FundBudget = f_section(FundBudget, "政府性基金预算财政拨款收支（公开07表）")
    capital_budget: CapitalBudget = f_section(CapitalBudget, "国有资本经营预算财政拨款支出（公开08表）")


@dataclass(frozen=True)
class PrintedTotals:
    """各表“合计”行的打印数（可选，只用于核对）."""

    income: Income = f_section(Income, "02表合计行；其中 general/fund/capital 为01、04表的三种财政拨款收入")
    expenditure: Expenditure = f_section(Expenditure, "03表合计行")
    general_budget: GeneralBudget = f_section(GeneralBudget, "05表合计行")


# ---------------------------------------------------------------- balances


@dataclass(frozen=True)
class ByFiscalKind:
    general: Decimal = f_amount("一般公共预算财政拨款")
    fund: Decimal = f_amount("政府性基金预算财政拨款")
    capital: Decimal = f_amount("国有资本经营预算财政拨款")


@dataclass(frozen=True)
class Balances:
    """结转和结余（公开01、04表）."""

    non_fiscal_surplus_used: Decimal = f_amount("使用非财政拨款结余（含专用结余）", "公开01表")
    opening: Decimal = f_amount("年初结转和结余（全部资金）", "公开01表")
    surplus_distribution: Decimal = f_amount("结余分配", "公开01表")
    closing: Decimal = f_amount("年末结转和结余（全部资金）", "公开01表")
    fiscal_opening: ByFiscalKind = f_section(ByFiscalKind, "年初财政拨款结转和结余，按三种财政拨款（公开04表）")
    fiscal_closing: ByFiscalKind = f_section(ByFiscalKind, "年末财政拨款结转和结余，按三种财政拨款（公开04表）")


# ---------------------------------------------------------------- table 06


@dataclass(frozen=True)
class EconomicItem:
    """公开06表的一项：可直接写金额，也可写 {amount: 金额, name: 自定名称}."""

    amount: Decimal = f_amount("决算数")
    name: str = f_text("科目名称；不填则按编码取标准名称")


@dataclass(frozen=True)
class BasicItems:
    """一般公共预算财政拨款基本支出，按经济分类（公开06表）."""

    items: dict[str, EconomicItem] = f_code_map(
        "经济分类款级科目（5位编码，如 \"30101\"）的决算数；3位的类级编码（301、302…）是打印的小计，只用于核对",
        "economic", "公开06表、第三部分 六", label="经济分类科目",
    )
    personnel_total: Decimal | None = f_printed("（核对用）“人员经费合计”的打印数", label="人员经费合计")
    public_total: Decimal | None = f_printed("（核对用）“公用经费合计”的打印数", label="公用经费合计")


@dataclass(frozen=True)
class GroupComparison:
    """一个经济分类类级科目（301、302…）与年初预算、上年决算的比较（按经济分类分组说明的方案用）."""

    initial_budget: Decimal | None = f_stated("年初预算数；不填则不与年初预算比较")
    last_year: Decimal | None = f_stated("上年决算数；不填则不与上年比较")
    reason: str = f_text("与年初预算、上年决算相比变化的原因")


# ---------------------------------------------------------------- 三公


@dataclass(frozen=True)
class ThreePublicAmounts:
    abroad: Decimal = f_amount("因公出国（境）费", label="因公出国（境）费")
    vehicle_purchase: Decimal = f_amount("公务用车购置费")
    vehicle_operation: Decimal = f_amount("公务用车运行维护费")
    reception: Decimal = f_amount("公务接待费")
    total: Decimal | None = f_printed("（核对用）合计的打印数", label="合计")
    vehicle_total: Decimal | None = f_printed("（核对用）公务用车购置及运行维护费小计的打印数", label="公务用车购置及运行维护费")


@dataclass(frozen=True)
class ThreePublicReasons:
    budget: str = f_text("“三公”经费合计决算数与预算数不同的原因", label="合计与预算不同的原因")
    last_year: str = f_text("“三公”经费合计决算数与上年不同的原因", label="合计与上年不同的原因")
    abroad: str = f_text("因公出国（境）费与预算、上年不同的原因", label="因公出国（境）费的原因")
    vehicle: str = f_text("公务用车购置及运行维护费与预算、上年不同的原因", label="公务用车购置及运行维护费的原因")
    reception_budget: str = f_text("公务接待费决算数与预算数不同的原因", label="公务接待费与预算不同的原因")
    reception_last_year: str = f_text("公务接待费决算数与上年不同的原因", label="公务接待费与上年不同的原因")


@dataclass(frozen=True)
class ReceptionPart:
    """公务接待的一部分（国内或国（境）外）."""

    amount: Decimal | None = f_stated("接待费")
    batches: int | None = f_stated("接待批次（个）", kind="count", label="接待批次")
    people: int | None = f_stated("接待人次", kind="count")


@dataclass(frozen=True)
class ReceptionDetail:
    """公务接待费分国内、国（境）外（有的省份第三部分分开说明）."""

    domestic: ReceptionPart = f_section(ReceptionPart, "国内公务接待", label="国内公务接待")
    foreign: ReceptionPart = f_section(ReceptionPart, "国（境）外公务接待", label="国（境）外公务接待")


@dataclass(frozen=True)
class ThreePublic:
    """财政拨款“三公”经费（公开09表、第三部分 七）."""

    budget: ThreePublicAmounts = f_section(ThreePublicAmounts, "预算数（全年预算数）")
    actual: ThreePublicAmounts = f_section(ThreePublicAmounts, "决算数")
    last_year: ThreePublicAmounts | None = field(default=None, metadata={
        "kind": "record", "doc": "上年决算数；不填则不与上年比较"})
    abroad_groups: int | None = f_stated("因公出国（境）团组数（个）", kind="count", label="因公出国（境）团组数")
    abroad_people: int | None = f_stated("因公出国（境）人次", kind="count", label="因公出国（境）人次")
    vehicles_purchased: int | None = f_stated("本年购置公务用车（辆）", kind="count")
    vehicles_held: int | None = f_stated("年末公务用车保有量（辆）", kind="count")
    reception_batches: int | None = f_stated("公务接待批次（个）", kind="count")
    reception_people: int | None = f_stated("公务接待人次", kind="count")
    reception_note: str = f_text("公务接待的主要内容，如“主要是社保基金工作业务交流发生的接待支出”")
    reception_detail: ReceptionDetail | None = field(default=None, metadata={
        "kind": "record", "label": "国内、国（境）外公务接待",
        "doc": "（可选）公务接待费分国内、国（境）外的金额、批次和人次；两部分之和应等于公务接待费决算数"})
    vehicle_note: str = f_text("公务用车运行维护费的主要用途，如“主要用于保障机要通信、应急等公务用车的燃料、维修、保险等支出”",
                               label="公务用车的用途")
    reasons: ThreePublicReasons = f_section(ThreePublicReasons, "差异原因", label="原因")


# ---------------------------------------------------------------- last year, budget


@dataclass(frozen=True)
class LastYear:
    """上年决算数（用于“与上年相比”）."""

    total: Decimal | None = f_stated("上年收入支出总计（公开01表总计）", "第三部分 一")
    fiscal_total: Decimal | None = f_stated("上年财政拨款收入支出总计（公开04表总计）", "第三部分 四")
    general_budget: Decimal | None = f_stated("上年一般公共预算财政拨款支出", "第三部分 五（一）")
    general_by_class: dict[str, Decimal] = field(default_factory=dict, metadata={
        "kind": "amountmap", "label": "上年一般公共预算财政拨款支出（按类）", "feeds": "第三部分 五（二）",
        "doc": "（与上年按类比较的方案用）上年各类的一般公共预算财政拨款支出：“类编码: 金额”，如 \"208\": 690.12"})
    fund_expenditure: Decimal | None = f_stated("上年政府性基金预算财政拨款支出（政府性基金单列一节、与上年比较的方案用）",
                                               "第三部分 政府性基金", label="上年政府性基金预算财政拨款支出")
    capital_expenditure: Decimal | None = f_stated("上年国有资本经营预算财政拨款支出（国有资本经营单列一节、与上年比较的方案用）",
                                                  "第三部分 国有资本经营", label="上年国有资本经营预算财政拨款支出")


@dataclass(frozen=True)
class BudgetLine:
    amount: Decimal = f_amount("年初预算数")
    full_year: Decimal | None = f_stated("全年预算数（调整后的预算数；按全年预算计算完成率的方案用）", label="全年预算数")
    reason: str = f_text("决算数与预算数不同的原因（按方案比较的年初预算或全年预算）", label="原因")


@dataclass(frozen=True)
class InitialBudget:
    """一般公共预算财政拨款支出的年初预算（第三部分 五（三））."""

    lines: dict[str, BudgetLine] = f_code_map(
        "按功能分类科目填写年初预算：通常按7位“项”，只有类、款级预算时可按3位或5位编码；"
        "可直接写金额，也可写 {amount: 金额, reason: 原因}",
        "functional", "第三部分 五（三）", label="年初预算",
    )
    total: Decimal | None = f_printed("年初预算合计（批复的预算数）；填写时按它计算完成率，并核对各行之和；不填则为各行之和")
    full_year_total: Decimal | None = f_printed("全年预算合计（调整后的预算数）；按全年预算计算完成率的方案用，并核对各行之和",
                                                label="全年预算合计")
    reason: str = f_text("支出决算合计与预算合计不同的原因（可选）", label="合计与预算不同的原因")


@dataclass(frozen=True)
class Reasons:
    """与上年相比变化的原因."""

    total_change: str = f_text("收入支出总计与上年相比变化的原因", "第三部分 一")
    fiscal_change: str = f_text("财政拨款收支总计与上年相比变化的原因", "第三部分 四")
    general_budget_change: str = f_text("一般公共预算财政拨款支出与上年相比变化的原因", "第三部分 五（一）")
    fund_change: str = f_text("政府性基金预算财政拨款支出与上年相比变化的原因（政府性基金单列一节的方案用）",
                              "第三部分 政府性基金")
    capital_change: str = f_text("国有资本经营预算财政拨款支出与上年相比变化的原因（国有资本经营单列一节的方案用）",
                                 "第三部分 国有资本经营")
    by_class: dict[str, str] = field(default_factory=dict, metadata={
        "kind": "textmap", "label": "各类支出与上年相比变化的原因", "feeds": "第三部分 五（三）",
        "doc": "（与上年按类比较的方案用）“类编码: 原因”，如 \"208\": 退休人员增加"})


# ---------------------------------------------------------------- other topics


@dataclass(frozen=True)
class RunningCost:
    """机关运行经费（第三部分 九）."""

    amount: Decimal | None = f_printed("机关运行经费决算数；不填则等于公开06表的公用经费合计")
    initial_budget: Decimal | None = f_printed("机关运行经费年初预算数（与预算比较时填写）")
    last_year: Decimal | None = f_printed("上年机关运行经费决算数（与上年比较时填写）")
    reason: str = f_text("变化的原因")


@dataclass(frozen=True)
class CountedExpense:
    amount: Decimal = f_amount("金额")
    count: int = f_count("次数")
    people: int = f_count("人数")
    content: str = f_text("主要内容")


@dataclass(frozen=True)
class GeneralExpenses:
    """一般性支出（第三部分 十）."""

    meeting: CountedExpense = f_section(CountedExpense, "会议费")
    training: CountedExpense = f_section(CountedExpense, "培训费")
    events: CountedExpense = f_section(CountedExpense, "节庆、晚会、论坛、赛事活动")


@dataclass(frozen=True)
class ProcurementKind:
    amount: Decimal = f_amount("采购支出")
    sme: Decimal = f_amount("其中授予中小企业合同金额")


@dataclass(frozen=True)
class Procurement:
    """政府采购（第三部分 十一）."""

    goods: ProcurementKind = f_section(ProcurementKind, "货物")
    works: ProcurementKind = f_section(ProcurementKind, "工程")
    services: ProcurementKind = f_section(ProcurementKind, "服务")
    small_micro: Decimal = f_amount("授予小微企业合同金额（中小企业合同金额的一部分）")
    total: Decimal | None = f_printed("（核对用）政府采购支出总额的打印数", label="政府采购支出总额（打印数）")
    sme_total: Decimal | None = f_printed("（核对用）授予中小企业合同金额的打印数", label="授予中小企业合同金额（打印数）")


@dataclass(frozen=True)
class Vehicles:
    ministerial: int = f_count("副部（省）级及以上领导用车", label="副部（省）级及以上领导用车")
    principal: int = f_count("主要负责人用车")
    confidential: int = f_count("机要通信用车")
    emergency: int = f_count("应急保障用车")
    law_enforcement: int = f_count("执法执勤用车")
    special: int = f_count("特种专业技术用车")
    retired_service: int = f_count("离退休干部服务用车")
    other: int = f_count("其他用车")
    total: int | None = field(default=None, metadata={"kind": "count", "doc": "（核对用）车辆总数", "printed": True})


@dataclass(frozen=True)
class Assets:
    """国有资产占用（第三部分 十二）."""

    vehicles: Vehicles = f_section(Vehicles, "车辆（辆），按用途", label="车辆")
    equipment_over_1m: int = f_count("单价100万元（含）以上设备（不含车辆，台/套）", label="单价100万元以上设备")
    equipment_over_500k: int | None = f_stated("单价50万元（含）以上设备（不含车辆，台/套；有的省份说明）", kind="count",
                                                label="单价50万元以上设备")
    building_area: Decimal | None = f_stated("房屋面积（平方米；有的省份说明）", label="房屋面积")


@dataclass(frozen=True)
class EvaluatedProjects:
    projects: int = f_count("项目个数")
    amount: Decimal = f_amount("涉及资金")


@dataclass(frozen=True)
class PerformanceSummary:
    """预算绩效（第三部分 十三）."""

    general: EvaluatedProjects = f_section(EvaluatedProjects, "一般公共预算项目")
    fund: EvaluatedProjects = f_section(EvaluatedProjects, "政府性基金预算项目")
    capital: EvaluatedProjects = f_section(EvaluatedProjects, "国有资本经营预算项目")
    social_insurance: EvaluatedProjects = f_section(EvaluatedProjects, "社会保险基金预算项目")
    social_insurance_expenditure: Decimal = f_amount("社会保险基金预算支出总额（本单位无社保基金预算时为0）")
    results: str = f_text("绩效评价结果（文字）")
    use_of_results: str = f_text("评价结果应用情况（文字）")


# ---------------------------------------------------------------- 绩效自评


@dataclass(frozen=True)
class FundsLine:
    """年初预算数、全年预算数、全年执行数."""

    initial_budget: Decimal = f_amount("年初预算数")
    full_year_budget: Decimal = f_amount("全年预算数")
    executed: Decimal = f_amount("全年执行数")


@dataclass(frozen=True)
class FundSources:
    """资金来源（项目表：其中当年财政拨款、上年结转资金、其他资金）."""

    current_year: FundsLine = f_section(FundsLine, "其中：当年财政拨款")
    carried_over: FundsLine = f_section(FundsLine, "上年结转资金")
    other: FundsLine = f_section(FundsLine, "其他资金")


@dataclass(frozen=True)
class IncomeKinds:
    """按收入性质分（部门整体表）."""

    general: Decimal = f_amount("一般公共预算")
    fund: Decimal = f_amount("政府性基金拨款")
    special_account: Decimal = f_amount("纳入专户管理的非税收入拨款")
    other: Decimal = f_amount("其他资金")


@dataclass(frozen=True)
class ExpenditureKinds:
    """按支出性质分（部门整体表）."""

    basic: Decimal = f_amount("基本支出")
    project: Decimal = f_amount("项目支出")


@dataclass(frozen=True)
class EvaluationFunds:
    """年度资金总额（万元或元，同 unit.amount_unit）."""

    initial_budget: Decimal = f_amount("年初预算数")
    full_year_budget: Decimal = f_amount("全年预算数")
    executed: Decimal = f_amount("全年执行数")
    balance: Decimal | None = f_stated("资金结转结余（印这一栏的方案用）", label="资金结转结余")
    deviation: str = f_text("资金执行的偏差原因分析（执行率不到100%时，有的表单独一栏）", label="资金执行的偏差原因")
    sources: FundSources = f_section(FundSources, "（项目表）按资金来源分；填写时各来源之和应等于总额", label="资金来源")
    by_income: IncomeKinds = f_section(IncomeKinds, "（部门整体表）按收入性质分", label="按收入性质分")
    by_nature: ExpenditureKinds = f_section(ExpenditureKinds, "（部门整体表）按支出性质分", label="按支出性质分")
    score: Decimal | None = f_printed("（核对用）表上打印的资金执行得分", label="资金执行得分（打印）")


@dataclass(frozen=True)
class Indicator:
    """一个三级绩效指标；年度指标值、实际完成值按表上的写法照录，如“≥36.6万人”“51万人”“基本达成目标”."""

    level1: str = f_text("一级指标：产出指标、效益指标、满意度指标、成本指标", required=True, label="一级指标")
    level2: str = f_text("二级指标：数量指标、质量指标、时效指标、经济效益指标……", label="二级指标")
    name: str = f_text("三级指标", required=True)
    target: str = f_text("年度指标值，如“≥36.6万人”“≤930元/卷”“=100%”“合规”", required=True)
    actual: str = f_text("实际完成值，如“51万人”“基本达成目标”", required=True)
    weight: Decimal = f_amount("分值")
    score: Decimal | None = f_printed("自评得分：定量指标只用于核对；定性指标为所选档次内的得分（达成档不填则为满分）", label="自评得分")
    deviation: str = f_text("偏差原因分析及改进措施（得分低于分值时必填）")
    kind: str = f_choice("指标性质：定量 或 定性；不填则按年度指标值的写法判断", ("", "定量", "定性"), "",
                         label="指标性质")
    direction: str = f_choice("（定量指标）计分方向：正向（≥，越大越好）、反向（≤，越小越好）、等于；不填则按比较符，"
                              "成本指标默认反向", ("", "正向", "反向", "等于"), "", label="计分方向")
    declared: str = f_text("目标申报数（印这一栏的方案用）", label="目标申报数")
    qualitative_note: str = f_text("定性值情况说明（印这一栏的方案用）", label="定性值情况说明")
    note: str = f_text("备注", label="备注")


@dataclass(frozen=True)
class Evaluation:
    """一张绩效自评表（部门整体或一个项目）."""

    name: str = f_text("项目名称（部门整体表不填）")
    department: str = f_text("主管部门")
    implementer: str = f_text("实施单位")
    budget_kind: str = f_choice("资金所属预算（用于第三部分 预算绩效的统计）",
                                ("一般公共预算", "政府性基金预算", "国有资本经营预算", "社会保险基金预算"),
                                "一般公共预算")
    funds: EvaluationFunds = f_section(EvaluationFunds, "年度资金", required=True)
    goal: str = f_text("年度总体目标：预期目标", label="预期目标")
    achieved: str = f_text("年度总体目标：实际完成情况", label="实际完成情况")
    indicators: tuple[Indicator, ...] = f_rows("绩效指标（每行一个三级指标）", required=True)
    group_weights: dict[str, Decimal] = field(
        default_factory=dict,
        metadata={"label": "一级指标分值（打印）", "kind": "amountmap", "doc": "（核对用）表上打印的一级指标分值，如“产出指标: 40”", "printed": True},
    )
    level2_weights: dict[str, Decimal] = field(
        default_factory=dict,
        metadata={"label": "二级指标分值（打印）", "kind": "amountmap", "printed": True,
                  "doc": "（核对用）表上打印的二级指标分值，“一级指标/二级指标: 分值”，如“产出指标/数量指标: 20”"},
    )
    amount_unit: str = f_choice("这张表的金额单位；不填则同 unit.amount_unit（表用万元、文件用元时填 万元）",
                                ("", "万元", "元"), "", label="表的金额单位")
    total_score: Decimal | None = f_printed("（核对用）表上打印的总分", label="总分（打印）")
    grade: str = f_text("（核对用）表上打印的等级：优、良、中、差", label="等级（打印）")
    report: str = f_text("（项目支出绩效自评报告）报告正文，可分多段", label="报告正文")


@dataclass(frozen=True)
class StaffControl:
    authorized: int = f_count("编制数")
    actual: int = f_count("实际在职人数")


@dataclass(frozen=True)
class ThreeYears:
    """上年决算数、本年预算数、本年决算数."""

    last_year: Decimal = f_amount("上年决算数")
    budget: Decimal = f_amount("本年预算数")
    actual: Decimal = f_amount("本年决算数")


@dataclass(frozen=True)
class CostControl:
    """经费控制情况（基础数据表）."""

    vehicle_purchase: ThreeYears = f_section(ThreeYears, "公车购置")
    vehicle_operation: ThreeYears = f_section(ThreeYears, "公车运行维护")
    abroad: ThreeYears = f_section(ThreeYears, "出国经费")
    reception: ThreeYears = f_section(ThreeYears, "公务接待")
    public: ThreeYears = f_section(ThreeYears, "公用经费")
    office: ThreeYears = f_section(ThreeYears, "其中：办公费")
    utilities_travel: ThreeYears = f_section(ThreeYears, "其中：水费、电费、差旅费")
    meeting_training: ThreeYears = f_section(ThreeYears, "其中：会议费、培训费")
    procurement: ThreeYears = f_section(ThreeYears, "政府采购金额")
    project_last_year: dict[str, Decimal] = field(
        default_factory=dict,
        metadata={"label": "各项目上年决算数", "kind": "amountmap", "doc": "各项目上年决算数，“项目名称: 金额”（项目本年数取自 projects）"},
    )


@dataclass(frozen=True)
class BuildingControl:
    """楼堂馆所控制情况（本年完工项目）."""

    approved_area: Decimal = f_amount("批复规模（㎡）")
    actual_area: Decimal = f_amount("实际规模（㎡）")
    budget_investment: Decimal = f_amount("预算投资")
    actual_investment: Decimal = f_amount("实际投资")


@dataclass(frozen=True)
class BasicData:
    """部门整体支出绩效评价基础数据表."""

    staff: StaffControl = f_section(StaffControl, "财政供养人员情况")
    costs: CostControl = f_section(CostControl, "经费控制情况")
    buildings: BuildingControl = f_section(BuildingControl, "楼堂馆所控制情况")
    savings_measures: str = f_text("厉行节约保障措施")


@dataclass(frozen=True)
class WholeReport:
    """整体支出绩效自评报告的文字部分（数字由程序生成）."""

    overview: str = f_text("部门（单位）基本情况、重点工作", label="部门（单位）基本情况")
    performance: str = f_text("部门整体支出绩效情况")
    problems: str = f_text("存在的问题及原因分析")
    improvements: str = f_text("下一步改进措施")
    use_of_results: str = f_text("绩效自评结果拟应用和公开情况")


@dataclass(frozen=True)
class EvaluationData:
    """绩效自评（部门整体表、项目表、基础数据表、报告）."""

    whole: Evaluation | None = field(default=None, metadata={
        "kind": "record", "label": "整体支出绩效自评表",
        "doc": "部门（单位）整体支出绩效自评表；只有项目表的单位不写这一节"})
    projects: tuple[Evaluation, ...] = f_rows("项目支出绩效自评表，每个项目一张")
    basic_data: BasicData | None = field(
        default=None, metadata={"kind": "record", "doc": "部门整体支出绩效评价基础数据表（方案需要时填写）"})
    report: WholeReport = f_section(WholeReport, "整体支出绩效自评报告的文字", label="整体支出绩效自评报告")
    projects_report: str = f_text("覆盖全部项目的项目支出绩效自评报告正文（数字由程序生成，这里写文字），可分多段", label="项目支出绩效自评报告")


@dataclass(frozen=True)
class Glossary:
    terms: dict[str, str] = field(
        default_factory=dict,
        metadata={"label": "名词解释", "kind": "textmap", "doc": "名词解释：覆盖或补充标准名词解释，“名词: 解释”", "feeds": "第四部分"},
    )


@dataclass(frozen=True)
class UnitData:
    """一个单位一个年度的决算数据（一个YAML文件）."""

    unit: Unit = f_section(Unit, "单位基本信息", required=True)
    overview: Overview = f_section(Overview, "第一部分 部门概况", required=True)
    functional: tuple[FunctionalRow, ...] = f_rows("按支出功能分类科目的收支（公开02、03、05、07、08表）", required=True, label="功能分类科目")
    totals: PrintedTotals = f_section(PrintedTotals, "（可选）各表合计行的打印数，只用于核对", label="合计行打印数")
    balances: Balances = f_section(Balances, "结转和结余")
    basic_items: BasicItems = f_section(BasicItems, "公开06表 基本支出经济分类明细", required=True)
    economic_groups: dict[str, GroupComparison] = f_code_map(
        "（按经济分类分组说明的方案用）各经济分类类级科目（301、302、303、307、310、399）的年初预算数、上年决算数和原因",
        "economic", "第三部分 基本支出分组说明", label="基本支出分组说明",
    )
    three_public: ThreePublic = f_section(ThreePublic, "“三公”经费", required=True)
    last_year: LastYear = f_section(LastYear, "上年决算数", required=True)
    initial_budget: InitialBudget = f_section(InitialBudget, "年初预算", required=True)
    reasons: Reasons = f_section(Reasons, "变化原因")
    running_cost: RunningCost = f_section(RunningCost, "机关运行经费")
    general_expenses: GeneralExpenses = f_section(GeneralExpenses, "一般性支出")
    procurement: Procurement = f_section(Procurement, "政府采购")
    assets: Assets = f_section(Assets, "国有资产占用")
    performance: PerformanceSummary = f_section(PerformanceSummary, "预算绩效")
    glossary: Glossary = f_section(Glossary, "名词解释")
    evaluation: EvaluationData | None = field(
        default=None,
        metadata={"label": "绩效", "kind": "record", "doc": "绩效自评数据；文件中只有 unit 和 evaluation 时，只生成绩效自评文件"},
    )
    attachments: tuple[str, ...] = field(
        default_factory=tuple,
        metadata={"kind": "strings", "doc": "第五部分 附件的名称（没有绩效自评数据时列出）", "feeds": "第五部分"},
    )
    consolidate: tuple[str, ...] = field(
        default_factory=tuple,
        metadata={"label": "汇总的单位文件", "kind": "strings", "doc": "（主管部门汇总用）所属单位的数据文件（相对本文件的路径，本级在前）；"
                                            "填写后各表数字由这些文件逐行相加，本文件只写文字",
                  "feeds": "全部表格、第一部分 决算单位构成"},
    )
    names: dict[str, str] = field(
        default_factory=dict,
        metadata={"label": "自定科目名称", "kind": "textmap", "key": "any", "doc": "自定科目名称：“编码: 名称”，用于标准目录中没有的编码或地方名称"},
    )
    display: dict[str, str] = field(
        default_factory=dict,
        metadata={"label": "显示样式", "kind": "textmap", "key": "any",
                  "doc": "（可选）这个单位自己的显示样式，覆盖方案的 display，如 table_zero: \"0.00\""},
    )
    texts: dict[str, str] = field(
        default_factory=dict,
        metadata={"label": "替换的文字", "kind": "textmap", "key": "any", "feeds": "第三部分、各表的说明",
                  "doc": "（可选）用自己的文字替换方案写的某一节或某句话：“名称: 文字”，名称见 docs/profiles.md，"
                         "如 fund: 本单位没有政府性基金…，t07.empty: 说明：…"},
    )
    carried_over: dict[str, str] = field(
        default_factory=dict,
        metadata={"label": "沿用上年的文字", "kind": "textmap", "key": "any", "machine": True,
                  "doc": "（juesuan import 写）从上年文件沿用的文字：“字段路径: 指纹”；核对或改写后删去该行，"
                         "文字改动后自动不再提示"},
    )


def texts(obj: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every text the unit wrote, with its field path (codes, years and choices are not texts)."""
    if isinstance(obj, str):
        yield path, obj
    elif is_dataclass(obj):
        for f in dataclass_fields(obj):
            if f.metadata.get("kind") not in ("code", "year", "choice", "date") and not f.metadata.get("machine"):
                yield from texts(getattr(obj, f.name), f"{path}.{f.name}" if path else f.name)
    elif isinstance(obj, (tuple, list)):
        for i, item in enumerate(obj):
            yield from texts(item, f"{path}[{i}]")
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from texts(item, f"{path}.{key}")


@functools.cache
def hints(cls: type) -> dict[str, Any]:
    """The resolved type of each field of a record."""
    return typing.get_type_hints(cls, globals())


def unwrap(typ: Any) -> Any:
    """``X | None`` → ``X``."""
    args = [a for a in typing.get_args(typ) if a is not type(None)]
    return args[0] if args and type(None) in typing.get_args(typ) else typ
