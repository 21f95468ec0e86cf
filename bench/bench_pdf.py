"""The PDF writer's variants side by side, in one run: CPU per document, median of --runs.

Usage: .venv/bin/python bench/bench_pdf.py [--runs 3] [--synthetic 1] [UNIT.yaml ...]

Each (unit, variant) runs in a fresh child process: one warm-up render (not counted),
then --runs renders of every document of the unit (部门决算 and 绩效自评, PDF only), each
timed with the process's CPU clock; the child also reports its peak RSS.  A variant is a
set of the PDF writer's switches (generator.render.pdf):

  today     PAUSE_COLLECTOR = False, PART_WISE = False   (the writer before issue 14)
  gc        the collector paused, the document in one piece
  parts     the collector paused, laid out part by part, 绩效 forms once for both documents
  separate  parts, with separate instead of collapsed table borders (each cell draws its
            right and bottom rule, the table its top and left on every page)
  separate-statements   the same for the 决算表 only, the 绩效 forms collapsed

The synthetic units are bench/make_units.py's (seed 1), written to a temporary folder.
Nothing is asserted; the figures and their ratios go in bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

VARIANTS = {
    "today": {"PAUSE_COLLECTOR": False, "PART_WISE": False},
    "gc": {"PAUSE_COLLECTOR": True, "PART_WISE": False},
    "parts": {"PAUSE_COLLECTOR": True, "PART_WISE": True},
    "separate": {"PAUSE_COLLECTOR": True, "PART_WISE": True, "BORDERS": "separate"},
    "separate-statements": {"PAUSE_COLLECTOR": True, "PART_WISE": True, "BORDERS": "separate-statements"},
}

CHILD = r"""
import io, json, resource, sys, time
from pypdf import PdfReader
from pathlib import Path
from generator.pipeline import check_file, documents
from generator.render import render_bytes
import generator.render.pdf as pdf
path, runs, switches = Path(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
for name, value in switches.items():
    setattr(pdf, name, value)
checked = check_file(path)
docs = documents(checked, draft=bool(checked.errors))
def once():
    pdf._reusable.clear()                # a unit's forms are reused between its two documents, not between runs
    times, pages = [], []
    for document in docs:
        c = time.process_time()
        outputs, _ = render_bytes(document, checked.profile, ("pdf",))
        times.append(time.process_time() - c)
        pages.append(len(PdfReader(io.BytesIO(outputs["pdf"])).pages))
    return times, pages
once()                                   # warm-up: fonts, caches, the first collection
cpus = []
for _ in range(runs):
    times, pages = once()
    cpus.append(times)
print(json.dumps({"cpu": cpus, "pages": pages,
                  "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(unit: Path, runs: int, variant: str) -> dict:
    result = subprocess.run([sys.executable, "-c", CHILD, str(unit), str(runs), json.dumps(VARIANTS[variant])],
                            capture_output=True, text=True, cwd=ROOT)
    if result.returncode:
        raise SystemExit(f"{unit} {variant}: {result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("units", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--synthetic", type=int, default=1, help="synthetic units with 绩效 (make_units.py, seed 1)")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    args = parser.parse_args()
    units = list(args.units) or [ROOT / "data" / "yiyang-2024-shebao.yaml", ROOT / "data" / "yuanjiang-2024-shebao-jixiao.yaml"]
    with tempfile.TemporaryDirectory() as tmp:
        if args.synthetic:
            subprocess.run([sys.executable, str(ROOT / "bench" / "make_units.py"), str(args.synthetic), tmp,
                            "--seed", "1"], check=True, capture_output=True, cwd=ROOT)
            units += sorted(Path(tmp).glob("*.yaml"))
        variants = args.variants.split(",")
        print(f"{'unit':<28} {'pages':>9} " + " ".join(f"{v:>14}" for v in variants) + "   ratios to the first")
        for unit in units:
            results = {v: measure(unit, args.runs, v) for v in variants}
            medians = {v: [statistics.median(run[i] for run in r["cpu"]) for i in range(len(r["pages"]))]
                       for v, r in results.items()}
            totals = {v: sum(m) for v, m in medians.items()}
            pages = "+".join(str(p) for p in results[variants[0]]["pages"])
            cells = " ".join(f"{totals[v]:6.2f}s {results[v]['maxrss_mib']:4.0f}M" for v in variants)
            ratios = " ".join(f"{totals[v] / totals[variants[0]]:.2f}" for v in variants[1:])
            print(f"{unit.stem[:28]:<28} {pages:>9} {cells}   {ratios}")
            for v in variants:
                if results[v]["pages"] != results[variants[0]]["pages"]:
                    print(f"  ! {v}: pages {results[v]['pages']} differ from {results[variants[0]]['pages']}")


if __name__ == "__main__":
    main()
