"""Command line: ``juesuan check | figures | render``.

Exit codes: 0 no error (warnings allowed), 1 an error in the data, 2 input that
cannot be used at all (unreadable, not YAML, not a mapping) or a bad option.
Bad input never shows a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Sequence

from .load.county import DefaultsError
from .issues import Issue, UnusableInput
from .pipeline import Checked, check_file
from .profiles import ProfileError, load_profile
from .render import FORMATS

EXIT_OK, EXIT_ERRORS, EXIT_UNUSABLE, EXIT_BUG = 0, 1, 2, 3


_ARGPARSE_CHINESE = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "the following arguments are required: %s": "缺少参数：%s",
    "unrecognized arguments: %s": "不认识的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "expected one argument": "需要一个参数",
    "expected at most one argument": "最多只能有一个参数",
    "expected at least one argument": "至少需要一个参数",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的%(type)s",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "one of the arguments %s is required": "必须给出其中一个参数：%s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的参数值 %r",
    "unexpected option string: %s": "不认识的选项：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
}


def _chinese(message: str) -> str:
    return _ARGPARSE_CHINESE.get(message, message)


argparse._ = _chinese  # argparse looks its texts up through this module-level gettext alias


class _Parser(argparse.ArgumentParser):
    """argparse speaking Chinese, exiting 2 on a bad option."""

    def error(self, message: str):  # noqa: D401 - argparse API
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNUSABLE, f"{self.prog}：参数错误：{message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="juesuan",
        description="部门决算公开与绩效自评文件生成器：从单位的YAML数据计算各表和全部派生数字，"
                    "按勾稽关系核对，生成DOCX和PDF。",
        epilog="退出码：0 没有错误（可以有警告）；1 数据有错误；2 文件无法使用或参数错误。"
               "数据格式见 docs/data-format.md。",
    )
    parser.add_argument("--version", action="version", version=f"juesuan（部门决算公开生成器）{_version()} 版",
                        help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

    check = sub.add_parser("check", help="核对单位数据，列出错误和警告",
                           description="核对一个或多个单位文件：格式、勾稽关系、差异原因。"
                                       "每条问题一行：文件:行号: 代码 级别 字段: 说明。")
    check.add_argument("files", nargs="+", metavar="文件", type=Path, help="单位数据文件（YAML）")
    check.add_argument("--json", action="store_true", help="以JSON输出（供程序读取）")

    figures = sub.add_parser("figures", help="输出全部表格数字和派生数字",
                             description="输出公开01–09表的每一行和第三部分的每个派生数字，"
                                         "金额和比率按文件中显示的样子给出。")
    figures.add_argument("file", metavar="文件", type=Path, help="单位数据文件（YAML）")
    figures.add_argument("--json", action="store_true", help="以JSON输出")
    figures.add_argument("--profile", metavar="方案", help="模板方案（默认取单位文件中的 unit.profile）")
    render = sub.add_parser("render", help="生成部门决算公开文件（DOCX、PDF，可加 XLSX）",
                            description="为每个单位文件生成“<年度>年度<单位>部门决算.docx/.pdf”。"
                                        "数据有错误的文件不生成（列出错误）；加 --draft 则照样生成，"
                                        "每页标注“草稿”，便于边看边改。警告照常列出，不影响生成。")
    render.add_argument("files", nargs="+", metavar="文件", type=Path, help="单位数据文件（YAML）")
    render.add_argument("-o", "--output", metavar="目录", type=Path, default=Path("output"),
                        help="输出目录（默认 output/）")
    render.add_argument("--format", metavar="格式", default="docx,pdf", type=_formats,
                        help="输出格式，逗号分隔：docx、pdf、xlsx（公开表的工作簿）；默认 docx,pdf")
    render.add_argument("--profile", metavar="方案", help="模板方案（默认取单位文件中的 unit.profile，再默认 hunan）")
    render.add_argument("--draft", action="store_true",
                        help="数据有错误时也生成，每页标注“草稿”")
    batch = sub.add_parser("batch", help="一次处理一个文件夹（一个县）中的全部单位",
                           description="核对并生成文件夹（含子文件夹）中每个单位文件的文件，多进程并行；"
                                       f"文件夹中的 {'_defaults.yaml'} 提供各单位共用的设置（年度、方案、财政局名称、显示样式），"
                                       "单位文件可以覆盖。一个单位出错不影响其他单位；输出目录中写出审核清单.xlsx。"
                                       "再次运行时跳过输入、设置和模板都没有变化的单位。两个单位文件会生成同名文件时，两个都不生成，"
                                       "在审核清单中列出。任何单位失败时退出码为1。")
    batch.add_argument("folder", metavar="文件夹", type=Path, help="存放单位数据文件的文件夹")
    batch.add_argument("-o", "--output", metavar="目录", type=Path, default=Path("output"), help="输出目录（默认 output/）")
    batch.add_argument("--jobs", "-j", metavar="N", type=_positive_int, default=None, help="并行进程数（默认：每个可用的CPU核一个，可用内存不够时相应减少）")
    batch.add_argument("--format", metavar="格式", default="docx,pdf", type=_formats,
                       help="输出格式，逗号分隔：docx、pdf、xlsx（默认 docx,pdf）")
    batch.add_argument("--force", action="store_true", help="全部重新生成，不跳过没有变化的单位")
    batch.add_argument("--draft", action="store_true", help="数据有错误的单位也生成，标注“草稿”")

    new = sub.add_parser("new", help="生成一个待填写的单位数据文件",
                         description="写出一个单位数据文件骨架：每个字段都已列出，每行有中文注释说明含义和用于哪张表；"
                                     "要回答的数字和文字写作“待填写”，check 把没有换掉的每一处列为“未填写”错误，"
                                     "填好之前不能生成文件。可选的字段以注释行列出，需要时去掉 # 再填写。")
    new.add_argument("--name", required=True, metavar="名称", help="单位名称")
    new.add_argument("--code", required=True, metavar="编码", help="单位编码")
    new.add_argument("--year", type=_positive_int, default=None, metavar="年度", help="决算年度（默认为上一年）")
    new.add_argument("--profile", metavar="方案", help="模板方案（默认 hunan）：只写出这个方案用到的字段")
    new.add_argument("-o", "--output", type=Path, metavar="文件", help="写入的文件（默认输出到屏幕）；已存在时不覆盖")
    imp = sub.add_parser("import", help="从决算软件导出的工作簿（.xlsx、.xls）生成单位数据文件",
                         description="读取决算软件导出的公开表工作簿（每张表一个工作表，或全部表在一个工作表中），"
                                     "按表名、表头文字和科目编码找到每个数字，写出单位数据文件（YAML）："
                                     "每个数字后注明它在工作簿中的位置（如 # 公开02表!E12）。工作簿中没有的内容"
                                     "（部门职责、机构设置、人数、各种原因、年初预算、政府采购、国有资产、绩效），"
                                     "加 --from 时沿用上年的文件或上年公开的文件（DOCX、PDF）并标明“沿用上年”，"
                                     "否则写作“待填写”。工作簿中放不进文件的数字都列出所在的单元格，有错误时不写出文件。")
    imp.add_argument("workbook", metavar="工作簿", type=Path, help="决算软件导出的工作簿（.xlsx 或 .xls）")
    imp.add_argument("-o", "--output", metavar="文件", type=Path,
                     help="写入的单位数据文件（默认输出到屏幕）；已存在时不覆盖，除非加 --force")
    imp.add_argument("--from", dest="last_year", metavar="上年文件", type=Path,
                     help="上年的单位数据文件（YAML），或上年公开的部门决算（DOCX 或 PDF）：沿用其中的文字和"
                          "工作簿中没有的数字，上年的决算数作为本年“与上年比较”的数字")
    imp.add_argument("--into", metavar="文件", type=Path,
                     help="更新已有的单位数据文件中的数字（改正后的工作簿重新导入）：文字、原因和注释都保留，"
                          "列出改动的每一个数字")
    imp.add_argument("--force", action="store_true", help="-o 指定的文件已存在时覆盖它")
    imp.add_argument("--year", type=_positive_int, metavar="年度", help="决算年度（默认取工作簿中写的，或上年文件的下一年）")
    imp.add_argument("--code", metavar="编码", help="单位编码（默认沿用上年文件的）")
    imp.add_argument("--profile", metavar="方案", help="模板方案（默认沿用上年文件的，再默认 hunan）")
    imp.add_argument("--unit", choices=("万元", "元"), metavar="金额单位",
                     help="文件的金额单位：万元 或 元（默认同工作簿；元的工作簿中每个数都是100元的整数倍时按万元）")
    serve = sub.add_parser("serve", help="在浏览器中使用：单位填写、预览、下载；财政局审核、批量生成",
                           description="启动网页服务：单位文件夹仍是数据的存放处，账户、会话和操作记录存在其中的 "
                                       ".juesuan-web/juesuan.sqlite3。先用 --init 创建财政局管理员账户。")
    serve.add_argument("folder", metavar="县文件夹", type=Path, help="存放单位数据文件的文件夹")
    serve.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，只有本机可以访问）")
    serve.add_argument("--port", type=_positive_int, default=8000, help="端口（默认 8000）")
    serve.add_argument("--init", action="store_true", help="创建（或重设密码）财政局管理员账户，然后退出")
    serve.add_argument("--admin", default="admin", metavar="用户名", help="--init 的管理员用户名（默认 admin）")
    serve.add_argument("--password-env", metavar="变量", help="--init 从这个环境变量读密码（供脚本用；默认在终端输入）")
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("juesuan")
    except PackageNotFoundError:  # run from a source tree that was not installed
        return "未安装"


def _positive_int(text: str) -> int:
    value = int(text.strip())
    if value < 1:
        raise ValueError(text)
    return value


_positive_int.__name__ = "正整数"  # argparse names the type in its message: “'x' 不是有效的正整数”



def _formats(text: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    bad = [f for f in chosen if f not in FORMATS]
    if bad or not chosen:
        raise argparse.ArgumentTypeError(f"不支持的格式：{'、'.join(bad) or text}；可用：{'、'.join(FORMATS)}")
    return chosen


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_UNUSABLE
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "figures":
            return _figures(args)
        if args.command == "render":
            return _render(args)
        if args.command == "new":
            return _new(args)
        if args.command == "batch":
            return _batch(args)
        if args.command == "import":
            return _import(args)
        if args.command == "serve":
            return _serve(args)
    except (ProfileError, DefaultsError) as exc:
        print(f"juesuan：{exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except BrokenPipeError:  # output piped into head & co.
        return EXIT_OK
    except KeyboardInterrupt:
        print("juesuan: 已中断", file=sys.stderr)
        return 130
    except Exception:  # a bug of ours, not the user's data
        if os.environ.get("JUESUAN_DEBUG"):
            traceback.print_exc()
        print("juesuan: 内部错误（程序缺陷，不是数据问题）；设置环境变量 JUESUAN_DEBUG=1 可看到详细信息，"
              "请连同数据文件一起报告。", file=sys.stderr)
        return EXIT_BUG
    return EXIT_UNUSABLE


def _check_one(path: Path, profile: str | None = None) -> tuple[Checked | None, list[Issue], int]:
    try:
        checked = check_file(path, profile=profile)
    except UnusableInput as exc:
        return None, [exc.issue], EXIT_UNUSABLE
    code = EXIT_ERRORS if checked.errors else EXIT_OK
    return checked, list(checked.issues), code


def _check(args) -> int:
    worst = EXIT_OK
    report = []
    for path in args.files:
        checked, issues, code = _check_one(path)
        worst = max(worst, code)
        errors = sum(1 for i in issues if i.is_error)
        warnings = len(issues) - errors
        if args.json:
            report.append({"file": str(path), "exit_code": code, "errors": errors, "warnings": warnings,
                           "issues": [i.as_json() for i in issues]})
            continue
        for issue in issues:
            print(issue.format())
        status = "无法使用" if code == EXIT_UNUSABLE else ("有错误" if errors else "通过")
        print(f"{path}: {status}（错误 {errors} 条，警告 {warnings} 条）", file=sys.stderr)
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        print()
    return worst


def _figures(args) -> int:
    from .pipeline import figures_document

    checked, issues, code = _check_one(args.file, args.profile)
    if checked is None or not checked.usable:
        for issue in issues:
            print(issue.format(), file=sys.stderr)
        print(f"{args.file}: 数据有结构错误，无法计算；请先用 juesuan check 修正", file=sys.stderr)
        return code or EXIT_ERRORS
    document = figures_document(checked)
    if args.json:
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        _print_tree(document)
    for issue in issues:
        print(issue.format(), file=sys.stderr)
    return code


def _render(args) -> int:
    from .pipeline import process
    from .write import remove_stale_parts

    remove_stale_parts(args.output)
    worst = EXIT_OK
    for path in args.files:
        try:
            outcome = process(path, args.output, args.format, draft=args.draft, profile=args.profile)
        except UnusableInput as exc:
            print(exc.issue.format(), file=sys.stderr)
            print(f"{path}: 未生成：文件无法使用，请先修正上面列出的问题", file=sys.stderr)
            worst = max(worst, EXIT_UNUSABLE)
            continue
        checked = outcome.checked
        for issue in checked.issues:
            print(issue.format(), file=sys.stderr)
        if outcome.refused == "unusable":
            print(f"{path}: 未生成：文件有结构错误，请先修正上面列出的问题", file=sys.stderr)
            worst = max(worst, EXIT_ERRORS)
            continue
        if outcome.refused == "errors":
            print(f"{path}: 未生成：数据有 {len(checked.errors)} 条错误（见上）；修正后重新运行，"
                  "或加 --draft 生成标注“草稿”的文件", file=sys.stderr)
            worst = max(worst, EXIT_ERRORS)
            continue
        for warning in outcome.warnings:
            print(f"{path}: 警告 {warning}", file=sys.stderr)
        label = "草稿" if outcome.draft else "已生成"
        for written in outcome.paths:
            print(f"{label}：{written}")
    return worst


def _batch(args) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .batch import run_batch, unit_files

    if not args.folder.is_dir():
        print(f"juesuan：{args.folder} 不是文件夹", file=sys.stderr)
        return EXIT_UNUSABLE
    total = len(unit_files(args.folder))
    if total == 0:
        print(f"juesuan：{args.folder} 中没有单位数据文件（*.yaml）", file=sys.stderr)
        return EXIT_UNUSABLE
    console = Console(stderr=True)
    counts = {"done": 0, "failed": 0}
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("失败 {task.fields[failed]}  剩余 {task.fields[left]}"), TextColumn("预计剩余"),
               TimeRemainingColumn())
    try:
        with Progress(*columns, console=console) as bar:
            task = bar.add_task("生成中", total=total, failed=0, left=total)

            def report(result, done, count):
                counts["done"] = done
                if not result.ok:
                    counts["failed"] += 1
                    bar.console.print(f"[red]失败[/red] {result.file}：{result.status}"
                                      + (f"（{result.detail}）" if result.detail else ""), markup=True,
                                      highlight=False)
                bar.update(task, completed=done, failed=counts["failed"], left=count - done)

            report_ = run_batch(args.folder, args.output, jobs=args.jobs, formats=args.format, force=args.force,
                                draft=args.draft, progress=report)
    except DefaultsError as exc:
        print(f"juesuan：{exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    failed = report_.failed
    print(f"共 {len(report_.results)} 个单位：生成 {len(report_.results) - len(failed) - report_.skipped} 个，"
          f"未变化跳过 {report_.skipped} 个，失败 {len(failed)} 个；用时 {report_.seconds:.1f} 秒。"
          f"审核清单：{report_.workbook}")
    return EXIT_ERRORS if failed else EXIT_OK


def _new(args) -> int:
    import datetime

    from .model.skeleton import skeleton
    from .write import write_atomic

    year = args.year or datetime.date.today().year - 1
    text = skeleton(args.name, args.code, year, load_profile(args.profile), args.output)
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    if args.output.exists():
        print(f"juesuan：{args.output} 已存在，不覆盖；请换一个文件名", file=sys.stderr)
        return EXIT_UNUSABLE
    write_atomic(args.output, text.encode("utf-8"))
    print(f"已写出：{args.output}；填写后运行 juesuan check {args.output}")
    return EXIT_OK


def _serve(args) -> int:
    if not args.folder.is_dir():
        print(f"juesuan：{args.folder} 不是文件夹", file=sys.stderr)
        return EXIT_UNUSABLE
    from . import web

    if args.init:
        if args.password_env:
            password = os.environ.get(args.password_env, "")
        else:
            import getpass

            password = getpass.getpass("管理员密码：")
            if getpass.getpass("再输入一次：") != password:
                print("juesuan：两次输入的密码不同", file=sys.stderr)
                return EXIT_UNUSABLE
        try:
            done = web.init_admin(args.folder, args.admin, password)
        except ValueError as exc:
            print(f"juesuan：{exc}", file=sys.stderr)
            return EXIT_UNUSABLE
        print(f"{done}财政局管理员账户 {args.admin}；启动：juesuan serve {args.folder}")
        return EXIT_OK
    if not web.database(args.folder).has_bureau():
        print(f"juesuan：还没有管理员账户；先运行 juesuan serve {args.folder} --init", file=sys.stderr)
        return EXIT_UNUSABLE
    web.serve(args.folder, args.host, args.port)
    return EXIT_OK


def _import(args) -> int:
    from .importer.cli import run_import

    return run_import(args)


def _print_tree(value, indent: str = "") -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)):
                print(f"{indent}{key}:")
                _print_tree(item, indent + "  ")
            else:
                print(f"{indent}{key}: {'' if item is None else item}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)):
                print(f"{indent}-")
                _print_tree(item, indent + "  ")
            else:
                print(f"{indent}- {item}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
