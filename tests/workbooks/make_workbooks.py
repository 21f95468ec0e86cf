"""Test workbooks for `juesuan import`, built cell by cell from the printed tables.

The figures below are transcribed from the published documents
(`shared/reference/yiyang-2024-shebao-juesuan.txt` and
`shared/reference/lanshan-2024-shebao-juesuan.txt`, 第二部分 公开01表–公开09表),
independently of the project's own code: nothing here imports `generator`.

Every figure is kept as the string the table prints ("841.69", "0.00", "493"),
or None where the printed cell is blank.  Strings become Decimal; 万元 → 元 is
Decimal × 10000; a float appears only when a number is put into a cell.

Layouts (see LAYOUTS) write the same figures in the shapes real 决算 software
exports take; bad cases (see BAD_CASES) are workbooks an importer must reject
or warn about.

Usage:
    python tests/workbooks/make_workbooks.py OUTDIR      # write every workbook
    python tests/workbooks/make_workbooks.py --selftest  # build, read back, check

    from make_workbooks import build, build_bad
    build("yiyang", "sheets-split-codes", tmp_path)      # -> tmp_path/yiyang-sheets-split-codes.xlsx
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as _dt
import hashlib
import io
import re
import sys
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence, Union

Amount = Optional[str]  # a figure as printed ("841.69", "0.00", "493") or None for a blank cell

# ---------------------------------------------------------------------------
# Public constants
# ---------------------------------------------------------------------------

UNITS: tuple[str, ...] = ("yiyang", "lanshan")

LAYOUTS: tuple[str, ...] = (
    "sheets-split-codes",            # one sheet per table, 类|款|项 code columns, numbers in 万元
    "sheets-code-column-yuan-text",  # one code column, text amounts in 元, odd sheet names
    "one-sheet",                     # all nine tables stacked in one sheet, numbers in 万元
    "xls",                           # sheets-split-codes written as .xls (BIFF8) with xlwt
)

BAD_CASES: tuple[str, ...] = (
    "corrupt",           # .xlsx whose bytes are truncated and garbled: not a zip
    "password",          # a valid workbook encrypted with PASSWORD
    "no-tables",         # sheets of unrelated content (staff list, asset list)
    "duplicate-table",   # 公开02表 收入决算表 on two sheets
    "total-disagrees",   # 02 合计 851.69 against 类 rows summing to 841.70
    "unit-mismatch",     # 公开03表 says 金额单位：元, the other sheets 万元, figures all in 万元
    "formula-no-cache",  # 02 合计 本年收入合计 is =SUM(...) with no cached value
)

PASSWORD = "juesuan2024"  # password of the `password` bad case

# Fixed timestamp written into every .xlsx so reruns give the same bytes.
_FIXED_TIME = _dt.datetime(2025, 6, 30, 9, 0, 0)

# ---------------------------------------------------------------------------
# Official skeletons shared by both units (row labels, 行次, headers)
# ---------------------------------------------------------------------------

TITLES: dict[int, str] = {
    1: "收入支出决算总表",
    2: "收入决算表",
    3: "支出决算表",
    4: "财政拨款收入支出决算总表",
    5: "一般公共预算财政拨款支出决算表",
    6: "一般公共预算财政拨款基本支出决算明细表",
    7: "政府性基金预算财政拨款收入支出决算表",
    8: "国有资本经营预算财政拨款支出决算表",
    9: "财政拨款“三公”经费支出决算表",
}

# The 26 类 of the 支出功能分类 in official order, as 01/04 print them (code for reference only).
CLASSES: tuple[tuple[str, str], ...] = (
    ("201", "一、一般公共服务支出"),
    ("202", "二、外交支出"),
    ("203", "三、国防支出"),
    ("204", "四、公共安全支出"),
    ("205", "五、教育支出"),
    ("206", "六、科学技术支出"),
    ("207", "七、文化旅游体育与传媒支出"),
    ("208", "八、社会保障和就业支出"),
    ("210", "九、卫生健康支出"),
    ("211", "十、节能环保支出"),
    ("212", "十一、城乡社区支出"),
    ("213", "十二、农林水支出"),
    ("214", "十三、交通运输支出"),
    ("215", "十四、资源勘探工业信息等支出"),
    ("216", "十五、商业服务业等支出"),
    ("217", "十六、金融支出"),
    ("219", "十七、援助其他地区支出"),
    ("220", "十八、自然资源海洋气象等支出"),
    ("221", "十九、住房保障支出"),
    ("222", "二十、粮油物资储备支出"),
    ("223", "二十一、国有资本经营预算支出"),
    ("224", "二十二、灾害防治及应急管理支出"),
    ("229", "二十三、其他支出"),
    ("231", "二十四、债务还本支出"),
    ("232", "二十五、债务付息支出"),
    ("234", "二十六、抗疫特别国债安排的支出"),
)

# 公开01表, left side: (行次, 项目); 行次 9–26 have no label.
T01_LEFT: tuple[tuple[int, str], ...] = (
    (1, "一、一般公共预算财政拨款收入"),
    (2, "二、政府性基金预算财政拨款收入"),
    (3, "三、国有资本经营预算财政拨款收入"),
    (4, "四、上级补助收入"),
    (5, "五、事业收入"),
    (6, "六、经营收入"),
    (7, "七、附属单位上缴收入"),
    (8, "八、其他收入"),
    *((n, "") for n in range(9, 27)),
    (27, "本年收入合计"),
    (28, "使用非财政拨款结余（含专用结余）"),
    (29, "年初结转和结余"),
    (30, "总计"),
)
# 公开01表, right side: 行次 31–56 are the 26 类.
T01_RIGHT: tuple[tuple[int, str], ...] = (
    *((31 + i, name) for i, (_, name) in enumerate(CLASSES)),
    (57, "本年支出合计"),
    (58, "结余分配"),
    (59, "年末结转和结余"),
    (60, "总计"),
)

# 公开04表, left side: 行次 4–26 have no label.
T04_LEFT: tuple[tuple[int, str], ...] = (
    (1, "一、一般公共预算财政拨款"),
    (2, "二、政府性基金预算财政拨款"),
    (3, "三、国有资本经营预算财政拨款"),
    *((n, "") for n in range(4, 27)),
    (27, "本年收入合计"),
    (28, "年初财政拨款结转和结余"),
    (29, "一般公共预算财政拨款"),
    (30, "政府性基金预算财政拨款"),
    (31, "国有资本经营预算财政拨款"),
    (32, "总计"),
)
# 公开04表, right side: 行次 33–58 are the 26 类; 61–63 print no label.
T04_RIGHT: tuple[tuple[int, str], ...] = (
    *((33 + i, name) for i, (_, name) in enumerate(CLASSES)),
    (59, "本年支出合计"),
    (60, "年末财政拨款结转和结余"),
    (61, ""),
    (62, ""),
    (63, ""),
    (64, "总计"),
)

# Value-column header trees: a leaf is a str, a group is (text, [children]).
Header = Union[str, tuple[str, list["Header"]]]

VALUE_HEADERS: dict[int, list[Header]] = {
    2: ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"],
    3: ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"],
    5: [("本年支出", ["小计", "基本支出", "项目支出"])],
    7: ["年初结转和结余", "本年收入", ("本年支出", ["小计", "基本支出", "项目支出"]), "年末结转和结余"],
    8: [("本年支出", ["合计", "基本支出", "项目支出"])],
    9: [
        (side, ["合计", "因公出国（境）费",
                ("公务用车购置及运行维护费", ["小计", "公务用车购置费", "公务用车运行维护费"]),
                "公务接待费"])
        for side in ("预算数", "决算数")
    ],
}

# 公开06表: the three side-by-side groups as printed: (经济分类科目编码, 科目名称).
T06_GROUPS: tuple[tuple[tuple[str, str], ...], ...] = (
    (  # 人员经费: 301 and 303
        ("301", "工资福利支出"), ("30101", "基本工资"), ("30102", "津贴补贴"), ("30103", "奖金"),
        ("30106", "伙食补助费"), ("30107", "绩效工资"), ("30108", "机关事业单位基本养老保险缴费"),
        ("30109", "职业年金缴费"), ("30110", "职工基本医疗保险缴费"), ("30111", "公务员医疗补助缴费"),
        ("30112", "其他社会保障缴费"), ("30113", "住房公积金"), ("30114", "医疗费"),
        ("30199", "其他工资福利支出"),
        ("303", "对个人和家庭的补助"), ("30301", "离休费"), ("30302", "退休费"), ("30303", "退职（役）费"),
        ("30304", "抚恤金"), ("30305", "生活补助"), ("30306", "救济费"), ("30307", "医疗费补助"),
        ("30308", "助学金"), ("30309", "奖励金"), ("30310", "个人农业生产补贴"), ("30311", "代缴社会保险费"),
        ("30399", "其他对个人和家庭的补助"),
    ),
    (  # 公用经费 (1): 302
        ("302", "商品和服务支出"), ("30201", "办公费"), ("30202", "印刷费"), ("30203", "咨询费"),
        ("30204", "手续费"), ("30205", "水费"), ("30206", "电费"), ("30207", "邮电费"), ("30208", "取暖费"),
        ("30209", "物业管理费"), ("30211", "差旅费"), ("30212", "因公出国（境）费用"), ("30213", "维修（护）费"),
        ("30214", "租赁费"), ("30215", "会议费"), ("30216", "培训费"), ("30217", "公务接待费"),
        ("30218", "专用材料费"), ("30224", "被装购置费"), ("30225", "专用燃料费"), ("30226", "劳务费"),
        ("30227", "委托业务费"), ("30228", "工会经费"), ("30229", "福利费"), ("30231", "公务用车运行维护费"),
        ("30239", "其他交通费用"), ("30240", "税金及附加费用"), ("30299", "其他商品和服务支出"),
    ),
    (  # 公用经费 (2): 307, 310, 399
        ("307", "债务利息及费用支出"), ("30701", "国内债务付息"), ("30702", "国外债务付息"),
        ("310", "资本性支出"), ("31001", "房屋建筑物购建"), ("31002", "办公设备购置"), ("31003", "专用设备购置"),
        ("31005", "基础设施建设"), ("31006", "大型修缮"), ("31007", "信息网络及软件购置更新"),
        ("31008", "物资储备"), ("31009", "土地补偿"), ("31010", "安置补助"), ("31011", "地上附着物和青苗补偿"),
        ("31012", "拆迁补偿"), ("31013", "公务用车购置"), ("31019", "其他交通工具购置"),
        ("31021", "文物和陈列品购置"), ("31022", "无形资产购置"), ("31099", "其他资本性支出"),
        ("399", "其他支出"), ("39907", "国家赔偿费用支出"), ("39908", "对民间非营利组织和群众性自治组织补贴"),
        ("39909", "经常性赠与"), ("39910", "资本性赠与"), ("39999", "其他支出"),
    ),
)

# ---------------------------------------------------------------------------
# Transcribed data
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    """Wording that differs between the two printed documents."""

    amount_unit_prefix: str  # "金额单位" (yiyang) or "单位" (lanshan)
    code_header: str         # header of the function-code column
    econ_code_header: str    # header of the 06 code columns
    t01_amount_header: str   # 01's value column: "金额" or "决算数"


@dataclass(frozen=True)
class CodedTable:
    """A table with 合计 then function-code rows (02, 03, 05, 07, 08)."""

    total: tuple[Amount, ...]
    rows: tuple[tuple[str, str, tuple[Amount, ...]], ...]  # (code, name as printed, amounts)


@dataclass(frozen=True)
class UnitData:
    key: str
    name: str
    style: Style
    t01: dict[int, Amount]                   # 行次 → 金额 (行次 in the official numbering above)
    t02: CodedTable
    t03: CodedTable
    t04_left: dict[int, Amount]              # 行次 → 金额
    t04_right: dict[int, tuple[Amount, ...]]  # 行次 → (合计, 一般公共预算, 政府性基金, 国有资本经营)
    t05: CodedTable
    t06: dict[str, Amount]                   # economic code → 决算数 (blank codes omitted)
    t06_personnel_total: Amount              # 人员经费合计 as printed
    t06_public_total: Amount                 # 公用经费合计 as printed
    t07: CodedTable
    t08: CodedTable
    t09: tuple[Amount, ...]                  # 12 columns: 预算数 (6) then 决算数 (6)
    notes: dict[int, tuple[str, ...]]        # lines printed under each table


def _coded(text: str, width: int) -> CodedTable:
    """Parse a pipe table: first line `合计 | | v1 | v2 …`, then `code | name | v1 | …`.

    Blank value cells are None; missing trailing cells are None too.
    """
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    parsed: list[tuple[str, str, tuple[Amount, ...]]] = []
    for ln in lines:
        cells = [c.strip() for c in ln.split("|")]
        values = [c or None for c in cells[2:]]
        if len(values) > width:
            raise ValueError(f"too many values in {ln!r}")
        values += [None] * (width - len(values))
        parsed.append((cells[0], cells[1], tuple(values)))
    head, *rows = parsed
    if head[0] != "合计":
        raise ValueError("first line must be the 合计 row")
    return CodedTable(total=head[2], rows=tuple(rows))


# --- 益阳市社会保险服务中心 -------------------------------------------------
# 01/04 print all 26 类 with the official 行次 used above.

YIYANG = UnitData(
    key="yiyang",
    name="益阳市社会保险服务中心",
    style=Style(amount_unit_prefix="金额单位", code_header="科目代码",
                econ_code_header="科目代码", t01_amount_header="金额"),
    t01={
        1: "841.69",    # 一、一般公共预算财政拨款收入
        27: "841.69",   # 本年收入合计
        29: "0.00",     # 年初结转和结余 (printed 0.00; 28 使用非财政拨款结余 is blank)
        30: "841.69",   # 总计
        31: "45.61",    # 一、一般公共服务支出
        38: "714.15",   # 八、社会保障和就业支出
        39: "40.85",    # 九、卫生健康支出
        49: "41.09",    # 十九、住房保障支出
        57: "841.69",   # 本年支出合计 (58 结余分配, 59 年末结转和结余 blank)
        60: "841.69",   # 总计
    },
    t02=_coded("""
        合计    |                               | 841.69 | 841.69
        201     | 一般公共服务支出              | 45.61  | 45.61
        20105   | 统计信息事务                  | 45.61  | 45.61
        2010501 | 行政运行                      | 45.61  | 45.61
        208     | 社会保障和就业支出            | 714.15 | 714.15
        20801   | 人力资源和社会保障管理事务    | 605.73 | 605.73
        2080101 | 行政运行                      | 573.66 | 573.66
        2080199 | 其他人力资源和社会保障管理事务支出 | 32.07 | 32.07
        20805   | 行政事业单位养老支出          | 81.66  | 81.66
        2080501 | 行政单位离退休                | 19.74  | 19.74
        2080505 | 机关事业单位基本养老保险缴费支出 | 54.78 | 54.78
        2080599 | 其他行政事业单位养老支出      | 7.14   | 7.14
        20899   | 其他社会保障和就业支出        | 26.76  | 26.76
        2089999 | 其他社会保障和就业支出        | 26.76  | 26.76
        210     | 卫生健康支出                  | 40.85  | 40.85
        21011   | 行政事业单位医疗              | 40.85  | 40.85
        2101101 | 行政单位医疗                  | 22.99  | 22.99
        2101103 | 公务员医疗补助                | 10.57  | 10.57
        2101199 | 其他行政事业单位医疗支出      | 7.29   | 7.29
        221     | 住房保障支出                  | 41.09  | 41.09
        22102   | 住房改革支出                  | 41.09  | 41.09
        2210201 | 住房公积金                    | 41.09  | 41.09
    """, width=7),
    t03=_coded("""
        合计    |                               | 841.69 | 841.69
        201     | 一般公共服务支出              | 45.61  | 45.61
        20105   | 统计信息事务                  | 45.61  | 45.61
        2010501 | 行政运行                      | 45.61  | 45.61
        208     | 社会保障和就业支出            | 714.15 | 714.15
        20801   | 人力资源和社会保障管理事务    | 605.73 | 605.73
        2080101 | 行政运行                      | 573.66 | 573.66
        2080199 | 其他人力资源和社会保障管理事务支出 | 32.07 | 32.07
        20805   | 行政事业单位养老支出          | 81.66  | 81.66
        2080501 | 行政单位离退休                | 19.74  | 19.74
        2080505 | 机关事业单位基本养老保险缴费支出 | 54.78 | 54.78
        2080599 | 其他行政事业单位养老支出      | 7.14   | 7.14
        20899   | 其他社会保障和就业支出        | 26.76  | 26.76
        2089999 | 其他社会保障和就业支出        | 26.76  | 26.76
        210     | 卫生健康支出                  | 40.85  | 40.85
        21011   | 行政事业单位医疗              | 40.85  | 40.85
        2101101 | 行政单位医疗                  | 22.99  | 22.99
        2101103 | 公务员医疗补助                | 10.57  | 10.57
        2101199 | 其他行政事业单位医疗支出      | 7.29   | 7.29
        221     | 住房保障支出                  | 41.09  | 41.09
        22102   | 住房改革支出                  | 41.09  | 41.09
        2210201 | 住房公积金                    | 41.09  | 41.09
    """, width=6),
    t04_left={
        1: "841.69",    # 一、一般公共预算财政拨款
        27: "841.69",   # 本年收入合计
        28: "0.00",     # 年初财政拨款结转和结余
        29: "0.00",     # 一般公共预算财政拨款 (年初)
        32: "841.69",   # 总计
    },
    t04_right={
        33: ("45.61", "45.61", None, None),     # 一、一般公共服务支出
        40: ("714.15", "714.15", None, None),   # 八、社会保障和就业支出
        41: ("40.85", "40.85", None, None),     # 九、卫生健康支出
        51: ("41.09", "41.09", None, None),     # 十九、住房保障支出
        59: ("841.69", "841.69", None, None),   # 本年支出合计
        64: ("841.69", "841.69", None, None),   # 总计
    },
    t05=_coded("""
        合计    |                               | 841.69 | 841.69
        201     | 一般公共服务支出              | 45.61  | 45.61
        20105   | 统计信息事务                  | 45.61  | 45.61
        2010501 | 行政运行                      | 45.61  | 45.61
        208     | 社会保障和就业支出            | 714.15 | 714.15
        20801   | 人力资源和社会保障管理事务    | 605.73 | 605.73
        2080101 | 行政运行                      | 573.66 | 573.66
        2080199 | 其他人力资源和社会保障管理事务支出 | 32.07 | 32.07
        20805   | 行政事业单位养老支出          | 81.66  | 81.66
        2080501 | 行政单位离退休                | 19.74  | 19.74
        2080505 | 机关事业单位基本养老保险缴费支出 | 54.78 | 54.78
        2080599 | 其他行政事业单位养老支出      | 7.14   | 7.14
        20899   | 其他社会保障和就业支出        | 26.76  | 26.76
        2089999 | 其他社会保障和就业支出        | 26.76  | 26.76
        210     | 卫生健康支出                  | 40.85  | 40.85
        21011   | 行政事业单位医疗              | 40.85  | 40.85
        2101101 | 行政单位医疗                  | 22.99  | 22.99
        2101103 | 公务员医疗补助                | 10.57  | 10.57
        2101199 | 其他行政事业单位医疗支出      | 7.29   | 7.29
        221     | 住房保障支出                  | 41.09  | 41.09
        22102   | 住房改革支出                  | 41.09  | 41.09
        2210201 | 住房公积金                    | 41.09  | 41.09
    """, width=3),
    t06={
        "301": "586.87", "30101": "143.78", "30102": "101.54", "30103": "163.06", "30108": "55.78",
        "30110": "33.13", "30111": "24.69", "30112": "2.51", "30113": "62.38",
        "303": "49.10", "30302": "47.60", "30399": "1.50",
        "302": "205.72",  # printed; its items sum to 205.71 (a rounding tail)
        "30201": "10.02", "30202": "6.81", "30205": "1.32", "30206": "0.60", "30207": "3.69",
        "30209": "3.47", "30211": "0.75", "30215": "0.22", "30217": "1.51", "30226": "53.43",
        "30228": "11.12", "30229": "31.27", "30239": "31.67", "30299": "49.83",
    },
    t06_personnel_total="635.97",
    t06_public_total="205.72",
    t07=_coded("合计 | | 0.00 | 0.00 | 0.00 | 0.00 | 0.00 | 0.00", width=6),
    t08=_coded("合计 | | 0.00 | 0.00 | 0.00", width=3),
    t09=("1.51", None, None, None, None, "1.51",     # 预算数: 合计 … 公务接待费
         "1.51", None, None, None, None, "1.51"),    # 决算数
    notes={
        1: ("注：1.本表反映部门本年度的总收支和年末结转结余情况。本表金额转换为万元时，因四舍五入可能存在尾数误差。",
            "2.本套报表金额单位转换时可能存在尾数误差。"),
        2: ("注：本表反映部门本年度取得的各项收入情况。本表金额转换为万元时，因四舍五入可能存在尾数误差。",),
        3: ("注：本表反映部门本年度各项支出情况。本表金额转换为万元时，因四舍五入可能存在尾数误差。",),
        4: ("注：本表反映部门本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款的总收支和"
            "年末结转结余情况。本表金额转换为万元时，因四舍五入可能存在尾数误差。",),
        5: ("注：本表反映部门本年度一般公共预算财政拨款支出情况。本表金额转换为万元时，因四舍五入可能存在尾数误差。",),
        6: ("注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。本表金额转换为万元时，因四舍五入可能存在尾数误差。",),
        7: ("注：我单位没有政府性基金收入，也没有使用政府性基金安排的支出，故本表无数据。"
            "本表金额转换为万元时，因四舍五入可能存在尾数误差。",),
        # The printed note (and title) say 国有资产经营预算; the note is kept as printed.
        8: ("注：我单位没有使用国有资产经营预算安排的支出，故本表无数据。本表金额转换为万元时，因四舍五入可能存在尾数误差。",),
        9: ("注：本表反映部门本年度财政拨款“三公”经费支出预决算情况。其中，预算数为“三公”经费全年预算数，"
            "反映按规定程序调整后的预算数；决算数是包括当年财政拨款和以前年度结转资金安排的实际支出。"
            "本表金额转换为万元时，因四舍五入可能存在尾数误差。",),
    },
)

# --- 蓝山县社会保险服务中心 -------------------------------------------------
# The printed 01/04 list only 8 类 (and number 社会保障和就业支出 七、 with 行次 14–26 /
# 15–28); here they get the full official 26-row layout, figures unchanged.
# 02/03/05 print only 项 rows and the 合计 row.

LANSHAN = UnitData(
    key="lanshan",
    name="蓝山县社会保险服务中心",
    style=Style(amount_unit_prefix="单位", code_header="功能分类科目编码",
                econ_code_header="经济分类科目编码", t01_amount_header="决算数"),
    t01={
        1: "504.66",    # 一、一般公共预算财政拨款收入
        27: "504.66",   # 本年收入合计 (printed 行次 10)
        30: "504.66",   # 总计 (printed 行次 13)
        31: "1.35",     # 一般公共服务支出 (printed 行次 14)
        38: "493",      # 社会保障和就业支出 (printed 七、, 行次 20, "493")
        39: "10.31",    # 卫生健康支出 (printed 八、, 行次 21)
        57: "504.66",   # 本年支出合计 (printed 行次 23)
        60: "504.66",   # 总计 (printed 行次 26)
    },
    t02=_coded("""
        合计    |                                | 504.66 | 504.66
        2019999 | 其他一般公共服务支出           | 1.35   | 1.35
        2080107 | 社会保险业务管理事务           | 5.65   | 5.65
        2080109 | 社会保险经办机构               | 448.78 | 448.78
        2080501 | 行政单位离退休                 | 0.11   | 0.11
        2080505 | 机关事业单位基本养老保险缴费支出 | 34.86 | 34.86
        2080599 | 其他行政事业单位养老支出       | 3.03   | 3.03
        2080802 | 伤残抚恤                       | 0.57   | 0.57
        2101102 | 事业单位医疗                   | 10.31  | 10.31
    """, width=7),
    t03=_coded("""
        合计    |                                | 504.66 | 500.63 | 4.03
        2019999 | 其他一般公共服务支出           | 1.35   | 1.35   |
        2080107 | 社会保险业务管理事务           | 5.65   | 1.62   | 4.03
        2080109 | 社会保险经办机构               | 448.78 | 448.78 |
        2080501 | 行政单位离退休                 | 0.11   | 0.11   |
        2080505 | 机关事业单位基本养老保险缴费支出 | 34.86 | 34.86  |
        2080599 | 其他行政事业单位养老支出       | 3.03   | 3.03   |
        2080802 | 伤残抚恤                       | 0.57   | 0.57   |
        2101102 | 事业单位医疗                   | 10.31  | 10.31  |
    """, width=6),
    t04_left={
        1: "504.66",    # 一、一般公共预算财政拨款
        27: "504.66",   # 本年收入合计 (printed 行次 9)
        32: "504.66",   # 总计 (printed 行次 14)
    },
    t04_right={
        33: ("1.35", "1.35", None, None),       # 一般公共服务支出 (printed 行次 15)
        40: ("493", "493", None, None),         # 社会保障和就业支出 (printed 七、, 行次 21)
        41: ("10.31", "10.31", None, None),     # 卫生健康支出 (printed 八、, 行次 22)
        # 59 本年支出合计 (printed 行次 23) is printed BLANK in every column: kept blank.
        64: ("504.66", "504.66", None, None),   # 总计 (printed 行次 28)
    },
    t05=_coded("""
        合计    |                                | 504.66 | 500.63 | 4.03
        2019999 | 其他一般公共服务支出           | 1.35   | 1.35   |
        2080107 | 社会保险业务管理事务           | 5.65   | 1.62   | 4.03
        2080109 | 社会保险经办机构               | 448.78 | 448.78 |
        2080501 | 行政单位离退休                 | 0.11   | 0.11   |
        2080505 | 机关事业单位基本养老保险缴费支出 | 34.86 | 34.86  |
        2080599 | 其他行政事业单位养老支出       | 3.03   | 3.03   |
        2080802 | 伤残抚恤                       | 0.57   | 0.57   |
        2101102 | 事业单位医疗                   | 10.31  | 10.31  |
    """, width=3),
    t06={
        "301": "409.95", "30101": "130.03", "30103": "110.01", "30107": "67.75", "30108": "34.86",
        "30110": "10.31", "30112": "17.55", "30114": "0.04", "30199": "39.40",
        "303": "7.32", "30304": "0.57", "30305": "6.05", "30399": "0.70",
        "302": "83.35",  # printed; its items sum to 83.13 (a real inconsistency, kept as printed)
        "30201": "18.36", "30202": "5.54", "30211": "2.53", "30213": "0.06", "30216": "1.21",
        "30217": "2.81", "30227": "16.93", "30228": "16.64", "30229": "8.35", "30239": "9.23",
        "30240": "0.01", "30299": "1.46",
    },
    t06_personnel_total="417.28",  # printed; 301 + 303 = 417.27
    t06_public_total="83.35",
    t07=_coded("合计 | |", width=6),  # printed blank
    t08=_coded("合计 | |", width=3),  # printed blank
    t09=("3", None, None, None, None, "3",           # 预算数: 合计 … 公务接待费
         "2.81", None, None, None, None, "2.81"),    # 决算数
    notes={
        1: ("注：1.本表反映部门本年度的总收支和年末结转结余情况。", "2.本套报表金额单位转换时可能存在尾数误差。"),
        2: ("注：本表反映部门本年度取得的各项收入情况。",),
        3: ("注：本表反映部门本年度各项支出情况。",),
        4: ("注：本表反映部门本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款的总收支和"
            "年末结转结余情况。",),
        5: ("注：本表反映部门本年度一般公共预算财政拨款支出情况。",),
        6: ("注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。",),
        7: ("注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。",
            "说明：我单位没有政府性基金收入，也没有使用政府性基金安排的支出，故本表无数据。"),
        8: ("注：本表反映部门本年度国有资本经营预算财政拨款支出情况。",
            "说明：我单位没有使用国有资本经营预算安排的支出，故本表无数据。"),
        9: ("注：本表反映部门本年度财政拨款“三公”经费支出预决算情况。其中，预算数为“三公”经费全年预算数，"
            "反映按规定程序调整后的预算数；决算数是包括当年财政拨款和以前年度结转资金安排的实际支出。",),
    },
)

DATA: dict[str, UnitData] = {"yiyang": YIYANG, "lanshan": LANSHAN}

# ---------------------------------------------------------------------------
# A library-neutral sheet model
# ---------------------------------------------------------------------------

CellValue = Union[str, float, int, None]


@dataclass
class Cell:
    value: CellValue
    number_format: Optional[str] = None
    bold: bool = False
    align: Optional[str] = None   # "left", "center", "right"
    size: Optional[int] = None    # font size (titles)
    wrap: bool = False


@dataclass
class Grid:
    """One worksheet: cells by (row, col), zero-based; merges as inclusive (r1, c1, r2, c2)."""

    name: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)
    # Named positions for bad cases and checks, e.g. "02.unit" or "02.total.0" (table-prefixed).
    anchors: dict[str, tuple[int, int]] = field(default_factory=dict)

    def put(self, r: int, c: int, value: CellValue, **style: object) -> None:
        self.cells[(r, c)] = Cell(value, **style)  # type: ignore[arg-type]

    def merge(self, r1: int, c1: int, r2: int, c2: int, value: CellValue, **style: object) -> None:
        self.put(r1, c1, value, **style)
        if (r1, c1) != (r2, c2):
            self.merges.append((r1, c1, r2, c2))

    def width(self, c: int, w: float) -> None:
        self.widths[c] = max(self.widths.get(c, 0), w)


# ---------------------------------------------------------------------------
# Layout options
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    code_style: str                  # "split" (类|款|项), "single" (text code), "numeric" (int code)
    amounts: str                     # "wan" (numbers in 万元) or "yuan-text" (text in 元)
    zero_blank: bool                 # write printed zeros as empty cells
    number_format: str = "#,##0.00"
    total_last: frozenset[int] = frozenset()   # coded tables with the 合计 row after the rows
    dash_tables: frozenset[int] = frozenset()  # tables whose blank amounts are written "——"
    indent: bool = False             # full-width-space indents for 款/项 (and 06 items)
    dept_word: str = "部门"          # "部门" or "单位"
    label_with_dept: bool = False    # label on the 部门 row (else on its own row)
    unit_prefix: Optional[str] = None  # override of the unit's 金额单位 wording
    text_numbers: bool = False       # 行次/栏次 as text


OPTIONS: dict[str, Options] = {
    "sheets-split-codes": Options(code_style="split", amounts="wan", zero_blank=True),
    "sheets-code-column-yuan-text": Options(
        code_style="single", amounts="yuan-text", zero_blank=False,
        total_last=frozenset({2, 5}), dash_tables=frozenset({3, 7, 8, 9}), indent=True,
        label_with_dept=True, unit_prefix="金额单位", text_numbers=True),
    "one-sheet": Options(code_style="numeric", amounts="wan", zero_blank=False,
                         number_format="0.00", dept_word="单位", unit_prefix="金额单位"),
}
OPTIONS["xls"] = OPTIONS["sheets-split-codes"]

# ---------------------------------------------------------------------------
# Cell values
# ---------------------------------------------------------------------------

_FULLWIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


class AmountWriter:
    """Turns printed figures into cell values for one workbook (keeps the text-noise counter)."""

    def __init__(self, opts: Options) -> None:
        self.opts = opts
        self.count = 0

    def cell(self, table: int, amount: Amount) -> Cell:
        opts = self.opts
        d = None if amount is None else Decimal(amount)
        if opts.amounts == "wan":
            if d is None or (d == 0 and opts.zero_blank):
                return Cell(None, number_format=opts.number_format, align="right")
            return Cell(float(d), number_format=opts.number_format, align="right")
        # yuan-text: exact Decimal × 10000, thousands separators, a little noise.
        if d is None:
            return Cell("——" if table in opts.dash_tables else None, align="right")
        if d == 0:
            return Cell("0.00", align="right")
        text = f"{(d * 10000).quantize(Decimal('0.01')):,.2f}"
        self.count += 1
        n = self.count
        if n % 12 == 5:
            text = text + " "                # stray trailing space
        elif n % 19 == 9:
            text = " " + text + "\u3000"     # leading space, trailing ideographic space
        elif n % 23 == 14:
            text = text.translate(_FULLWIDTH)  # full-width digits and separators
        return Cell(text, align="right")


def _num(opts: Options, n: int) -> Cell:
    return Cell(str(n) if opts.text_numbers else n, align="center")


def _indent(opts: Options, level: int) -> str:
    return "\u3000" * level if opts.indent else ""


# ---------------------------------------------------------------------------
# Table renderers: each writes one table at row `top` and returns the next free row
# ---------------------------------------------------------------------------


def _leaves(nodes: Sequence[Header]) -> int:
    return sum(1 if isinstance(n, str) else _leaves(n[1]) for n in nodes)


def _depth(nodes: Sequence[Header]) -> int:
    return max(1 if isinstance(n, str) else 1 + _depth(n[1]) for n in nodes)


def _place_headers(g: Grid, nodes: Sequence[Header], row: int, col: int, bottom: int) -> int:
    """Write a header tree; leaves stretch down to `bottom`. Returns the next column."""
    for node in nodes:
        if isinstance(node, str):
            g.merge(row, col, bottom, col, node, bold=True, align="center", wrap=True)
            col += 1
        else:
            text, children = node
            span = _leaves(children)
            g.merge(row, col, row, col + span - 1, text, bold=True, align="center")
            _place_headers(g, children, row + 1, col, bottom)
            col += span
    return col


def _preamble(g: Grid, top: int, table: int, width: int, unit: UnitData, opts: Options,
              unit_word: str) -> int:
    """Title, 公开NN表 label, 部门 line and 金额单位. Returns the first header row."""
    label = f"公开{table:02d}表"
    prefix = opts.unit_prefix or unit.style.amount_unit_prefix
    unit_text = f"{prefix}：{unit_word}"
    dept_text = f"{opts.dept_word}：{unit.name}"
    g.merge(top, 0, top, width - 1, TITLES[table], bold=True, align="center", size=16)
    half = max(1, width // 2)
    if opts.label_with_dept:
        g.merge(top + 1, 0, top + 1, half - 1, dept_text, align="left")
        g.put(top + 1, width - 1, label, align="right")
        g.put(top + 2, width - 1, unit_text, align="right")
        g.anchors[f"{table:02d}.unit"] = (top + 2, width - 1)
    else:
        g.put(top + 1, width - 1, label, align="right")
        g.merge(top + 2, 0, top + 2, half - 1, dept_text, align="left")
        g.put(top + 2, width - 1, unit_text, align="right")
        g.anchors[f"{table:02d}.unit"] = (top + 2, width - 1)
    g.anchors[f"{table:02d}.label"] = (top + 1, width - 1)
    return top + 3


def _notes(g: Grid, row: int, width: int, lines: Iterable[str]) -> int:
    for line in lines:
        g.merge(row, 0, row, width - 1, line, align="left", wrap=True)
        row += 1
    return row


def _code_cells(g: Grid, r: int, code: str, opts: Options) -> None:
    if opts.code_style == "split":
        parts = (code[:3], code[3:5], code[5:7])
        for i, part in enumerate(parts):
            if part:
                g.put(r, i, part, align="left")
    elif opts.code_style == "numeric":
        g.put(r, 0, int(code), align="left")
    else:
        g.put(r, 0, code, align="left")


def render_coded(g: Grid, top: int, table: int, data: CodedTable, unit: UnitData, opts: Options,
                 amounts: AmountWriter, unit_word: str) -> int:
    """02, 03, 05, 07, 08: 项目 block (code(s) + name), value columns, 栏次, 合计, rows."""
    tree = VALUE_HEADERS[table]
    nvals = _leaves(tree)
    ncode = 3 if opts.code_style == "split" else 1
    left = ncode + 1
    width = left + nvals
    r = _preamble(g, top, table, width, unit, opts, unit_word)

    depth = _depth(tree)
    height = max(3 if opts.code_style == "split" else 2, depth)
    bottom = r + height - 1
    # 项目 over 科目编码/科目名称
    g.merge(r, 0, r, left - 1, "项目", bold=True, align="center")
    if opts.code_style == "split":
        g.merge(r + 1, 0, r + 1, 2, "科目编码", bold=True, align="center")
        for i, word in enumerate(("类", "款", "项")):
            g.merge(r + 2, i, bottom, i, word, bold=True, align="center")
    else:
        g.merge(r + 1, 0, bottom, 0, unit.style.code_header, bold=True, align="center", wrap=True)
    g.merge(r + 1, ncode, bottom, ncode, "科目名称", bold=True, align="center")
    _place_headers(g, tree, r, left, bottom)
    r = bottom + 1

    # 栏次
    g.merge(r, 0, r, left - 1, "栏次", align="center")
    for i in range(nvals):
        g.cells[(r, left + i)] = _num(opts, i + 1)
    r += 1

    def total_row(row: int) -> None:
        if opts.code_style == "single":
            g.put(row, ncode, "合计", bold=True, align="center")
        else:
            g.merge(row, 0, row, left - 1, "合计", bold=True, align="center")
        for i, v in enumerate(data.total):
            g.cells[(row, left + i)] = amounts.cell(table, v)
            g.anchors[f"{table:02d}.total.{i}"] = (row, left + i)

    if table not in opts.total_last:
        total_row(r)
        r += 1
    for code, name, values in data.rows:
        level = {3: 0, 5: 1, 7: 2}[len(code)]
        _code_cells(g, r, code, opts)
        g.put(r, ncode, _indent(opts, level) + name, align="left")
        for i, v in enumerate(values):
            g.cells[(r, left + i)] = amounts.cell(table, v)
        if len(code) == 3:
            g.anchors[f"{table:02d}.class.{code}"] = (r, left)
        r += 1
    if table in opts.total_last:
        total_row(r)
        r += 1

    for c in range(ncode):
        g.width(c, 6 if opts.code_style == "split" else 12)
    g.width(ncode, 34)
    for c in range(left, width):
        g.width(c, 15)
    return _notes(g, r, width, unit.notes[table])


def render_two_sided(g: Grid, top: int, table: int, unit: UnitData, opts: Options,
                     amounts: AmountWriter, unit_word: str) -> int:
    """01 and 04: 收入 (项目, 行次, 金额) beside 支出 (项目, 行次, value column(s))."""
    if table == 1:
        left_rows, right_rows = T01_LEFT, T01_RIGHT
        right_heads = [unit.style.t01_amount_header]
        left_vals = unit.t01
        right_vals = {k: (v,) for k, v in unit.t01.items()}
        left_head = unit.style.t01_amount_header
    else:
        left_rows, right_rows = T04_LEFT, T04_RIGHT
        right_heads = ["合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"]
        left_vals = unit.t04_left
        right_vals = unit.t04_right
        left_head = "金额"
    nright = len(right_heads)
    width = 3 + 2 + nright
    r = _preamble(g, top, table, width, unit, opts, unit_word)

    g.merge(r, 0, r, 2, "收入", bold=True, align="center")
    g.merge(r, 3, r, width - 1, "支出", bold=True, align="center")
    for c, text in enumerate(["项目", "行次", left_head, "项目", "行次", *right_heads]):
        g.put(r + 1, c, text, bold=True, align="center", wrap=True)
    r += 2
    # 栏次: 1 on the left, 2… on the right
    g.put(r, 0, "栏次", align="center")
    g.cells[(r, 2)] = _num(opts, 1)
    g.put(r, 3, "栏次", align="center")
    for i in range(nright):
        g.cells[(r, 5 + i)] = _num(opts, 2 + i)
    r += 1

    for (ln, lname), (rn, rname) in zip(left_rows, right_rows):
        g.put(r, 0, lname, align="left")
        g.cells[(r, 1)] = _num(opts, ln)
        g.cells[(r, 2)] = amounts.cell(table, left_vals.get(ln))
        g.put(r, 3, rname, align="left")
        g.cells[(r, 4)] = _num(opts, rn)
        values = right_vals.get(rn, (None,) * nright)
        for i in range(nright):
            g.cells[(r, 5 + i)] = amounts.cell(table, values[i])
        g.anchors[f"{table:02d}.line.{ln}"] = (r, 2)
        g.anchors[f"{table:02d}.line.{rn}"] = (r, 5)
        r += 1

    for c, w in enumerate([34, 6, 15, 34, 6] + [15] * nright):
        g.width(c, w)
    return _notes(g, r, width, unit.notes[table])


def render_06(g: Grid, top: int, unit: UnitData, opts: Options, amounts: AmountWriter,
              unit_word: str) -> int:
    """06: 人员经费 group and the two 公用经费 groups side by side, then the two 合计."""
    width = 9
    r = _preamble(g, top, 6, width, unit, opts, unit_word)
    g.merge(r, 0, r, 2, "人员经费", bold=True, align="center")
    g.merge(r, 3, r, 8, "公用经费", bold=True, align="center")
    for grp in range(3):
        for i, text in enumerate((unit.style.econ_code_header, "科目名称", "决算数")):
            g.put(r + 1, grp * 3 + i, text, bold=True, align="center", wrap=True)
    r += 2
    nrows = max(len(grp) for grp in T06_GROUPS)
    for k in range(nrows):
        for grp, items in enumerate(T06_GROUPS):
            c = grp * 3
            if k < len(items):
                code, name = items[k]
                level = 0 if len(code) == 3 else 1
                g.put(r, c, int(code) if opts.code_style == "numeric" else code, align="left")
                g.put(r, c + 1, _indent(opts, level) + name, align="left")
                g.cells[(r, c + 2)] = amounts.cell(6, unit.t06.get(code))
            else:
                g.cells[(r, c + 2)] = Cell(None)
        r += 1
    g.merge(r, 0, r, 1, "人员经费合计", bold=True, align="center")
    g.cells[(r, 2)] = amounts.cell(6, unit.t06_personnel_total)
    g.merge(r, 3, r, 7, "公用经费合计", bold=True, align="center")
    g.cells[(r, 8)] = amounts.cell(6, unit.t06_public_total)
    g.anchors["06.personnel_total"] = (r, 2)
    g.anchors["06.public_total"] = (r, 8)
    r += 1
    for grp in range(3):
        g.width(grp * 3, 10)
        g.width(grp * 3 + 1, 30)
        g.width(grp * 3 + 2, 13)
    return _notes(g, r, width, unit.notes[6])


def render_09(g: Grid, top: int, unit: UnitData, opts: Options, amounts: AmountWriter,
              unit_word: str) -> int:
    """09: 预算数 and 决算数, 6 columns each, one data row."""
    tree = VALUE_HEADERS[9]
    width = _leaves(tree)
    r = _preamble(g, top, 9, width, unit, opts, unit_word)
    bottom = r + _depth(tree) - 1
    _place_headers(g, tree, r, 0, bottom)
    r = bottom + 1
    for i in range(width):
        g.cells[(r, i)] = _num(opts, i + 1)
    r += 1
    for i, v in enumerate(unit.t09):
        g.cells[(r, i)] = amounts.cell(9, v)
    g.anchors["09.budget_total"] = (r, 0)
    g.anchors["09.actual_total"] = (r, 6)
    r += 1
    for c in range(width):
        g.width(c, 13)
    return _notes(g, r, width, unit.notes[9])


def render_table(g: Grid, top: int, table: int, unit: UnitData, opts: Options,
                 amounts: AmountWriter, unit_word: Optional[str] = None) -> int:
    word = unit_word or ("元" if opts.amounts == "yuan-text" else "万元")
    if table in (1, 4):
        return render_two_sided(g, top, table, unit, opts, amounts, word)
    if table == 6:
        return render_06(g, top, unit, opts, amounts, word)
    if table == 9:
        return render_09(g, top, unit, opts, amounts, word)
    data = {2: unit.t02, 3: unit.t03, 5: unit.t05, 7: unit.t07, 8: unit.t08}[table]
    return render_coded(g, top, table, data, unit, opts, amounts, word)


# ---------------------------------------------------------------------------
# Layouts → list of Grids
# ---------------------------------------------------------------------------


def _sheet_names(unit: UnitData, layout: str) -> list[str]:
    if layout == "sheets-code-column-yuan-text":
        if unit.key == "lanshan":
            return [f"Sheet{i}" for i in range(1, 10)]
        return [TITLES[i] for i in range(1, 10)]
    return [f"公开{i:02d}表" for i in range(1, 10)]


def grids_for(unit: UnitData, layout: str,
              unit_words: Optional[dict[int, str]] = None) -> list[Grid]:
    """The worksheets of `layout` for `unit`. `unit_words` overrides 万元/元 per table."""
    opts = OPTIONS[layout]
    amounts = AmountWriter(opts)
    words = unit_words or {}
    if layout == "one-sheet":
        g = Grid("决算公开表")
        row = 0
        for t in range(1, 10):
            row = render_table(g, row, t, unit, opts, amounts, words.get(t)) + 2  # two blank rows
        return [g]
    grids = []
    for t, name in zip(range(1, 10), _sheet_names(unit, layout)):
        g = Grid(name)
        render_table(g, 0, t, unit, opts, amounts, words.get(t))
        grids.append(g)
    return grids


# ---------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------


def _normalise_zip(raw: bytes) -> bytes:
    """Rewrite an .xlsx with fixed entry timestamps and fixed core-property dates."""
    stamp = _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                              lambda m: m.group(1) + stamp.encode() + m.group(2), data)
            zi = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, data)
    return out.getvalue()


def xlsx_bytes(grids: Sequence[Grid]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "juesuan test fixtures"
    wb.properties.created = _FIXED_TIME
    for grid in grids:
        ws = wb.create_sheet(grid.name)
        for (r, c), cell in sorted(grid.cells.items()):
            if cell.value is None and cell.number_format is None and not cell.bold:
                continue
            xc = ws.cell(row=r + 1, column=c + 1)
            xc.value = cell.value
            if cell.number_format:
                xc.number_format = cell.number_format
            if cell.bold or cell.size:
                xc.font = Font(bold=cell.bold, size=cell.size or 11)
            if cell.align or cell.wrap:
                xc.alignment = Alignment(horizontal=cell.align, vertical="center", wrap_text=cell.wrap)
        for r1, c1, r2, c2 in grid.merges:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
        for c, w in sorted(grid.widths.items()):
            ws.column_dimensions[get_column_letter(c + 1)].width = w
    buf = io.BytesIO()
    wb.save(buf)
    return _normalise_zip(buf.getvalue())


def xls_bytes(grids: Sequence[Grid]) -> bytes:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    styles: dict[tuple, xlwt.XFStyle] = {}

    def style(cell: Cell) -> xlwt.XFStyle:
        key = (cell.bold, cell.align, cell.number_format, cell.size, cell.wrap)
        if key not in styles:
            parts = []
            font = []
            if cell.bold:
                font.append("bold on")
            if cell.size:
                font.append(f"height {cell.size * 20}")
            if font:
                parts.append("font: " + ", ".join(font))
            align = ["vert centre"]
            if cell.align:
                align.append("horiz " + {"center": "centre"}.get(cell.align, cell.align))
            if cell.wrap:
                align.append("wrap on")
            parts.append("align: " + ", ".join(align))
            styles[key] = xlwt.easyxf("; ".join(parts), num_format_str=cell.number_format or "General")
        return styles[key]

    for grid in grids:
        ws = wb.add_sheet(grid.name, cell_overwrite_ok=True)
        merged_at = {(r1, c1): (r1, c1, r2, c2) for r1, c1, r2, c2 in grid.merges}
        covered = {(r, c) for r1, c1, r2, c2 in grid.merges
                   for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        for (r, c), cell in sorted(grid.cells.items()):
            value = "" if cell.value is None else cell.value
            if (r, c) in merged_at:
                r1, c1, r2, c2 = merged_at[(r, c)]
                ws.write_merge(r1, r2, c1, c2, value, style(cell))
            elif (r, c) not in covered:
                ws.write(r, c, value, style(cell))
        for c, w in grid.widths.items():
            ws.col(c).width = int(w * 256)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _target(path: Path, default_name: str) -> Path:
    path = Path(path)
    if path.is_dir() or not path.suffix:
        return path / default_name
    return path


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def default_name(unit: str, layout: str) -> str:
    return f"{unit}-{layout}." + ("xls" if layout == "xls" else "xlsx")


def bad_name(case: str) -> str:
    return f"bad-{case}.xlsx"


def build(unit: str, layout: str, path: Path) -> Path:
    """Write `unit`'s nine tables in `layout`. `path` is a file, or a directory for default_name()."""
    if unit not in DATA:
        raise ValueError(f"unknown unit {unit!r}; expected one of {UNITS}")
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; expected one of {LAYOUTS}")
    grids = grids_for(DATA[unit], layout)
    data = xls_bytes(grids) if layout == "xls" else xlsx_bytes(grids)
    return _write(_target(path, default_name(unit, layout)), data)


