"""How far one unit can grow: a unit with ROWS 项 rows and PROJECTS 绩效 projects, checked and rendered.

Usage: .venv/bin/python bench/bench_bounds.py [--rows 2000] [--projects 200] [--indicators 10] [--switch CHUNK_ROWS=0]

Writes the unit to a temporary folder, then in a child process (so its peak
memory is its own) loads, checks, and renders the 部门决算 and the 绩效自评 in
DOCX and PDF, printing the time of each stage, the page counts, the file sizes
and the peak RSS (after each stage: the high-water mark so far and the RSS left).
Nothing is asserted: the figures go in bench/README.md and the issue note.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.model import catalogue  # noqa: E402


def big_unit(rows: int, projects: int, indicators: int) -> str:
    """A consistent unit: every 项 is fiscal income = basic expenditure; 06 carries the total."""
    names: dict[str, str] = {}
    lines = []
    total = Decimal(0)
    classes = [code for code, _ in catalogue.CLASSES]
    n = 0
    for cls in classes:
        for section in range(1, 100):
            for item in range(1, 100):
                if n == rows:
                    break
                code = f"{cls}{section:02d}{item:02d}"
                sec = code[:5]
                names.setdefault(sec, f"测试款{sec}")
                names.setdefault(code, f"测试项{code}")
                amount = Decimal(1000 + (n * 37) % 9000) / 100
                total += amount
                lines.append(f'  - {{code: "{code}", income: {{general: {amount}}}, expenditure: {{basic: {amount}}}, '
                             f'general_budget: {{basic: {amount}}}}}')
                n += 1
            if n == rows:
                break
        if n == rows:
            break
    personnel = (total * 3 / 4).quantize(Decimal("0.01"))
    public = total - personnel
    evaluation = []
    weight = Decimal(90) / indicators
    for p in range(projects + 1):
        if p == 1:
            evaluation.append("  projects:")
        if p == 0:
            pad, block = "    ", ["  whole:", "    name: 边界测试单位"]
        else:
            pad, block = "      ", [f"    - name: 测试项目{p}"]
        block += [
                 f"{pad}funds: {{initial_budget: 100, full_year_budget: 100, executed: 95}}",
                 f"{pad}goal: 完成年度目标", f"{pad}achieved: 已完成", f"{pad}indicators:"]
        for k in range(indicators):
            level1 = ("产出指标", "效益指标", "满意度指标", "成本指标")[k % 4]
            block.append(f"{pad}  - {{level1: {level1}, level2: 数量指标, name: 指标{k}, target: ≥{100 + k}次, "
                         f"actual: {100 + k + p % 3}次, weight: {weight}}}")
        evaluation += block
    return "\n".join([
        "unit: {name: 边界测试单位, code: BOUND, year: 2024, amount_unit: 万元}",
        "overview: {duties: 边界测试。, organization: 边界测试。}",
        "functional:", *lines,
        f"basic_items: {{items: {{'30199': {personnel}, '30299': {public}}}}}",
        "three_public: {}",
        f"last_year: {{total: {total}, fiscal_total: {total}, general_budget: {total}}}",
        "initial_budget: {lines: {}}",
        "names:", *(f'  "{code}": {name}' for code, name in names.items()),
        "evaluation:", *evaluation,
    ]) + "\n"


CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from generator.pipeline import check_file
from generator.profiles import load_profile
from generator.pipeline import documents
from generator.render.docx import render_docx
from generator.render import pdf as pdf_writer
from generator.render.pdf import render_pdf
for name, value in json.loads(sys.argv[3]).items():      # the PDF writer's switches (bench_pdf.py's variants)
    setattr(pdf_writer, name, value)
path = Path(sys.argv[1])
stages = {}
peaks = {}
def status():
    fields = dict(line.split(":", 1) for line in open("/proc/self/status"))
    return {k: int(fields[k].split()[0]) / 1024 for k in ("VmHWM", "VmRSS")}
c = time.process_time(); checked = check_file(path); stages["load+check"] = time.process_time() - c
peaks["load+check"] = status()
profile = load_profile("hunan")
c = time.process_time(); documents = documents(checked, draft=True); stages["build"] = time.process_time() - c
peaks["build"] = status()
sizes = {}
for document in documents:
    kind = "main" if "部门决算" in document.title else "evaluation"
    # as a batch does: the PDF first, then the DOCX with the PDF's page numbers in its 目录
    c = time.process_time(); result = render_pdf(document, profile); stages[f"{kind}.pdf"] = time.process_time() - c
    peaks[f"{kind}.pdf"] = status()
    c = time.process_time(); docx = render_docx(document, profile, result.pages); stages[f"{kind}.docx"] = time.process_time() - c
    peaks[f"{kind}.docx"] = status()
    for fmt, data in (("pdf", result.data), ("docx", docx)):
        sizes[f"{kind}.{fmt}"] = len(data)
        Path(sys.argv[2]).joinpath(f"{kind}.{fmt}").write_bytes(data)
    del result, docx
print(json.dumps({"stages": stages, "peaks": peaks, "sizes": sizes, "errors": len(checked.errors),
                  "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--indicators", type=int, default=10)
    parser.add_argument("--switch", action="append", default=[], metavar="NAME=0|1",
                        help="a switch of generator/render/pdf.py, e.g. PART_WISE=0 PAUSE_COLLECTOR=0 CHUNK_ROWS=0 "
                             "BORDERS=separate (repeatable)")
    args = parser.parse_args()
    switches = {name: int(value) if value.isdigit() else value for name, value in (s.split("=", 1) for s in args.switch)}
    with tempfile.TemporaryDirectory() as tmp:
        unit = Path(tmp) / "bound.yaml"
        unit.write_text(big_unit(args.rows, args.projects, args.indicators), encoding="utf-8")
        print(f"unit file: {unit.stat().st_size / 1024:.0f} KiB, {args.rows} 项 rows, {args.projects} projects"
              f"{'; ' + ' '.join(args.switch) if args.switch else ''}")
        result = subprocess.run([sys.executable, "-c", CHILD, str(unit), tmp, json.dumps(switches)],
                                capture_output=True, text=True,
                                cwd=ROOT)
        if result.returncode:
            print(result.stderr[-3000:])
            raise SystemExit(result.returncode)
        report = json.loads(result.stdout.strip().splitlines()[-1])
        for stage, seconds in report["stages"].items():
            size = report["sizes"].get(stage)
            pages = ""
            if stage.endswith(".pdf"):
                info = subprocess.run(["pdfinfo", str(Path(tmp) / stage)], capture_output=True, text=True).stdout
                pages = next((line.split()[-1] + " pages" for line in info.splitlines() if line.startswith("Pages")), "")
            peak = report["peaks"][stage]
            print(f"{stage:16} {seconds:8.2f} s CPU  {'' if size is None else f'{size / 1024:8.0f} KiB':>12}  {pages:>10}"
                  f"  peak so far {peak['VmHWM']:5.0f} MiB, RSS after {peak['VmRSS']:5.0f} MiB")
        print(f"errors in the data: {report['errors']}; peak RSS {report['maxrss_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
