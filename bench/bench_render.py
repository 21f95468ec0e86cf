"""Time rendering each data/ unit per format, and LibreOffice's DOCX → PDF for comparison.

Usage: .venv/bin/python bench/bench_render.py [--runs 5] [UNIT.yaml ...]

Each (unit, format) is measured in a fresh child process so that its peak
memory (ru_maxrss) is its own: the child loads and checks the unit once, then
renders it `--runs` times and reports wall and CPU time per run.  The median
is printed.  LibreOffice converts the DOCX we wrote, as a user would do
without our PDF path.  Nothing here is asserted: the figures go in the note.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from generator.pipeline import check_file
from generator.profiles import load_profile
from generator.pipeline import documents
from generator.render import render_bytes
path, fmt, runs, out = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
checked = check_file(path)
profile = load_profile(checked.loaded.data.unit.profile or None)
walls, cpus = [], []
for _ in range(runs):
    w, c = time.perf_counter(), time.process_time()
    for document in documents(checked, draft=bool(checked.errors)):  # 部门决算 and/or 绩效自评
        outputs, _ = render_bytes(document, profile, (fmt,))
    walls.append(time.perf_counter() - w); cpus.append(time.process_time() - c)
Path(out).write_bytes(outputs[fmt])
print(json.dumps({"wall": walls, "cpu": cpus, "size": len(outputs[fmt]),
                  "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(unit: Path, fmt: str, runs: int, out: Path) -> dict:
    result = subprocess.run([sys.executable, "-c", CHILD, str(unit), fmt, str(runs), str(out)],
                            capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def libreoffice(docx: Path, runs: int) -> list[float]:
    exe = shutil.which("libreoffice") or shutil.which("soffice")
    if not exe:
        return []
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            subprocess.run([exe, "--headless", f"-env:UserInstallation=file://{tmp}/profile",
                            "--convert-to", "pdf", "--outdir", tmp, str(docx)],
                           capture_output=True, check=True, timeout=300)
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("units", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    units = args.units or sorted((ROOT / "data").glob("*.yaml"))
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'unit':28} {'format':6} {'wall s':>8} {'cpu s':>8} {'MiB peak':>9} {'size KiB':>9}")
        for unit in units:
            results = {}
            for fmt in ("docx", "pdf"):
                out = Path(tmp) / f"{unit.stem}.{fmt}"
                r = measure(unit, fmt, args.runs, out)
                results[fmt] = r
                print(f"{unit.stem:28} {fmt:6} {statistics.median(r['wall']):8.3f} {statistics.median(r['cpu']):8.3f}"
                      f" {r['maxrss_mib']:9.1f} {r['size'] / 1024:9.1f}")
            both = statistics.median(results["docx"]["cpu"]) + statistics.median(results["pdf"]["cpu"])
            print(f"{unit.stem:28} {'both':6} {'':8} {both:8.3f}  (CPU, DOCX + PDF)")
            lo = libreoffice(Path(tmp) / f"{unit.stem}.docx", min(args.runs, 3))
            if lo:
                ours = statistics.median(results["pdf"]["wall"])
                print(f"{unit.stem:28} {'LO pdf':6} {statistics.median(lo):8.3f}  "
                      f"LibreOffice DOCX→PDF / our PDF = {statistics.median(lo) / ours:.1f}×")


if __name__ == "__main__":
    main()