def _staff_list() -> list[Grid]:
    """Unrelated content: a staff list and an asset list (no 公开NN表 anywhere)."""
    staff = Grid("在职人员名单")
    staff.merge(0, 0, 0, 5, "益阳市社会保险服务中心在职人员名单", bold=True, align="center", size=14)
    for c, h in enumerate(("序号", "姓名", "性别", "科室", "岗位", "入职年月")):
        staff.put(1, c, h, bold=True, align="center")
    people = (("张明", "男", "综合科", "科员", "2015-09"), ("李红", "女", "财务科", "会计", "2018-03"),
              ("王强", "男", "参保登记科", "科长", "2009-07"), ("赵丽", "女", "待遇核算科", "科员", "2020-10"),
              ("刘洋", "男", "信息服务科", "工程师", "2016-05"), ("陈静", "女", "窗口服务科", "科员", "2021-08"))
    for i, person in enumerate(people, start=1):
        staff.put(1 + i, 0, i, align="center")
        for c, v in enumerate(person, start=1):
            staff.put(1 + i, c, v)
    for c, w in enumerate((6, 10, 6, 14, 10, 10)):
        staff.width(c, w)
    assets = Grid("固定资产清单")
    for c, h in enumerate(("资产编号", "资产名称", "数量", "原值（元）", "使用部门")):
        assets.put(0, c, h, bold=True, align="center")
    items = (("ZC2019-001", "台式计算机", 20, 98000.0, "综合科"), ("ZC2020-014", "打印复印一体机", 2, 23600.0, "财务科"),
             ("ZC2022-007", "档案密集架", 1, 45800.0, "权益记录科"))
    for r, item in enumerate(items, start=1):
        for c, v in enumerate(item):
            assets.put(r, c, v, number_format="#,##0.00" if c == 3 else None)
    for c, w in enumerate((14, 18, 6, 14, 12)):
        assets.width(c, w)
    return [staff, assets]


