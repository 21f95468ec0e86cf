"""Time ``juesuan import`` on each nine-sheet test workbook (target: under 0.5 s a workbook).

Usage: .venv/bin/python bench/bench_import.py [--runs 7]

The workbooks are built by tests/workbooks/make_workbooks.py (every layout of both units) into a
temporary folder.  For each, in this process (modules loaded, as in a batch): the median wall time
of reading the cells (python-calamine), of finding and reading the tables and placing the figures,
and of the whole import — the unit file's text written and loaded back — without and with
``--from`` last year's file (which loads and checks that file too).  Then the whole command once in
a fresh process, as an accountant runs it (Python's start and imports included).  Nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from generator.importer.assemble import assemble  # noqa: E402
from generator.importer.build import import_workbook  # noqa: E402
from generator.importer.workbook import read_workbook  # noqa: E402
from workbooks.make_workbooks import LAYOUTS, UNITS, build  # noqa: E402


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for unit in UNITS:
            last = ROOT / "data" / f"{unit}-2024-shebao.yaml"
            for layout in LAYOUTS:
                book = build(unit, layout, Path(folder))
                import_workbook(book)  # warm: first use of each module
                read_ms = median_ms(lambda: read_workbook(book), args.runs)
                sheets = read_workbook(book)
                place_ms = median_ms(lambda: assemble(sheets, str(book)), args.runs)
                whole_ms = median_ms(lambda: import_workbook(book), args.runs)
                from_ms = median_ms(lambda: import_workbook(book, last_year=last), args.runs)
                out = Path(folder) / "out.yaml"
                start = time.perf_counter()
                subprocess.run([sys.executable, "-m", "generator", "import", str(book), "-o", str(out), "--force"],
                               cwd=ROOT, check=True, capture_output=True)
                cold_ms = (time.perf_counter() - start) * 1000
                rows.append((book.name, len(sheets), read_ms, place_ms, whole_ms, from_ms, cold_ms))
    print(f"median of {args.runs} runs, milliseconds")
    print(f"{'workbook':44} {'sheets':>6} {'read':>7} {'place':>7} {'import':>7} {'--from':>7} {'command':>8}")
    for name, count, *times in rows:
        print(f"{name:44} {count:>6} " + " ".join(f"{t:7.1f}" for t in times[:4]) + f" {times[4]:8.1f}")
    worst = max(max(r[4], r[5]) for r in rows)
    print(f"slowest import in process: {worst:.1f} ms (target 500 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
