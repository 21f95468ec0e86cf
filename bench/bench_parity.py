#!/usr/bin/env python3
"""Page parity of the DOCX and the PDF: each document's page count in our PDF and in
LibreOffice's rendering of our DOCX (one warm ``soffice`` call for all the files), for the
data/ units and N synthetic units of bench/make_units.py.

Usage: python bench/bench_parity.py [--units N] [--seed S] [--keep DIR]

Prints one line per document (PDF pages, DOCX pages in LibreOffice, their ratio) and the
worst ratio; the test suite asserts the same (within 10%) for the data/ units only.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.pipeline import check_file, documents  # noqa: E402
from generator.render import render_bytes  # noqa: E402


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="keep the files in this folder")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="parity-"))
    units = work / "units"
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_units.py"), str(args.units), str(units),
                    "--seed", str(args.seed)], check=True, capture_output=True)
    files = sorted((ROOT / "data").glob("*.yaml")) + sorted(units.glob("*.yaml"))
    (work / "docx").mkdir(parents=True, exist_ok=True)
    made = []
    for path in files:
        checked = check_file(path)
        for n, document in enumerate(documents(checked, draft=bool(checked.errors))):
            outputs, _ = render_bytes(document, checked.profile, ("docx", "pdf"))
            stem = f"{path.stem}-{n}"
            (work / f"{stem}.pdf").write_bytes(outputs["pdf"])
            (work / "docx" / f"{stem}.docx").write_bytes(outputs["docx"])
            made.append((stem, document.title))
    office = shutil.which("libreoffice") or shutil.which("soffice")
    subprocess.run([office, f"-env:UserInstallation={(work / 'lo-profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(work / "lo"),
                    *sorted(str(p) for p in (work / "docx").glob("*.docx"))], check=True, capture_output=True)
    worst = 0.0
    print(f"{'document':40} {'PDF':>5} {'DOCX':>5} {'ratio':>6}")
    for stem, title in made:
        ours, theirs = pages(work / f"{stem}.pdf"), pages(work / "lo" / f"{stem}.pdf")
        ratio = theirs / ours
        worst = max(worst, abs(ratio - 1))
        print(f"{stem:40} {ours:5d} {theirs:5d} {ratio:6.3f}")
    print(f"{len(made)} documents; largest difference {worst:.1%}")
    if not args.keep:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
