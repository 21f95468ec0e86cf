"""``juesuan import``: the command's options, messages and exit codes (the work is in build/into).

Exit codes as for ``check``: 0 written (warnings allowed); 1 the workbook's figures
have errors — nothing written; 2 the workbook (or last year's file) cannot be used,
or a bad option — nothing written.  Every issue is one line naming its cell.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..issues import Issue
from ..write import write_atomic

EXIT_OK, EXIT_ERRORS, EXIT_UNUSABLE = 0, 1, 2


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def _print_issues(issues: list[Issue]) -> None:
    for item in issues:
        _say(item.format())


def run_import(args) -> int:
    if args.into is not None:
        if args.output is not None or args.last_year is not None:
            _say("juesuan：参数错误：--into 更新已有文件中的数字，不能与 -o 或 --from 同时使用")
            return EXIT_UNUSABLE
        from .into import reimport

        return reimport(args.workbook, args.into)
    if args.output is not None and args.output.exists() and not args.force:
        _say(f"juesuan：{args.output} 已存在，不覆盖：加 --force 覆盖它，或用 --into {args.output} "
             "只更新其中的数字（保留文字和注释）")
        return EXIT_UNUSABLE
    if args.last_year is not None and not args.last_year.is_file():
        _say(f"juesuan：上年的文件 {args.last_year} 不存在")
        return EXIT_UNUSABLE
    from .build import import_workbook

    outcome = import_workbook(args.workbook, last_year=args.last_year, target=args.output, year=args.year,
                              code=args.code, profile=args.profile, amount_unit=args.unit)
    _print_issues(outcome.issues)
    if outcome.text is None:
        errors = len(outcome.errors)
        if outcome.unusable:
            _say(f"{args.workbook}: 未写出文件：{'工作簿' if not args.last_year else '工作簿或上年的文件'}无法使用（见上）")
            return EXIT_UNUSABLE
        _say(f"{args.workbook}: 未写出文件：工作簿有 {errors} 条错误（见上，每条注明工作表和单元格）；"
             "改正后重新导入")
        return EXIT_ERRORS
    if args.output is None:
        sys.stdout.write(outcome.text)
    else:
        write_atomic(args.output, outcome.text.encode("utf-8"))
        print(f"已写出：{args.output}")
    _summary(args, outcome)
    return EXIT_OK


def _summary(args, outcome) -> None:
    imported = outcome.imported
    rows = imported.rows
    items = sum(1 for code in rows if len(code) == 7)
    economic = sum(1 for code in imported.items if len(code) == 5 and ("basic_items", "items", code) in imported.figures)
    parts = [f"导入：公开表 {len(imported.tables)} 张，功能分类科目 {len(rows)} 个（其中项 {items} 个），"
             f"06表经济分类科目 {economic} 个，金额单位 {imported.amount_unit}"]
    carried = outcome.carried
    if carried is not None:
        parts.append(f"沿用上年（{carried.source}）：文字在文末 carried_over 中列出，check 提示“沿用上年，请核对”，"
                     "沿用的数字行末注有“沿用上年”")
        if carried.matched:
            parts.append("从上年的文件中找到：" + "、".join(carried.matched))
        if carried.unmatched:
            parts.append("没有找到（写作“待填写”）：" + "、".join(carried.unmatched))
    if outcome.asked > 0:
        parts.append(f"待填写 {outcome.asked} 处：工作簿中没有的内容，请填写")
    target = args.output or Path("（屏幕）")
    parts.append(f"下一步：juesuan check {target}")
    for part in parts:
        _say(part)