def _bad_grids(case: str) -> list[Grid]:
    unit = YIYANG
    layout = "sheets-split-codes"
    if case == "no-tables":
        return _staff_list()
    if case == "duplicate-table":
        grids = grids_for(unit, layout)
        dup = copy.deepcopy(grids[1])
        dup.name = "公开02表 (2)"
        return grids + [dup]
    if case == "total-disagrees":
        t02 = dataclasses.replace(unit.t02, total=("851.69", "851.69") + (None,) * 5)
        return grids_for(dataclasses.replace(unit, t02=t02), layout)
    if case == "unit-mismatch":
        return grids_for(unit, layout, unit_words={3: "元"})
    if case == "formula-no-cache":
        grids = grids_for(unit, layout)
        g = grids[1]
        r, c = g.anchors["02.total.0"]
        first = _col_letter(c + 1)      # 财政拨款收入 … 其他收入, same row
        last = _col_letter(c + 6)
        g.cells[(r, c)] = Cell(f"=SUM({first}{r + 1}:{last}{r + 1})", number_format="#,##0.00")
        return grids
    raise ValueError(f"unknown bad case {case!r}; expected one of {BAD_CASES}")


def _col_letter(index0: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(index0 + 1)


def build_bad(case: str, path: Path) -> Path:
    """Write bad case `case` (from the yiyang data). `path` is a file, or a directory for bad_name()."""
    target = _target(path, bad_name(case))
    if case == "corrupt":
        good = xlsx_bytes(grids_for(YIYANG, "sheets-split-codes"))
        cut = bytearray(good[: len(good) * 3 // 5])        # drops the central directory
        noise = hashlib.sha256(b"juesuan corrupt fixture").digest() * 4
        mid = len(cut) // 2
        cut[mid: mid + len(noise)] = noise                  # garbles a deflate stream
        return _write(target, bytes(cut))
    if case == "password":
        import msoffcrypto.format.ooxml as ooxml

        plain = io.BytesIO(xlsx_bytes(grids_for(YIYANG, "sheets-split-codes")))
        out = io.BytesIO()
        ooxml.OOXMLFile(plain).encrypt(PASSWORD, out)        # random salt: bytes vary per run
        return _write(target, out.getvalue())
    return _write(target, xlsx_bytes(_bad_grids(case)))


def build_all(outdir: Path) -> list[Path]:
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    written = [build(u, lay, outdir) for u in UNITS for lay in LAYOUTS]
    written += [build_bad(case, outdir) for case in BAD_CASES]
    return written


# ---------------------------------------------------------------------------
# Self-test: read everything back with python-calamine, with its own tiny reader
# ---------------------------------------------------------------------------

# The printed figures (万元) the self-test expects, typed again from the reference text.
EXPECTED: dict[str, dict[str, str]] = {
    "yiyang": {"02": "841.69", "03": "841.69", "05": "841.69",
               "06.personnel": "635.97", "06.public": "205.72", "09.actual": "1.51"},
    "lanshan": {"02": "504.66", "03": "504.66", "05": "504.66",
                "06.personnel": "417.28", "06.public": "83.35", "09.actual": "2.81"},
}


def _norm(value: object) -> str:
    """Cell text normalised: NFKC (full-width → ASCII), all whitespace removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))


def _amount(value: object) -> Decimal:
    """A cell read back as Decimal: numbers, '8,416,900.00', '——', '' (blank = 0)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(repr(float(value))).quantize(Decimal("0.01"))
    text = _norm(value).replace(",", "")
    if text in ("", "——", "—", "-"):
        return Decimal("0")
    return Decimal(text)


def _regions(path: Path) -> dict[str, list[tuple[str, list[list[object]]]]]:
    """Table label ("02") → [(sheet, rows of its region)], regions split at each title row."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    found: dict[str, list[tuple[str, list[list[object]]]]] = {}
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python()
        labels = [(i, m.group(1)) for i, row in enumerate(rows) for cell in row
                  if (m := re.fullmatch(r"公开(\d\d)表", _norm(cell)))]
        for k, (i, label) in enumerate(labels):
            start = max(0, i - 1)  # the title row is just above the label row
            end = labels[k + 1][0] - 1 if k + 1 < len(labels) else len(rows)
            found.setdefault(label, []).append((name, rows[start:end]))
    return found


def _unit_factor(rows: list[list[object]]) -> Decimal:
    for row in rows[:4]:
        for cell in row:
            text = _norm(cell)
            if "单位：" in text or "单位:" in text:
                if text.endswith("万元"):
                    return Decimal("1")
                if text.endswith("元"):
                    return Decimal("0.0001")
    raise AssertionError("no 金额单位 line")


def _coded_total(rows: list[list[object]], header: str) -> Decimal:
    col = next(c for row in rows for c, cell in enumerate(row) if _norm(cell) == header)
    for row in rows:
        if any(_norm(cell) == "合计" for cell in row[:col]):
            return _amount(row[col])
    raise AssertionError("no 合计 row")


def read_figures(path: Path) -> dict[str, Decimal]:
    """The checked figures of one workbook, in 万元, via an independent minimal reader."""
    regions = _regions(path)
    out: dict[str, Decimal] = {}
    for label, header in (("02", "本年收入合计"), ("03", "本年支出合计"), ("05", "小计")):
        (_, rows), = regions[label]
        out[label] = _coded_total(rows, header) * _unit_factor(rows)
    (_, rows), = regions["06"]
    f = _unit_factor(rows)
    for row in rows:
        texts = [_norm(c) for c in row]
        if "人员经费合计" in texts:
            i, j = texts.index("人员经费合计"), texts.index("公用经费合计")
            out["06.personnel"] = next(_amount(c) for c in row[i + 1:j] if _norm(c)) * f
            out["06.public"] = next(_amount(c) for c in reversed(row) if _norm(c)) * f
    (_, rows), = regions["09"]
    f = _unit_factor(rows)
    col = next(c for row in rows for c, cell in enumerate(row) if _norm(cell) == "决算数")
    numbering = next(i for i, row in enumerate(rows)
                     if [_norm(c) for c in row[:12]] == [str(n) for n in range(1, 13)])
    out["09.actual"] = _amount(rows[numbering + 1][col]) * f
    return {k: v.quantize(Decimal("0.01")) for k, v in out.items()}


def _digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()[:16]


def selftest(echo: Callable[[str], None] = print) -> bool:
    """Build everything twice, read it back with calamine, check the printed figures."""
    from python_calamine import CalamineWorkbook

    ok = True

    def check(cond: bool, what: str) -> None:
        nonlocal ok
        ok &= cond
        echo(f"  [{'ok' if cond else 'FAIL'}] {what}")

    with tempfile.TemporaryDirectory() as d1, tempfile.TemporaryDirectory() as d2:
        first = build_all(Path(d1))
        second = build_all(Path(d2))
        echo("layouts:")
        for unit in UNITS:
            for layout in LAYOUTS:
                p = Path(d1) / default_name(unit, layout)
                got = read_figures(p)
                want = {k: Decimal(v) for k, v in EXPECTED[unit].items()}
                bad = {k: (str(got.get(k)), str(w)) for k, w in want.items() if got.get(k) != w}
                check(not bad, f"{p.name}: " + ", ".join(f"{k}={got[k]}" for k in want)
                      + (f"  MISMATCH {bad}" if bad else ""))
        echo("bad cases:")
        bdir = Path(d1)

        def opens(p: Path) -> Optional[str]:
            try:
                wb = CalamineWorkbook.from_path(str(p))
                for n in wb.sheet_names:
                    wb.get_sheet_by_name(n).to_python()
                return None
            except Exception as exc:  # noqa: BLE001 - any failure is the expected outcome
                return type(exc).__name__

        p = bdir / bad_name("corrupt")
        err = opens(p)
        check(err is not None and not zipfile.is_zipfile(p), f"corrupt: not a zip, calamine raises {err}")

        p = bdir / bad_name("password")
        import msoffcrypto

        err = opens(p)
        with p.open("rb") as fh:
            office = msoffcrypto.OfficeFile(fh)
            encrypted = office.is_encrypted()
            office.load_key(password=PASSWORD)
            plain = io.BytesIO()
            office.decrypt(plain)
        dec = bdir / "decrypted.xlsx"
        dec.write_bytes(plain.getvalue())
        check(encrypted and err is not None and read_figures(dec)["02"] == Decimal("841.69"),
              f"password: encrypted, calamine raises {err}, decrypts with {PASSWORD!r} to 02 合计 841.69")
        dec.unlink()

        p = bdir / bad_name("no-tables")
        check(not _regions(p), "no-tables: no 公开NN表 label anywhere")

        p = bdir / bad_name("duplicate-table")
        sheets = [s for s, _ in _regions(p)["02"]]
        check(len(sheets) == 2, f"duplicate-table: 公开02表 on sheets {sheets}")

        p = bdir / bad_name("total-disagrees")
        (_, rows), = _regions(p)["02"]
        classes = sum((_amount(r[4]) for r in rows if _norm(r[0]).isdigit() and not _norm(r[1])), Decimal(0))
        total = _coded_total(rows, "本年收入合计")
        check(total == Decimal("851.69") and classes == Decimal("841.70"),
              f"total-disagrees: 02 合计 {total}, Σ类 {classes}")

        p = bdir / bad_name("unit-mismatch")
        factors = {k: str(_unit_factor(v[0][1])) for k, v in sorted(_regions(p).items())}
        check(factors["03"] == "0.0001" and all(f == "1" for k, f in factors.items() if k != "03"),
              f"unit-mismatch: unit factor per table {factors}")

        p = bdir / bad_name("formula-no-cache")
        from openpyxl import load_workbook

        ws = load_workbook(p)["公开02表"]
        formulas = [(c.coordinate, c.value) for row in ws.iter_rows() for c in row
                    if isinstance(c.value, str) and c.value.startswith("=")]
        cached = load_workbook(p, data_only=True)["公开02表"][formulas[0][0]].value if formulas else "?"
        (_, rows), = _regions(p)["02"]
        via_calamine = next(r[4] for r in rows if any(_norm(x) == "合计" for x in r[:4]))
        check(len(formulas) == 1 and cached is None,
              f"formula-no-cache: {formulas}, cached value {cached!r}, calamine reads {via_calamine!r}")

        echo("determinism (two builds, sha256):")
        for a, b in zip(first, second):
            same = a.read_bytes() == b.read_bytes()
            if a.name == bad_name("password"):
                echo(f"  [--] {a.name}: random salt, bytes differ by design (same plaintext)")
                continue
            check(same, f"{a.name}: {_digest(a)}")
    echo("selftest: " + ("PASSED" if ok else "FAILED"))
    return ok


def main(argv: Sequence[str]) -> int:
    if len(argv) == 1 and argv[0] == "--selftest":
        return 0 if selftest() else 1
    if len(argv) == 1 and not argv[0].startswith("-"):
        for p in build_all(Path(argv[0])):
            print(p)
        return 0
    print(__doc__.split("Usage:")[1].split("from make")[0].rstrip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
