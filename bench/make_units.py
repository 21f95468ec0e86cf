#!/usr/bin/env python3
"""Write N synthetic but realistic unit files (部门决算 + 绩效自评) for benchmarks.

Usage: python bench/make_units.py N OUTDIR [--seed S] [--no-evaluation] [--year Y]

Every file is meant to pass ``juesuan check`` with no error and no warning:

* 10–60 项 rows (7-digit 功能分类 codes): the catalogue's 项 codes first (up to
  60 % of the rows; the catalogue has only 22 项), then plausible extra codes of
  the 2024 classification whose 款 and 项 names are declared under ``names:``
  (the 26 类 are all in the catalogue);
* income and expenditure consistent: 05 ≤ 03 per 项, 01 balances, 04 balances for
  each kind of 财政拨款 (一般公共预算, and 政府性基金 on some units);
* 20–40 经济分类 items of table 06 summing exactly to 05's 基本支出; the 项 rows
  of 养老/医疗/公积金 carry exactly their 06 item;
* 三公: 06's 30217/30231/31013/30212 never above 09's 决算数; reasons wherever a
  figure differs from its budget or last year; 年初预算 lines with reasons; 一般性支出
  not below 06's 会议费/培训费; procurement, vehicles;
* ``evaluation`` (unless --no-evaluation): the 部门整体 form and 3–15 projects of
  6–15 indicators whose weights add up to 90; quantitative (≥/≤/=, units 人, 万人,
  次, %, 万元, 元, 元/人, 个) and qualitative indicators; the printed scores, group
  weights, 总分 and 等级 are computed here independently with the documented rules
  (Decimal, half-up to 0.01), so check recomputes the same numbers.

All amounts are Decimal with two decimals.  The output depends only on the
seed and the unit's index (unit i is the same whatever N is).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "generator" / "model" / "catalogue"
CENT = Decimal("0.01")
ZERO = Decimal(0)


def _read_catalogue(name: str) -> dict[str, str]:
    entries = {}
    for line in (CATALOGUE / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            code, _, title = line.partition(" ")
            entries[code] = title.strip()
    return entries


FUNCTIONAL = _read_catalogue("functional.txt")
CLASSES = _read_catalogue("classes.txt")
ECONOMIC = _read_catalogue("economic.txt")
BASIC_CLASSES = ("301", "303", "302", "307", "310", "399")
CATALOGUE_ITEMS = sorted(code for code in FUNCTIONAL if len(code) == 7)

# Extra 款 (5 digits) and 项 (7 digits) of the 2024 支出功能分类, not in the built-in catalogue:
# a unit using them declares their names under `names:`.
EXTRA_SECTIONS = {
    "20101": "人大事务", "20102": "政协事务", "20104": "发展与改革事务", "20106": "财政事务",
    "20108": "审计事务", "20111": "纪检监察事务", "20113": "商贸事务", "20129": "群众团体事务",
    "20131": "党委办公厅（室）及相关机构事务", "20132": "组织事务", "20133": "宣传事务",
    "20501": "教育管理事务", "20502": "普通教育", "20503": "职业教育", "20508": "进修及培训",
    "20601": "科学技术管理事务", "20701": "文化和旅游", "20802": "民政管理事务", "20807": "就业补助",
    "20810": "社会福利", "20811": "残疾人事业", "20819": "最低生活保障", "20828": "退役军人管理事务",
    "21001": "卫生健康管理事务", "21003": "基层医疗卫生机构", "21004": "公共卫生", "21007": "计划生育事务",
    "21101": "环境保护管理事务", "21103": "污染防治", "21201": "城乡社区管理事务",
    "21203": "城乡社区公共设施", "21205": "城乡社区环境卫生",
    "21208": "国有土地使用权出让收入安排的支出", "21301": "农业农村", "21302": "林业和草原",
    "21303": "水利", "21305": "巩固脱贫攻坚成果衔接乡村振兴", "21307": "农村综合改革",
    "21401": "公路水路运输", "22001": "自然资源事务", "22101": "保障性安居工程支出",
    "22401": "应急管理事务", "22960": "彩票公益金安排的支出",
}
EXTRA_ITEMS = {
    "2010101": "行政运行", "2010102": "一般行政管理事务", "2010104": "人大会议",
    "2010201": "行政运行", "2010202": "一般行政管理事务",
    "2010302": "一般行政管理事务", "2010303": "机关服务", "2010350": "事业运行",
    "2010399": "其他政府办公厅（室）及相关机构事务支出",
    "2010401": "行政运行", "2010402": "一般行政管理事务",
    "2010502": "一般行政管理事务", "2010505": "专项统计业务", "2010507": "专项普查活动",
    "2010601": "行政运行", "2010602": "一般行政管理事务", "2010650": "事业运行",
    "2010801": "行政运行", "2010804": "审计业务", "2011101": "行政运行", "2011301": "行政运行",
    "2012901": "行政运行", "2013101": "行政运行", "2013201": "行政运行", "2013301": "行政运行",
    "2050101": "行政运行", "2050102": "一般行政管理事务",
    "2050201": "学前教育", "2050202": "小学教育", "2050203": "初中教育", "2050204": "高中教育",
    "2050299": "其他普通教育支出", "2050302": "中等职业教育", "2050803": "培训支出",
    "2060101": "行政运行", "2070101": "行政运行", "2070104": "图书馆", "2070109": "群众文化",
    "2080201": "行政运行", "2080208": "基层政权建设和社区治理", "2080705": "公益性岗位补贴",
    "2081002": "老年福利", "2081101": "行政运行", "2081901": "城市最低生活保障金支出",
    "2081902": "农村最低生活保障金支出", "2082801": "行政运行",
    "2100101": "行政运行", "2100302": "乡镇卫生院", "2100401": "疾病预防控制机构",
    "2100408": "基本公共卫生服务", "2100409": "重大公共卫生服务", "2100717": "计划生育服务",
    "2110101": "行政运行", "2110302": "水体", "2120101": "行政运行", "2120104": "城管执法",
    "2120303": "小城镇基础设施建设", "2120501": "城乡社区环境卫生",
    "2130101": "行政运行", "2130104": "事业运行", "2130108": "病虫害控制", "2130122": "农业生产发展",
    "2130201": "行政运行", "2130234": "林业草原防灾减灾", "2130301": "行政运行",
    "2130306": "水利工程运行与维护", "2130314": "防汛", "2130504": "农村基础设施建设",
    "2130705": "对村民委员会和村党支部的补助", "2140101": "行政运行", "2140106": "公路养护",
    "2200101": "行政运行", "2200106": "自然资源利用与保护", "2210105": "农村危房改造",
    "2240101": "行政运行", "2240106": "安全监管",
}
FUND_ITEMS = {  # 政府性基金预算 items
    "2120801": "征地和拆迁补偿支出", "2120803": "城市建设支出",
    "2296002": "用于社会福利的彩票公益金支出", "2296004": "用于教育事业的彩票公益金支出",
    "2296006": "用于体育事业的彩票公益金支出",
}
ALL_EXTRA = EXTRA_ITEMS | FUND_ITEMS

# 项 rows that carry exactly one 06 item (the 基本支出 of 社保缴费, 医疗, 公积金, 退休费)
LINKED = {"2080505": "30108", "2080506": "30109", "2101101": "30110", "2101102": "30110",
          "2101103": "30111", "2210201": "30113", "2080501": "30302", "2080502": "30302"}
MAIN_RUN = ("2080101", "2010301", "2010501")

# typical relative sizes of 06 items (others default to 0.6)
ECON_WEIGHTS = {
    "30101": 25, "30102": 20, "30103": 8, "30106": 1, "30107": 18, "30108": 10, "30109": 4, "30110": 5,
    "30111": 1.5, "30112": 0.8, "30113": 8, "30114": 0.5, "30199": 2,
    "30301": 3, "30302": 10, "30304": 1, "30305": 2, "30307": 1, "30309": 0.5, "30399": 1,
    "30201": 6, "30202": 1.5, "30205": 1, "30206": 3, "30207": 1.5, "30209": 3, "30211": 4, "30213": 3,
    "30214": 1, "30215": 0.5, "30216": 1, "30217": 0.6, "30226": 5, "30227": 3, "30228": 3, "30229": 3,
    "30231": 2, "30239": 4, "30299": 6, "31002": 3, "31003": 2, "31007": 2, "39999": 1,
}
CORE_ECON = ("30101", "30102", "30108", "30110", "30113", "30201", "30299")
RARE_ECON = {"30212": 0.05, "31013": 0.05, "30701": 0.02, "30702": 0.0, "30231": 0.5}

COUNTIES = ["青溪县", "云岭县", "石门县", "桃源湾区", "白沙县", "临江市", "凤鸣县", "安乐县", "清河县", "望城湾区",
            "南岭县", "东湖市", "金坪县", "双峰岭县", "松阳县", "柳林县", "河口市", "长宁县", "平湖县", "西岭县"]
DEPARTMENTS = [
    # name, kind, preferred 类, duties, projects
    ("人力资源和社会保障局", "行政单位", "208", "贯彻执行人力资源和社会保障政策，统筹推进就业创业和社会保险工作",
     ["就业创业补助资金", "社会保险经办经费", "劳动保障监察经费", "职业技能培训补贴", "人才引进专项经费"]),
    ("社会保险服务中心", "参照公务员法管理事业单位", "208", "经办机关事业单位和企业职工基本养老保险业务",
     ["参保登记稽核经费", "待遇资格认证经费", "个人账户管理经费", "基金征缴工作经费", "退管工作经费"]),
    ("农业农村局", "行政单位", "213", "统筹研究和组织实施“三农”工作的发展战略、中长期规划和重大政策",
     ["高标准农田建设", "农作物病虫害防控", "耕地地力保护补贴", "农产品质量安全监管", "农村人居环境整治"]),
    ("水利局", "行政单位", "213", "负责保障水资源的合理开发利用，组织实施水利工程建设与运行管理",
     ["防汛抗旱经费", "小型水库除险加固", "农村饮水安全维修养护", "河湖长制工作经费", "水土保持治理"]),
    ("卫生健康局", "行政单位", "210", "组织拟订卫生健康事业发展规划，协调推进医药卫生体制改革",
     ["基本公共卫生服务", "家庭医生签约服务", "重大传染病防控", "计划生育特别扶助", "卫生应急物资储备"]),
    ("疾病预防控制中心", "事业单位", "210", "承担疾病预防控制、突发公共卫生事件应急处置和健康教育工作",
     ["免疫规划工作经费", "传染病监测经费", "慢性病防控经费", "职业病防治经费", "健康素养促进行动"]),
    ("第一中学", "事业单位", "205", "实施普通高中学历教育，促进基础教育发展",
     ["学生资助资金", "教学设备购置", "校舍维修改造", "教师培训经费", "校园安全管理"]),
    ("实验小学", "事业单位", "205", "实施义务教育阶段小学教育，开展教育教学研究",
     ["义务教育公用经费", "课后服务经费", "营养改善计划", "校园文化建设", "教育信息化建设"]),
    ("民政局", "行政单位", "208", "贯彻落实民政工作方针政策，负责社会救助、养老服务和社会事务管理",
     ["城乡低保资金", "特困人员供养", "养老服务体系建设", "残疾人两项补贴", "临时救助资金"]),
    ("财政局", "行政单位", "201", "拟订财政发展规划和政策，负责预算编制、执行和财政监督",
     ["预算绩效管理经费", "财政信息化建设", "政府采购监管", "国有资产管理", "乡镇财政业务培训"]),
    ("统计局", "行政单位", "201", "组织领导和协调全县统计工作，负责统计调查和统计监督",
     ["经济普查经费", "农业普查经费", "统计调查专项经费", "统计执法检查", "统计信息化建设"]),
    ("城市管理综合执法局", "行政单位", "212", "负责城市管理和综合行政执法工作",
     ["城区环境卫生保洁", "市政设施维护", "违建治理专项", "城区亮化维护", "垃圾分类推进"]),
    ("自然资源局", "行政单位", "220", "履行全民所有土地、矿产等自然资源资产所有者职责",
     ["国土空间规划编制", "耕地保护专项", "不动产登记经费", "地质灾害防治", "土地卫片执法"]),
    ("应急管理局", "行政单位", "224", "组织编制应急体系建设规划，指导安全生产监督管理",
     ["安全生产监管经费", "应急救援队伍建设", "应急物资储备", "森林防灭火经费", "防灾减灾宣传"]),
    ("文化旅游广电体育局", "行政单位", "207", "贯彻落实文化、旅游、广电、体育工作方针政策",
     ["公共文化服务体系建设", "全民健身活动", "文物保护经费", "旅游宣传推介", "图书馆免费开放"]),
    ("镇人民政府", "行政单位", "201", "贯彻执行党和国家的方针政策，负责本镇经济社会发展和公共服务",
     ["村级组织运转经费", "乡村振兴示范建设", "农村公路养护", "村庄环境整治", "基层治理专项"]),
]
GENERIC_PROJECTS = ["信息化建设运维", "档案数字化", "业务培训经费", "专项检查经费", "办公设备更新",
                    "宣传工作经费", "执法装备购置", "政务服务窗口运行", "安全生产专项", "课题调研经费",
                    "绩效评价工作经费", "法律顾问服务"]

QUANT_INDICATORS = [
    # (level1, level2, name, unit kind)
    ("产出指标", "数量指标", "服务对象人数", "people"),
    ("产出指标", "数量指标", "开展培训次数", "times"),
    ("产出指标", "数量指标", "发放补助资金", "money"),
    ("产出指标", "数量指标", "完成项目个数", "count"),
    ("产出指标", "数量指标", "检查覆盖人次", "people"),
    ("产出指标", "质量指标", "资金发放准确率", "rate"),
    ("产出指标", "质量指标", "验收合格率", "rate_eq"),
    ("产出指标", "质量指标", "政策知晓率", "rate"),
    ("产出指标", "时效指标", "资金拨付及时率", "rate"),
    ("效益指标", "社会效益指标", "带动就业人数", "people"),
    ("效益指标", "经济效益指标", "带动增收金额", "money"),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "rate"),
    ("成本指标", "经济成本指标", "人均服务成本", "per_person"),
    ("成本指标", "经济成本指标", "项目总成本", "cost"),
]
QUAL_INDICATORS = [
    ("产出指标", "时效指标", "项目完成时限", "{year}年12月底"),
    ("产出指标", "质量指标", "工作规范程度", "规范"),
    ("效益指标", "社会效益指标", "促进社会和谐稳定", "有所提升"),
    ("效益指标", "可持续影响指标", "长效管理机制", "逐步建立"),
    ("效益指标", "生态效益指标", "人居环境改善", "明显改善"),
    ("效益指标", "社会效益指标", "群众获得感", "持续增强"),
]
LEVEL1_ORDER = ("产出指标", "效益指标", "满意度指标", "成本指标")


# ------------------------------------------------------------------ numbers


def money(cents: int) -> Decimal:
    """An amount of the unit's 金额单位 from an integer number of hundredths."""
    return (Decimal(cents) / 100).quantize(CENT)


def half_up(value: Decimal, places: int = 2) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def split(total: int, n: int, rng: random.Random, weights: list[float] | None = None) -> list[int]:
    """``total`` (integer hundredths) in ``n`` parts ≥ 1 (when total ≥ n), exactly."""
    if n <= 0:
        return []
    w = [max(x, 1e-6) * rng.uniform(0.6, 1.4) for x in (weights or [1.0] * n)]
    s = sum(w)
    parts = [int(total * x / s) for x in w]
    if total >= n:
        parts = [max(1, p) for p in parts]
    biggest = max(range(n), key=lambda i: parts[i])
    parts[biggest] += total - sum(parts)
    assert sum(parts) == total and parts[biggest] >= 0
    return parts


def scaled(rng: random.Random, base: int, lo: float, hi: float) -> int:
    return max(0, int(round(base * rng.uniform(lo, hi))))


# ------------------------------------------------------------------ a unit


class Unit:
    def __init__(self, index: int, seed: int, year: int, evaluation: bool, realistic: bool = False,
                 amount_unit: str | None = None):
        self.rng = random.Random(f"juesuan-bench-{seed}-{index}")
        self.index, self.year, self.with_evaluation = index, year, evaluation
        self.realistic, self.forced_amount_unit = realistic, amount_unit

    # -------------------------------------------------------------- header
    def header(self) -> None:
        rng = self.rng
        # every unit name distinct: county × department by the index (16 × 20 = 320 pairs, then numbered)
        dept = DEPARTMENTS[self.index % len(DEPARTMENTS)]
        county = COUNTIES[(self.index // len(DEPARTMENTS)) % len(COUNTIES)]
        rounds = self.index // (len(DEPARTMENTS) * len(COUNTIES))
        suffix = "" if rounds == 0 else f"第{rounds + 1}分部"
        self.dept_name, self.kind, self.pref_class, self.duty, self.dept_projects = dept
        self.name = f"{county}{self.dept_name}{suffix}"
        self.county = county
        self.department = (f"{county}教育局" if self.pref_class == "205" and self.dept_name != "教育局"
                           else f"{county}人民政府")
        self.amount_unit = "万元" if rng.random() < 0.7 else "元"
        if self.forced_amount_unit:          # a consolidated department's units share its 金额单位
            self.amount_unit = self.forced_amount_unit
        self.scale = 1 if self.amount_unit == "万元" else 10_000   # hundredths of 万元 → of 元

    def cents(self, lo_wan: float, hi_wan: float) -> int:
        """A random amount between lo and hi 万元, in hundredths of the unit's 金额单位."""
        return int(self.rng.uniform(lo_wan, hi_wan) * 100 * self.scale)

    # -------------------------------------------------------------- 项 rows
    def choose_rows(self) -> None:
        rng = self.rng
        # realistic: as many 项 as the published documents have (5–12 in data/), a main document
        # of 15–30 pages; else the large units (34–55 pages)
        n = rng.randint(4, 16) if self.realistic else rng.randint(10, 60)
        self.has_fund = rng.random() < 0.35
        n_fund = rng.randint(1, 2) if self.has_fund else 0
        n_real = min(len(CATALOGUE_ITEMS), max(1, math.ceil(0.6 * n)))
        main = rng.choice(MAIN_RUN)
        real = [main] + rng.sample([c for c in CATALOGUE_ITEMS if c != main], n_real - 1)
        n_extra = n - n_real
        fund = rng.sample(sorted(FUND_ITEMS), min(n_fund, n_extra, len(FUND_ITEMS))) if n_extra else []
        pref = sorted(c for c in EXTRA_ITEMS if c.startswith(self.pref_class))
        others = sorted(c for c in EXTRA_ITEMS if not c.startswith(self.pref_class))
        rng.shuffle(pref)
        rng.shuffle(others)
        extra = (pref + others)[: n_extra - len(fund)]
        self.codes = sorted(real + extra + fund)
        self.fund_codes = set(fund)
        self.extra_codes = set(extra) | set(fund)

    def role(self, code: str) -> str:
        if code in self.fund_codes:
            return "fund"
        if code in LINKED:
            return "linked"
        if code[-2:] in ("01", "50") and not code.startswith(("20502", "21205")):
            return "run"
        return "project"

    # -------------------------------------------------------------- table 06
    def table06(self, basic_total: int) -> None:
        rng = self.rng
        linked_items = {LINKED[c] for c in self.codes if c in LINKED}
        # the classes a county's 基本支出 mostly has (309/311/312/313 are rare there)
        candidates = [c for c in ECONOMIC if len(c) == 5 and c[:3] in BASIC_CLASSES]
        chosen = set(CORE_ECON) | linked_items
        m = rng.randint(max(20, len(chosen)), 40)
        pool = []
        for code in candidates:
            if code in chosen:
                continue
            if code in RARE_ECON:
                if rng.random() < RARE_ECON[code]:
                    chosen.add(code)
                continue
            pool.append(code)
        while len(chosen) < m and pool:
            weights = [ECON_WEIGHTS.get(c, 0.6) for c in pool]
            pick = rng.choices(pool, weights=weights)[0]
            pool.remove(pick)
            chosen.add(pick)
        items = [c for c in candidates if c in chosen]   # catalogue order
        personnel = [c for c in items if c[:3] in ("301", "303")]
        public = [c for c in items if c[:3] not in ("301", "303")]
        pers_total = int(basic_total * rng.uniform(0.62, 0.86))
        amounts = dict(zip(personnel, split(pers_total, len(personnel), rng,
                                            [ECON_WEIGHTS.get(c, 0.6) for c in personnel])))
        amounts |= dict(zip(public, split(basic_total - pers_total, len(public), rng,
                                          [ECON_WEIGHTS.get(c, 0.6) for c in public])))
        self.econ = amounts
        assert sum(amounts.values()) == basic_total

    # -------------------------------------------------------------- the accounts
    def accounts(self) -> None:
        rng = self.rng
        B = self.cents(150, 3000)                  # 05 基本支出 (一般公共预算)
        self.table06(B)
        roles = {c: self.role(c) for c in self.codes}
        run_rows = [c for c in self.codes if roles[c] == "run"]
        project_rows = [c for c in self.codes if roles[c] == "project"]
        if not project_rows:   # at least one row with 项目支出
            project_rows.append(run_rows[-1] if len(run_rows) > 1 else run_rows[0])
        rows = {c: {"gb": 0, "gp": 0, "fin": 0, "fopen": 0, "fout": 0, "nf_in": 0, "nf_b": 0, "nf_p": 0,
                    "nf_kind": "business"} for c in self.codes}
        # 基本支出: linked rows carry their 06 item exactly; the rest goes to the 行政运行/事业运行 rows
        by_item: dict[str, list[str]] = {}
        for c in self.codes:
            if roles[c] == "linked":
                by_item.setdefault(LINKED[c], []).append(c)
        linked_sum = 0
        for item, codes in by_item.items():
            for c, part in zip(codes, split(self.econ[item], len(codes), rng)):
                rows[c]["gb"] = part
                linked_sum += part
        mixed = [c for c in project_rows if rng.random() < 0.3]
        absorb = run_rows + mixed
        weights = [5.0 if c in MAIN_RUN else (2.0 if c in run_rows else 0.5) for c in absorb]
        for c, part in zip(absorb, split(B - linked_sum, len(absorb), rng, weights)):
            rows[c]["gb"] += part
        # 项目支出 (一般公共预算)
        P = max(int(B * rng.uniform(0.15, 1.4)), 2000 * self.scale)
        proj = project_rows + [c for c in run_rows if rng.random() < 0.25]
        proj = sorted(set(proj))
        for c, part in zip(proj, split(P, len(proj), rng)):
            rows[c]["gp"] += part
        # 政府性基金 rows
        for c in self.fund_codes:
            r = rows[c]
            r["fin"] = self.cents(20, 600)
            r["fopen"] = self.cents(0, 80) if rng.random() < 0.5 else 0
            r["fout"] = int((r["fopen"] + r["fin"]) * rng.uniform(0.7, 1.0))
        # non-fiscal income (事业收入 / 其他收入 / 上级补助收入) on some rows
        self.non_fiscal = self.kind == "事业单位" or rng.random() < 0.3
        if self.non_fiscal:
            kinds = ["business"] if self.kind == "事业单位" else ["other", "superior"]
            for c in rng.sample(self.codes, max(1, len(self.codes) // 4)):
                r = rows[c]
                if roles[c] == "fund":
                    continue
                base = r["gb"] + r["gp"] or self.cents(5, 50)
                r["nf_kind"] = rng.choice(kinds)
                r["nf_in"] = scaled(rng, base, 0.05, 0.4)
                spent = int(r["nf_in"] * rng.uniform(0.8, 1.0))
                if roles[c] == "linked":
                    r["nf_b"] = spent
                else:
                    r["nf_b"] = int(spent * rng.uniform(0.2, 0.8)) if r["gb"] else 0
                r["nf_p"] = spent - r["nf_b"]
        # 一般公共预算 结转: income = spending + (closing − opening), on the biggest row
        G = sum(r["gb"] + r["gp"] for r in rows.values())
        biggest = max(self.codes, key=lambda c: rows[c]["gb"] + rows[c]["gp"])
        room = (rows[biggest]["gb"] + rows[biggest]["gp"]) // 2
        self.g_open = min(scaled(rng, P, 0, 0.05), room) if rng.random() < 0.5 else 0
        self.g_close = min(scaled(rng, P, 0, 0.05), room) if rng.random() < 0.6 else 0
        for c in self.codes:
            rows[c]["gin"] = rows[c]["gb"] + rows[c]["gp"]
        rows[biggest]["gin"] += self.g_close - self.g_open
        assert rows[biggest]["gin"] >= 0
        self.rows, self.B, self.P, self.G = rows, B, P, G
        self.f_open = sum(r["fopen"] for r in rows.values())
        self.f_in = sum(r["fin"] for r in rows.values())
        self.f_out = sum(r["fout"] for r in rows.values())
        self.f_close = self.f_open + self.f_in - self.f_out
        self.nf_open = self.cents(0, 60) if self.non_fiscal and rng.random() < 0.6 else 0
        nf_in = sum(r["nf_in"] for r in rows.values())
        nf_out = sum(r["nf_b"] + r["nf_p"] for r in rows.values())
        self.nf_close = self.nf_open + nf_in - nf_out
        assert self.nf_close >= 0
        self.income_total = sum(r["gin"] + r["fin"] + r["nf_in"] for r in rows.values())
        self.exp_total = G + self.f_out + nf_out
        self.opening = self.g_open + self.f_open + self.nf_open
        self.closing = self.g_close + self.f_close + self.nf_close
        assert self.income_total + self.opening == self.exp_total + self.closing

    def functional_section(self) -> list[dict]:
        out = []
        for c in self.codes:
            r = self.rows[c]
            row: dict = {"code": c}
            income = {}
            if r["gin"]:
                income["general"] = money(r["gin"])
            if r["fin"]:
                income["fund"] = money(r["fin"])
            if r["nf_in"]:
                income[r["nf_kind"]] = money(r["nf_in"])
            expenditure = {}
            if r["gb"] + r["nf_b"]:
                expenditure["basic"] = money(r["gb"] + r["nf_b"])
            if r["gp"] + r["nf_p"] + r["fout"]:
                expenditure["project"] = money(r["gp"] + r["nf_p"] + r["fout"])
            row["income"] = income
            row["expenditure"] = expenditure
            gb = {}
            if r["gb"]:
                gb["basic"] = money(r["gb"])
            if r["gp"]:
                gb["project"] = money(r["gp"])
            if gb:
                row["general_budget"] = gb
            if c in self.fund_codes:
                fb = {}
                if r["fopen"]:
                    fb["opening"] = money(r["fopen"])
                fb["project"] = money(r["fout"])
                fb["closing"] = money(r["fopen"] + r["fin"] - r["fout"])
                row["fund_budget"] = fb
            out.append(row)
        # printed 类/款 subtotal rows on about half of the units (checked against the 项 rows)
        if self.rng.random() < 0.5:
            for prefix in sorted({c[:3] for c in self.codes} | {c[:5] for c in self.codes}):
                members = [self.rows[c] for c in self.codes if c.startswith(prefix)]
                gin = sum(r["gin"] for r in members)
                fin = sum(r["fin"] for r in members)
                inc_total = sum(r["gin"] + r["fin"] + r["nf_in"] for r in members)
                basic = sum(r["gb"] + r["nf_b"] for r in members)
                project = sum(r["gp"] + r["nf_p"] + r["fout"] for r in members)
                gb = sum(r["gb"] for r in members)
                gp = sum(r["gp"] for r in members)
                out.append({"code": prefix,
                            "income": {"fiscal": money(gin + fin), "total": money(inc_total)},
                            "expenditure": {"basic": money(basic), "project": money(project),
                                            "total": money(basic + project)},
                            "general_budget": {"basic": money(gb), "project": money(gp), "total": money(gb + gp)}})
        return out

    def totals_section(self) -> dict:
        rs = self.rows.values()
        income = {"general": money(sum(r["gin"] for r in rs))}
        if self.f_in:
            income["fund"] = money(self.f_in)
        income["fiscal"] = money(sum(r["gin"] + r["fin"] for r in rs))
        for kind in ("superior", "business", "other"):
            amount = sum(r["nf_in"] for r in rs if r["nf_kind"] == kind)
            if amount:
                income[kind] = money(amount)
        income["total"] = money(self.income_total)
        basic = sum(r["gb"] + r["nf_b"] for r in rs)
        project = sum(r["gp"] + r["nf_p"] + r["fout"] for r in rs)
        return {"income": income,
                "expenditure": {"basic": money(basic), "project": money(project), "total": money(basic + project)},
                "general_budget": {"basic": money(self.B), "project": money(self.P), "total": money(self.B + self.P)}}

    def balances_section(self) -> dict:
        return {"opening": money(self.opening), "closing": money(self.closing),
                "fiscal_opening": {"general": money(self.g_open), "fund": money(self.f_open)},
                "fiscal_closing": {"general": money(self.g_close), "fund": money(self.f_close)}}

    def basic_items_section(self) -> dict:
        items: dict = {}
        groups: dict[str, int] = {}
        for code, amount in self.econ.items():
            groups[code[:3]] = groups.get(code[:3], 0) + amount
        for group in BASIC_CLASSES:
            members = [c for c in self.econ if c.startswith(group)]
            if not members:
                continue
            items[group] = money(groups[group])            # printed 类 subtotal
            for c in members:
                items[c] = money(self.econ[c])
        personnel = groups.get("301", 0) + groups.get("303", 0)
        return {"items": items, "personnel_total": money(personnel), "public_total": money(self.B - personnel)}

    # -------------------------------------------------------------- 三公, 一般性支出, procurement, assets
    def three_public(self) -> dict:
        rng, e = self.rng, self.econ
        r6, v6, p6, a6 = (e.get(c, 0) for c in ("30217", "30231", "31013", "30212"))
        actual = {
            "abroad": a6,
            "vehicle_purchase": p6 + (self.cents(15, 30) if p6 == 0 and rng.random() < 0.05 else 0),
            "vehicle_operation": v6 + (scaled(rng, v6, 0, 0.3) if v6 and rng.random() < 0.4 else 0),
            "reception": r6 + (scaled(rng, r6, 0, 0.5) if r6 and rng.random() < 0.4 else 0),
        }
        if actual["reception"] == 0 and rng.random() < 0.3:
            actual["reception"] = self.cents(0.2, 3)
        budget = {k: (v if rng.random() < 0.4 else scaled(rng, v, 1.0, 1.3)) for k, v in actual.items()}
        last = {k: (scaled(rng, v, 0.7, 1.3) if v else (self.cents(0.5, 5) if rng.random() < 0.1 else 0))
                for k, v in actual.items()}
        self.tp_actual, self.tp_budget, self.tp_last = actual, budget, last

        def amounts(d: dict, printed: bool) -> dict:
            out = {k: money(v) for k, v in d.items() if v}
            if printed:
                out["vehicle_total"] = money(d["vehicle_purchase"] + d["vehicle_operation"])
                out["total"] = money(sum(d.values()))
            return out

        tot = {name: sum(d.values()) for name, d in (("a", actual), ("b", budget), ("l", last))}
        reasons = {}
        if tot["a"] != tot["b"]:
            reasons["budget"] = "厉行节约，严格控制“三公”经费支出，决算数低于预算数"
        if tot["a"] != tot["l"]:
            reasons["last_year"] = ("落实过紧日子要求，压减公务接待和公务用车支出" if tot["a"] < tot["l"]
                                    else "业务检查和交流增加，公务接待和公务用车支出相应增加")
        if actual["abroad"] != budget["abroad"] or actual["abroad"] != last["abroad"]:
            reasons["abroad"] = "按照外事管理规定安排因公出国（境）任务，与预算和上年相比有所变化"
        va = actual["vehicle_purchase"] + actual["vehicle_operation"]
        vb = budget["vehicle_purchase"] + budget["vehicle_operation"]
        vl = last["vehicle_purchase"] + last["vehicle_operation"]
        if va != vb or va != vl:
            reasons["vehicle"] = "公务用车集中调度使用，运行维护费随车辆使用频次变化"
        if actual["reception"] != budget["reception"]:
            reasons["reception_budget"] = "严格执行公务接待标准，接待支出低于预算"
        if actual["reception"] != last["reception"]:
            reasons["reception_last_year"] = "接待批次和人次较上年有所变化"
        held = rng.randint(1, 4) if actual["vehicle_operation"] else 0
        self.vehicles_held = held
        out = {"budget": amounts(budget, False), "actual": amounts(actual, True), "last_year": amounts(last, False),
               "abroad_groups": 1 if actual["abroad"] else 0, "abroad_people": rng.randint(1, 3) if actual["abroad"] else 0,
               "vehicles_purchased": 1 if actual["vehicle_purchase"] else 0, "vehicles_held": held}
        if actual["reception"]:
            out["reception_batches"] = rng.randint(3, 40)
            out["reception_people"] = out["reception_batches"] * rng.randint(3, 9)
            out["reception_note"] = "主要是接待上级部门检查指导和兄弟单位工作交流"
        out["reasons"] = reasons
        return out

    def general_expenses(self) -> dict:
        rng = self.rng
        meeting = self.econ.get("30215", 0)
        training = self.econ.get("30216", 0)
        meeting += scaled(rng, meeting, 0, 0.5) if meeting and rng.random() < 0.3 else 0
        training += scaled(rng, training, 0, 0.5) if training and rng.random() < 0.3 else 0
        out = {}
        out["meeting"] = ({"amount": money(meeting), "count": rng.randint(1, 6), "people": rng.randint(30, 300),
                           "content": "召开年度工作会议和业务推进会，部署全年重点工作"} if meeting else
                          {"amount": ZERO.quantize(CENT), "content": "本年度无会议费开支"})
        out["training"] = ({"amount": money(training), "count": rng.randint(1, 8), "people": rng.randint(20, 400),
                            "content": "开展业务能力提升和政策法规培训"} if training else
                           {"amount": ZERO.quantize(CENT), "content": "本年度无培训费开支"})
        out["events"] = {"amount": ZERO.quantize(CENT)}
        return out

    def procurement(self) -> dict:
        rng = self.rng
        out = {}
        total = sme_total = 0
        base = self.B + self.P
        for kind, prob, share in (("goods", 0.9, (0.01, 0.06)), ("works", 0.2, (0.02, 0.15)),
                                  ("services", 0.7, (0.01, 0.08))):
            if rng.random() < prob:
                amount = scaled(rng, base, *share)
                sme = int(amount * rng.uniform(0.5, 1.0))
                out[kind] = {"amount": money(amount), "sme": money(sme)}
                total += amount
                sme_total += sme
        if out:
            out["small_micro"] = money(int(sme_total * rng.uniform(0.4, 1.0)))
            out["total"] = money(total)
            out["sme_total"] = money(sme_total)
        self.procurement_total = total
        return out

    def assets(self) -> dict:
        rng = self.rng
        vehicles = {}
        if self.vehicles_held:
            vehicles["law_enforcement" if self.kind == "行政单位" else "special"] = self.vehicles_held
            if rng.random() < 0.3:
                vehicles["emergency"] = rng.randint(1, 2)
        vehicles["total"] = sum(vehicles.values())
        return {"vehicles": vehicles, "equipment_over_1m": rng.choice([0, 0, 0, 1, 2])}

    # -------------------------------------------------------------- last year, budget, reasons
    def comparisons(self) -> dict:
        rng = self.rng
        grand = self.income_total + self.opening
        fiscal = sum(r["gin"] + r["fin"] for r in self.rows.values()) + self.g_open + self.f_open
        general = self.B + self.P
        last = {"total": scaled(rng, grand, 0.85, 1.15), "fiscal_total": scaled(rng, fiscal, 0.85, 1.15),
                "general_budget": scaled(rng, general, 0.85, 1.15)}

        def why(now: int, before: int, more: str, less: str) -> str:
            return more if now > before else less

        reasons = {
            "total_change": why(grand, last["total"], "人员工资标准调整和项目经费增加，收支相应增加",
                                "严格执行一般性支出压减政策，部分项目完成后不再安排"),
            "fiscal_change": why(fiscal, last["fiscal_total"], "财政追加项目资金和人员经费，财政拨款相应增加",
                                 "落实过紧日子要求，财政拨款项目经费减少"),
            "general_budget_change": why(general, last["general_budget"], "追加重点项目资金和增人增资",
                                         "压减一般性支出，部分一次性项目结束"),
        }
        lines = {}
        for c in self.codes:
            actual = self.rows[c]["gb"] + self.rows[c]["gp"]
            if not actual:
                continue
            if rng.random() < 0.45:
                lines[c] = {"amount": money(actual)}
            else:
                budget = scaled(rng, actual, 0.7, 1.1)
                if budget == actual:
                    lines[c] = {"amount": money(actual)}
                else:
                    lines[c] = {"amount": money(budget),
                                "reason": "年中追加项目资金和人员经费" if actual > budget else "厉行节约，部分支出未达预算"}
        budget_total = sum(int((v["amount"] * 100).to_integral_value()) for v in lines.values())
        self.budget_total = budget_total
        initial = {"total": money(budget_total), "lines": lines}
        if budget_total != general:
            initial["reason"] = "年中追加预算和厉行节约共同影响"
        public = self.B - sum(v for k, v in self.econ.items() if k[:3] in ("301", "303"))
        running = {"last_year": money(scaled(rng, public, 0.85, 1.15))}
        running["reason"] = "办公运转和维修维护支出变化"
        return {"last_year": {k: money(v) for k, v in last.items()}, "reasons": reasons,
                "initial_budget": initial, "running_cost": running, "_public": public, "_running_last": running}

    # -------------------------------------------------------------- 绩效自评
    def indicator(self, spec, weight: int, project_money: int) -> dict:
        """One quantitative indicator: (dict, score)."""
        rng = self.rng
        level1, level2, name, kind = spec
        met = rng.random() < 0.8
        comparator = "≥"
        if kind == "people":
            if rng.random() < 0.4:
                x = Decimal(rng.randint(5, 300)) / 10                       # 万人
                target_text, target_value = f"{x}万人", x * 10000
                b = target_value * Decimal(rng.uniform(1.0, 1.3) if met else rng.uniform(0.7, 0.99))
                b = b.to_integral_value()
                actual_text, actual_value = f"{b}人", b
            else:
                x = Decimal(rng.randint(50, 5000))
                target_text, target_value = f"{x}人", x
                b = (x * Decimal(rng.uniform(1.0, 1.3) if met else rng.uniform(0.7, 0.99))).to_integral_value()
                actual_text, actual_value = f"{b}人", b
        elif kind == "times":
            x = Decimal(rng.randint(2, 60))
            b = (x * Decimal(rng.uniform(1.0, 1.5) if met else rng.uniform(0.6, 0.95))).to_integral_value()
            target_text, target_value, actual_text, actual_value = f"{x}次", x, f"{b}次", b
        elif kind == "count":
            x = Decimal(rng.randint(1, 30))
            b = x + rng.randint(0, 3) if met else max(Decimal(0), x - rng.randint(1, max(1, int(x) // 3)))
            target_text, target_value, actual_text, actual_value = f"{x}个", x, f"{b}个", b
        elif kind in ("money", "cost"):
            base = max(project_money / self.scale / 100, 1.0)                # in 万元
            x = half_up(Decimal(base * rng.uniform(0.6, 0.9)), 2).normalize()
            if kind == "cost":
                comparator = "≤"
                x = half_up(Decimal(base * rng.uniform(1.0, 1.1)), 2).normalize()
                b = half_up(x * Decimal(rng.uniform(0.85, 1.0) if met else rng.uniform(1.01, 1.15)), 2)
            else:
                b = half_up(x * Decimal(rng.uniform(1.0, 1.2) if met else rng.uniform(0.8, 0.99)), 2)
            if rng.random() < 0.3:        # the actual written in 元, the target in 万元
                actual_text = f"{(b * 10000).normalize():f}元"
            else:
                actual_text = f"{b.normalize():f}万元"
            target_text, target_value, actual_value = f"{x:f}万元", x * 10000, b * 10000
        elif kind == "per_person":
            comparator = "≤"
            x = Decimal(rng.randint(50, 2000))
            b = half_up(x * Decimal(rng.uniform(0.8, 1.0) if met else rng.uniform(1.01, 1.2)), 2).normalize()
            target_text, target_value, actual_text, actual_value = f"{x}元/人", x, f"{b:f}元/人", b
        elif kind == "rate_eq":
            comparator = "="
            x = Decimal(100)
            b = x if met else Decimal(rng.randint(90, 99))
            target_text, target_value, actual_text, actual_value = "100%", x, f"{b}%", b
        else:  # rate ≤ 100 %
            x = Decimal(rng.choice([80, 85, 90, 95, 98]))
            if met:
                b = half_up(Decimal(rng.uniform(float(x), 100)), 1).normalize()
            else:
                b = half_up(x * Decimal(rng.uniform(0.85, 0.99)), 1).normalize()
            target_text, target_value, actual_text, actual_value = f"{x}%", x, f"{b:f}%", b
        w = Decimal(weight)
        x, b = target_value, actual_value
        if comparator == "≥":
            share = Decimal(1) if b >= x or x == 0 else b / x
        elif comparator == "≤":
            share = Decimal(1) if b <= x else (x / b if b else Decimal(1))
        else:
            share = Decimal(1) if b == x else (min(b, x) / max(b, x) if max(b, x) else Decimal(1))
        score = min(w, half_up(w * min(share, Decimal(1)), 2))
        out = {"level1": level1, "level2": level2, "name": name, "target": f"{comparator}{target_text}",
               "actual": actual_text, "weight": w}
        if self.rng.random() < 0.5:
            out["score"] = score
        if score < w:
            out["deviation"] = "受客观因素影响未完全达到年度目标，下一步将加强过程监控，确保按期完成"
        return out, score

    def qualitative(self, spec, weight: int) -> tuple[dict, Decimal]:
        rng = self.rng
        level1, level2, name, target = spec
        target = target.format(year=self.year)
        w = Decimal(weight)
        out = {"level1": level1, "level2": level2, "name": name, "target": target}
        if rng.random() < 0.85:
            out["actual"] = rng.choice(["达成预期指标", "已完成", "基本达成目标", "按期完成"])
            score = w
            if rng.random() < 0.3:
                out["score"] = score
        else:
            out["actual"] = "部分达成预期指标"
            low, high = w * Decimal("0.5"), w * Decimal("0.8")
            score = half_up(low + (high - low) * Decimal(rng.uniform(0, 1)), 2)
            score = min(max(score, half_up(low, 2)), high)
            out["score"] = score
            out["deviation"] = "部分工作受资金到位时间影响进度滞后，已督促加快实施并纳入下年度重点跟踪"
        out["weight"] = w
        return out, score

    def form(self, name: str | None, funds: dict, executed: int, full: int) -> dict:
        """An evaluation form: funds, 6–15 indicators worth 90, and the printed scores."""
        rng = self.rng
        k = rng.randint(6, 15)
        weights = [2] * k
        for _ in range(90 - 2 * k):
            weights[rng.randrange(k)] += 1
        n_quant = min(len(QUANT_INDICATORS), max(2, round(k * rng.uniform(0.5, 0.8))))
        n_qual = min(len(QUAL_INDICATORS), k - n_quant)
        n_quant = k - n_qual
        specs = [("q", s) for s in rng.sample(QUANT_INDICATORS, n_quant)] + \
                [("l", s) for s in rng.sample(QUAL_INDICATORS, n_qual)]
        specs.sort(key=lambda t: LEVEL1_ORDER.index(t[1][0]))
        indicators, scores = [], []
        for (kind, spec), weight in zip(specs, weights):
            ind, score = self.indicator(spec, weight, executed) if kind == "q" else self.qualitative(spec, weight)
            indicators.append(ind)
            scores.append(score)
        groups: dict[str, Decimal] = {}
        for ind in indicators:
            groups[ind["level1"]] = groups.get(ind["level1"], Decimal(0)) + ind["weight"]
        funds_score = min(Decimal(10), half_up(Decimal(10) * min(Decimal(executed) / Decimal(full), Decimal(1)), 2)) \
            if full else Decimal(0)
        funds["score"] = funds_score
        if funds_score < 10:    # executed below the full-year budget: the funds line's own 偏差原因
            funds["deviation"] = "部分合同按进度在下年度支付，资金执行率未达100%"
        total = funds_score + sum(scores, Decimal(0))
        grade = next(g for bound, g in ((90, "优"), (80, "良"), (60, "中"), (0, "差")) if total >= bound)
        out = {}
        if name:
            out |= {"name": name, "department": self.department, "implementer": self.name,
                    "budget_kind": "一般公共预算"}
        out |= {"funds": funds, "goal": f"按期保质完成{name or '年度各项工作'}任务，提高财政资金使用效益",
                "achieved": "年度目标总体完成，各项指标基本达到预期",
                "group_weights": groups, "indicators": indicators, "total_score": total, "grade": grade}
        self.form_totals.append(total)
        return out

    def evaluation(self, budget_total: int) -> dict:
        rng = self.rng
        self.form_totals = []
        G = self.B + self.P
        full = G + (self.g_close if rng.random() < 0.5 else 0)
        whole = self.form(None, {
            "initial_budget": money(budget_total), "full_year_budget": money(full), "executed": money(G),
            "by_income": {"general": money(G)}, "by_nature": {"basic": money(self.B), "project": money(self.P)},
        }, G, full)
        k = rng.randint(2, 12) if self.realistic else rng.randint(3, 15)    # 绩效 forms: 5–20 pages if realistic
        names = list(dict.fromkeys(self.dept_projects + rng.sample(GENERIC_PROJECTS, len(GENERIC_PROJECTS))))[:k]
        rng.uniform(0.5, 1.0)   # (kept: the same draws, so a seed gives the same units as before)
        # the forms cover the 项目支出 of table 03, every source (else PERF-PROJECTS-03 warns)
        spent = sum(r["gp"] + r["nf_p"] + r["fout"] for r in self.rows.values())
        projects = []
        self.project_funds = []
        for name, executed in zip(names, split(spent, k, rng)):
            full = executed if rng.random() < 0.7 else scaled(rng, executed, 1.0, 1.1)
            initial = full if rng.random() < 0.6 else scaled(rng, full, 0.8, 1.0)
            line = {"initial_budget": money(initial), "full_year_budget": money(full), "executed": money(executed)}
            form = self.form(name, dict(line, sources={"current_year": dict(line)}), executed, full)
            form["report"] = (f"{name}项目年初预算{money(initial)}{self.amount_unit}，全年执行{money(executed)}"
                              f"{self.amount_unit}。项目按计划组织实施，资金使用规范，绩效目标总体完成。")
            projects.append(form)
            self.project_funds.append((name, executed))
        e = self.econ
        tp_a, tp_b, tp_l = self.tp_actual, self.tp_budget, self.tp_last
        public = self.B - sum(v for c, v in e.items() if c[:3] in ("301", "303"))

        def three(key):
            return {"last_year": money(tp_l[key]), "budget": money(tp_b[key]), "actual": money(tp_a[key])}

        basic_data = {
            "staff": {"authorized": self.staffing[0], "actual": self.staffing[1]},
            "costs": {
                "vehicle_purchase": three("vehicle_purchase"), "vehicle_operation": three("vehicle_operation"),
                "abroad": three("abroad"), "reception": three("reception"),
                "public": {"last_year": money(self.running_last), "budget": money(scaled(rng, public, 0.9, 1.1)),
                           "actual": money(public)},
                "office": {"actual": money(e.get("30201", 0))},
                "utilities_travel": {"actual": money(sum(e.get(c, 0) for c in ("30205", "30206", "30211")))},
                "meeting_training": {"actual": money(e.get("30215", 0) + e.get("30216", 0))},
                "procurement": {"actual": money(self.procurement_total)},
                "project_last_year": {name: money(scaled(rng, ex, 0.7, 1.2)) for name, ex in self.project_funds[:5]},
            },
            "buildings": {"approved_area": ZERO.quantize(CENT), "actual_area": ZERO.quantize(CENT),
                          "budget_investment": ZERO.quantize(CENT), "actual_investment": ZERO.quantize(CENT)},
            "savings_measures": "严格执行公务接待、差旅、会议和培训管理办法，压减一般性支出",
        }
        report = {
            "overview": f"{self.name}主要职责是{self.duty}。本年度围绕中心工作，认真落实各项重点任务。",
            "performance": "部门整体支出严格按预算执行，资金使用规范，绩效目标总体完成。",
            "problems": "1、预算编制的精细化程度有待提高。\n2、绩效目标设置的量化程度不够。",
            "improvements": "1、加强预算编制与执行的衔接。\n2、完善绩效目标设置，强化绩效运行监控。",
            "use_of_results": "绩效自评结果作为下年度预算安排的重要依据，并按要求公开。",
        }
        return {"basic_data": basic_data, "whole": whole, "projects": projects, "report": report}

    # -------------------------------------------------------------- the file
    def build(self) -> dict:
        rng = self.rng
        self.header()
        self.choose_rows()
        self.accounts()
        authorized = rng.randint(8, 150)
        self.staffing = (authorized, max(1, authorized - rng.randint(0, max(1, authorized // 8))))
        three_public = self.three_public()
        cmp = self.comparisons()
        self.running_last = int((cmp["_running_last"]["last_year"] * 100).to_integral_value())
        names = {}
        for c in sorted(self.extra_codes):
            if c[:5] not in FUNCTIONAL:
                names[c[:5]] = EXTRA_SECTIONS[c[:5]]
            names[c] = ALL_EXTRA[c]
        unit = {"name": self.name, "code": f"bench-{self.index:04d}", "year": self.year,
                "department": self.department,
                "kind": self.kind, "amount_unit": self.amount_unit, "profile": "hunan",
                "date": f"{self.year + 1}-06-30"}
        overview = {
            "duties": f"（一）{self.duty}。\n（二）负责本系统财务、资产和内部审计管理工作。\n"
                      f"（三）完成{self.county}党委、政府交办的其他任务。\n",
            "organization": f"{self.name}内设办公室、财务室、业务股、综合股等{rng.randint(3, 12)}个内设机构。",
            "staffing": {"authorized": self.staffing[0], "actual": self.staffing[1], "retired": rng.randint(0, 80)},
        }
        procurement = self.procurement()
        data = {"unit": unit, "overview": overview}
        if names:
            data["names"] = names
        data |= {
            "functional": self.functional_section(),
            "totals": self.totals_section(),
            "balances": self.balances_section(),
            "basic_items": self.basic_items_section(),
            "three_public": three_public,
            "last_year": cmp["last_year"],
            "reasons": cmp["reasons"],
            "initial_budget": cmp["initial_budget"],
            "running_cost": cmp["running_cost"],
            "general_expenses": self.general_expenses(),
            "procurement": procurement,
            "assets": self.assets(),
        }
        performance = {"results": "本年度整体支出和项目支出绩效目标总体完成，自评等级为“优”。",
                       "use_of_results": "评价结果作为下年度预算安排和改进管理的重要依据。"}
        if self.with_evaluation:
            data["performance"] = performance
            data["evaluation"] = self.evaluation(self.budget_total)
        else:
            k = rng.randint(3, 15)
            performance["general"] = {"projects": k, "amount": money(int(self.P * rng.uniform(0.5, 1.0)))}
            data["performance"] = performance
            data["attachments"] = [f"{self.year}年度{self.name}整体支出绩效自评报告"]
        return data


# ------------------------------------------------------------------ YAML writing

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _key(key) -> str:
    key = str(key)
    return key if _PLAIN_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def _scalar(value) -> str:
    if isinstance(value, bool):
        raise TypeError("no booleans in a unit file")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)   # a JSON string is a valid double-quoted YAML scalar
    raise TypeError(type(value))


def _flow(value: dict) -> str:
    return "{" + ", ".join(f"{_key(k)}: {_flow(v) if isinstance(v, dict) else _scalar(v)}"
                           for k, v in value.items()) + "}"


def _is_leaf(value) -> bool:
    return isinstance(value, dict) and all(not isinstance(v, (list, dict)) or (isinstance(v, dict) and _is_leaf(v))
                                           for v in value.values()) \
        and not any(isinstance(v, str) and "\n" in v for v in value.values())


def emit(value, indent: int = 0) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, dict) and not v:
                lines.append(f"{pad}{_key(k)}: {{}}")
            elif isinstance(v, dict) and _is_leaf(v) and len(_flow(v)) < 110:
                lines.append(f"{pad}{_key(k)}: {_flow(v)}")
            elif isinstance(v, (dict, list)):
                lines.append(f"{pad}{_key(k)}:")
                lines += emit(v, indent + 2)
            elif isinstance(v, str) and "\n" in v:
                lines.append(f"{pad}{_key(k)}: |")
                lines += [f"{pad}  {line}" for line in v.rstrip("\n").split("\n")]
            else:
                lines.append(f"{pad}{_key(k)}: {_scalar(v)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                if _is_leaf(item) and len(_flow(item)) < 110:
                    lines.append(f"{pad}- {_flow(item)}")
                else:
                    inner = emit(item, indent + 2)
                    inner[0] = f"{pad}- " + inner[0][indent + 2:]
                    lines += inner
            else:
                lines.append(f"{pad}- {_scalar(item)}")
    return lines


def unit_text(index: int, seed: int, year: int = 2024, evaluation: bool = True, realistic: bool = False,
              amount_unit: str | None = None) -> str:
    data = Unit(index, seed, year, evaluation, realistic, amount_unit).build()
    head = [f"# 合成的基准测试单位（虚构数据），由 bench/make_units.py 生成：seed {seed}，序号 {index}",
            f"# 金额单位：{data['unit']['amount_unit']}"]
    return "\n".join(head + emit(data)) + "\n"


DEPARTMENT_EVERY = 20     # realistic county: one unit in twenty is a 主管部门's consolidated document …
DEPARTMENT_MEMBERS = 2    # … of the units before it, which publish their own documents too
NO_EVALUATION_EVERY = 10  # one unit in ten has no 绩效 section


def department_text(index: int, seed: int, year: int, members: list[str], name: str) -> str:
    """A 主管部门 that consolidates ``members`` (paths relative to it): its own texts, no figures."""
    data = {
        "unit": {"name": name, "code": f"bench-{index:04d}", "year": year, "amount_unit": "万元",
                 "profile": "hunan", "kind": "行政单位", "date": f"{year + 1}-06-30"},
        "overview": {"duties": f"（一）统筹{name}所属单位的业务工作。\n（二）负责本系统财务、资产和内部审计管理工作。\n",
                     "organization": f"{name}内设办公室、财务室、业务股等3个内设机构。"},
        "consolidate": members,
    }
    head = [f"# 合成的基准测试主管部门（虚构数据，汇总所属单位），由 bench/make_units.py 生成：seed {seed}，序号 {index}"]
    return "\n".join(head + emit(data)) + "\n"


def write_units(count: int, outdir: Path, seed: int = 1, year: int = 2024, evaluation: bool = True,
                realistic: bool = False) -> list[Path]:
    """N unit files under ``outdir``.  Realistic: sizes as the published documents have them, one
    unit in ten without 绩效, one in twenty a 主管部门 consolidating the units before it (the
    department and its units in a folder of their own)."""
    written = []
    for i in range(count):
        department = realistic and i % DEPARTMENT_EVERY == DEPARTMENT_EVERY - 1
        member_of = next((i + k for k in range(1, DEPARTMENT_MEMBERS + 1)
                          if realistic and (i + k) % DEPARTMENT_EVERY == DEPARTMENT_EVERY - 1 and i + k < count), None)
        folder = outdir / f"dept-{(member_of if member_of is not None else i):04d}" if department or member_of is not None \
            else outdir
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"unit-{i:04d}.yaml"
        if department:
            members = [f"unit-{i - k:04d}.yaml" for k in range(DEPARTMENT_MEMBERS, 0, -1)]
            text = department_text(i, seed, year, members, f"{COUNTIES[i % len(COUNTIES)]}第{i // DEPARTMENT_EVERY + 1}主管部门")
        else:
            with_evaluation = evaluation and not (realistic and i % NO_EVALUATION_EVERY == NO_EVALUATION_EVERY - 2)
            text = unit_text(i, seed, year, with_evaluation, realistic, "万元" if member_of is not None else None)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="how many unit files")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--no-evaluation", action="store_true", help="leave the 绩效 `evaluation` section out")
    parser.add_argument("--realistic", action="store_true",
                        help="sizes as published documents have them (main document 15–30 pages, 绩效 forms 5–20), "
                             "one unit in ten without 绩效, one in twenty a consolidated department")
    args = parser.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)
    write_units(args.count, args.outdir, args.seed, args.year, not args.no_evaluation, args.realistic)
    print(f"wrote {args.count} unit files to {args.outdir} (seed {args.seed}"
          f"{', no evaluation' if args.no_evaluation else ''}{', realistic' if args.realistic else ''})")


if __name__ == "__main__":
    main()
