#!/usr/bin/env python3
"""A county's batch, measured: `juesuan batch` over synthetic units, --jobs 1 and --jobs 2.

Usage: .venv/bin/python bench/bench_batch.py [--units 300] [--seed 1] [--no-evaluation]
                                             [--subset 60] [--jobs1-limit-min 25] [--lo-units 20]
                                             [--workdir /tmp/juesuan-bench] [--skip-lo] [--skip-profile]

What it does, in order (everything under --workdir, default /tmp/juesuan-bench):

1. writes --units unit files with bench/make_units.py (and a copy of the first --subset of them);
2. runs ``juesuan batch UNITS -o OUT --jobs 1 --format docx,pdf --force`` on the subset; if
   that, scaled to all units, stays under --jobs1-limit-min minutes it also runs --jobs 1 on all
   units, otherwise the --jobs 1 figure for all units is an EXTRAPOLATION (labelled so);
3. runs --jobs 2 on the subset (same units as the --jobs 1 run: the speed-up) and on all units;
   each run gets a fresh output folder.  Per run: wall time; user+sys CPU of the whole process
   tree (os.wait4 on the CLI, which reaps its workers: parent + workers) per unit; the peak RSS
   (VmHWM) and peak sampled PSS of every worker process, sampled from /proc every 0.2 s;
   the CPU other processes used meanwhile (the machine is shared: the figure is reported);
4. converts --lo-units of the main-document DOCX files with LibreOffice headless (one
   ``soffice --headless --convert-to pdf`` per file, a private -env:UserInstallation, one warm-up
   conversion not counted) and times our own per-document DOCX and PDF rendering of the same
   units in one fresh process (after one warm-up unit), plus check, document building and the
   绩效 document: the per-stage split of a unit's CPU;
5. profiles (cProfile, warm process) the main document's PDF and DOCX rendering of the unit with
   the median PDF time, and prints where the time goes: WeasyPrint phases (HTML parsing, CSS
   cascade, box building, layout, painting, PDF writing with font subsetting), self time by
   package, and the top functions.

Results: a compact table on stdout, and everything in WORKDIR/results.json.  Nothing is
asserted here: the figures go into bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
PYTHON = ROOT / ".venv" / "bin" / "python"
JUESUAN = ROOT / ".venv" / "bin" / "juesuan"
MANIFEST = ".juesuan-batch.json"
MIB = 1024 * 1024

sys.path.insert(0, str(BENCH))
from make_units import write_units  # noqa: E402


def log(message: str) -> None:
    print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ the machine


def cpu_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, sum(fields)


HZ = os.sysconf("SC_CLK_TCK")


def wait_for_quiet(max_wait: float, threshold_cores: float = 0.3, window: float = 5.0) -> dict:
    """Wait (at most max_wait s) until the other processes use < threshold cores over `window` s."""
    start = time.perf_counter()
    while True:
        b0, _ = cpu_jiffies()
        time.sleep(window)
        b1, _ = cpu_jiffies()
        busy = (b1 - b0) / HZ / window
        waited = time.perf_counter() - start
        if busy < threshold_cores or waited >= max_wait:
            return {"waited_s": round(waited, 1), "busy_cores_before": round(busy, 2)}
        log(f"machine busy ({busy:.2f} cores used by other processes); waiting…")


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        return [int(x) for x in text.split()]
    except OSError:
        return []


def descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        for child in _children(todo.pop()):
            out.append(child)
            todo.append(child)
    return out


def _status_kib(pid: int, field: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def _pss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


class Sampler(threading.Thread):
    """Peak RSS (VmHWM, kernel-kept high-water mark) and peak sampled PSS per process of a tree."""

    def __init__(self, root: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.hwm: dict[int, int] = {}
        self.pss: dict[int, int] = {}
        self.cmdline: dict[int, bytes] = {}
        self.stop = threading.Event()

    def sample(self) -> None:
        for pid in [self.root, *descendants(self.root)]:
            if pid not in self.cmdline:
                try:
                    self.cmdline[pid] = Path(f"/proc/{pid}/cmdline").read_bytes()
                except OSError:
                    pass
            hwm = _status_kib(pid, "VmHWM")
            if hwm is not None:
                self.hwm[pid] = max(self.hwm.get(pid, 0), hwm)
            pss = _pss_kib(pid)
            if pss is not None:
                self.pss[pid] = max(self.pss.get(pid, 0), pss)

    def run(self) -> None:
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(self.interval)


# ------------------------------------------------------------------ one batch run


def run_batch(units: Path, out: Path, jobs: int, formats: str, max_wait: float) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    count = len(list(units.rglob("*.yaml")))
    quiet = wait_for_quiet(max_wait)
    cmd = [str(JUESUAN), "batch", str(units), "-o", str(out), "--jobs", str(jobs), "--format", formats, "--force"]
    log(f"run: {' '.join(cmd)}  ({count} units)")
    stdout_path, stderr_path = out.with_suffix(".stdout.txt"), out.with_suffix(".stderr.txt")
    env = dict(os.environ, COLUMNS="400")
    busy0, _ = cpu_jiffies()
    start = time.perf_counter()
    with open(stdout_path, "wb") as so, open(stderr_path, "wb") as se:
        proc = subprocess.Popen(cmd, stdout=so, stderr=se, cwd=ROOT, env=env)
        sampler = Sampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    sampler.stop.set()
    sampler.join()
    busy1, _ = cpu_jiffies()
    cpu = usage.ru_utime + usage.ru_stime
    others = max(0.0, (busy1 - busy0) / HZ - cpu)
    # workers are forks of the CLI (same command line); anything else is a short-lived helper
    # a library executes (e.g. ldconfig run by ctypes.util.find_library), reported apart
    me = sampler.cmdline.get(proc.pid)
    is_worker = lambda pid: pid != proc.pid and sampler.cmdline.get(pid) == me
    workers = {pid: kib for pid, kib in sampler.hwm.items() if is_worker(pid)}
    worker_pss = {pid: kib for pid, kib in sampler.pss.items() if is_worker(pid)}
    helpers = {pid: kib for pid, kib in sampler.hwm.items() if pid != proc.pid and not is_worker(pid)}
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8")) if (out / MANIFEST).exists() else {}
    done = {name: entry["result"] for name, entry in manifest.items() if entry["result"]["ok"]}
    failed = sorted(str(p.relative_to(units)) for p in units.rglob("*.yaml") if str(p.relative_to(units)) not in done)
    failure_lines = [line for line in stderr_path.read_text(encoding="utf-8", errors="replace").splitlines()
                     if "失败" in line and ".yaml" in line]
    seconds = sorted(r["seconds"] for r in done.values())
    outputs = sum(len(r["outputs"]) for r in done.values())
    result = {
        "units": count, "jobs": jobs, "formats": formats, "exit": proc.returncode,
        "wall_s": round(wall, 2), "wall_per_unit_s": round(wall / count, 3),
        "cpu_s": round(cpu, 2), "cpu_per_unit_s": round(cpu / count, 3),
        "user_s": round(usage.ru_utime, 2), "sys_s": round(usage.ru_stime, 2),
        "ru_maxrss_mib": round(usage.ru_maxrss / 1024, 1),
        "parent_hwm_mib": round(sampler.hwm.get(proc.pid, 0) / 1024, 1),
        "workers": len(workers),
        "worker_peak_rss_mib": round(max(workers.values(), default=0) / 1024, 1),
        "worker_peak_rss_each_mib": sorted(round(v / 1024, 1) for v in workers.values()),
        "worker_peak_pss_mib": round(max(worker_pss.values(), default=0) / 1024, 1),
        "helpers": len(helpers), "helper_peak_rss_mib": round(max(helpers.values(), default=0) / 1024, 1),
        "unit_seconds_median": round(statistics.median(seconds), 2) if seconds else None,
        "unit_seconds_p90": round(seconds[int(0.9 * (len(seconds) - 1))], 2) if seconds else None,
        "unit_seconds_max": round(seconds[-1], 2) if seconds else None,
        "ok_units": len(done), "outputs": outputs, "failed": failed, "failure_lines": failure_lines[:20],
        "other_processes_cpu_s": round(others, 1), "other_processes_cores": round(others / wall, 2),
        "quiet_wait": quiet,
        "summary": stdout_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:],
    }
    log(f"  wall {wall:.1f} s, CPU {cpu:.1f} s ({cpu / count:.2f} s/unit), worker peak RSS "
        f"{result['worker_peak_rss_mib']} MiB, ok {len(done)}/{count}, others used {others / wall:.2f} cores")
    return result


# ------------------------------------------------------------------ per document, in one process

STAGES_CHILD = r"""
import json, sys, time
from pathlib import Path
from generator.pipeline import check_file
from generator.profiles import load_profile
from generator.layout.document import build_document, build_evaluation_document
from generator.render.docx import render_docx
from generator.render.pdf import render_pdf
from generator.render.xlsx import render_xlsx

def clock():
    return time.perf_counter(), time.process_time()

def since(t):
    w, c = clock()
    return {"wall": w - t[0], "cpu": c - t[1]}

units = [Path(p) for p in json.loads(sys.argv[1])]
rows = []
for i, path in enumerate(units):
    row = {"unit": path.name}
    t = clock(); checked = check_file(path); row["check"] = since(t)
    profile = load_profile(checked.loaded.data.unit.profile or None)
    t = clock(); doc = build_document(checked, profile); row["build_main"] = since(t)
    # as the batch does: the PDF first, the DOCX's 目录 shows its page numbers
    t = clock(); pdf = render_pdf(doc, profile); row["main_pdf"] = since(t); row["main_pdf_bytes"] = len(pdf.data)
    t = clock(); data = render_docx(doc, profile, pdf.pages); row["main_docx"] = since(t); row["main_docx_bytes"] = len(data)
    t = clock(); data = render_xlsx(doc); row["main_xlsx"] = since(t)
    if checked.evaluation:
        t = clock(); ev = build_evaluation_document(checked, profile); row["build_eval"] = since(t)
        t = clock(); pdf = render_pdf(ev, profile); row["eval_pdf"] = since(t)
        t = clock(); data = render_docx(ev, profile, pdf.pages); row["eval_docx"] = since(t)
        t = clock(); data = render_xlsx(ev); row["eval_xlsx"] = since(t)
    row["warmup"] = i == 0
    print(json.dumps(row), flush=True)
"""


def per_document(units: list[Path]) -> list[dict]:
    """Each unit's stages in one fresh process; the first unit is a warm-up (its figures are kept apart)."""
    cmd = [str(PYTHON), "-c", STAGES_CHILD, json.dumps([str(u) for u in [units[0], *units]])]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=True)
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def libreoffice(docx_files: list[Path], workdir: Path) -> dict:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        return {"error": "LibreOffice (soffice) not found"}
    profile = workdir / "lo-profile"
    shutil.rmtree(profile, ignore_errors=True)
    outdir = workdir / "lo-out"
    shutil.rmtree(outdir, ignore_errors=True)
    outdir.mkdir(parents=True)

    def convert(docx: Path) -> dict:
        before = os.times()
        start = time.perf_counter()
        done = subprocess.run([exe, "--headless", f"-env:UserInstallation={profile.as_uri()}",
                               "--convert-to", "pdf", "--outdir", str(outdir), str(docx)],
                              capture_output=True, timeout=600)
        wall = time.perf_counter() - start
        after = os.times()
        cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
        produced = outdir / (docx.stem + ".pdf")
        return {"wall": wall, "cpu": cpu, "ok": done.returncode == 0 and produced.exists(),
                "bytes": produced.stat().st_size if produced.exists() else 0}

    cold = convert(docx_files[0])          # creates the private profile: not counted
    runs = [convert(d) for d in docx_files]
    # warm: one soffice converting every file, as a user converting a folder would
    warm_dir = workdir / "lo-warm"
    shutil.rmtree(warm_dir, ignore_errors=True)
    before, start = os.times(), time.perf_counter()
    subprocess.run([exe, "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf",
                    "--outdir", str(warm_dir), *map(str, docx_files)], capture_output=True, timeout=3600)
    wall, after = time.perf_counter() - start, os.times()
    warm = {"files": len(docx_files), "converted": len(list(warm_dir.glob("*.pdf"))), "wall": wall,
            "cpu": (after.children_user - before.children_user) + (after.children_system - before.children_system)}
    return {"exe": exe, "cold": cold, "runs": runs, "warm": warm,
            "version": subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()}


# ------------------------------------------------------------------ profile

PROFILE_CHILD = r"""
import cProfile, inspect, json, sys, time
from pathlib import Path
from generator.pipeline import check_file
from generator.profiles import load_profile
from generator.layout.document import build_document
import generator.render.docx as rd
import generator.render.pdf as rp
import docxtpl, pydyf, weasyprint
import weasyprint.document as wd
import weasyprint.pdf as wpdf
import weasyprint.pdf.fonts as wfonts

path, out = Path(sys.argv[1]), Path(sys.argv[2])
checked = check_file(path)
profile = load_profile(checked.loaded.data.unit.profile or None)
doc = build_document(checked, profile)
t = time.process_time(); rp.render_pdf(doc, profile); rd.render_docx(doc, profile); cold = time.process_time() - t
result = {"cold_pdf_plus_docx_cpu": cold}

# phase times without a profiler: a CPU clock around a few entry points (called a few times each)
PHASES = [
    ("pdf", "our HTML (Jinja: render_html)", rp, "render_html"),
    ("pdf", "WeasyPrint: HTML() parse", weasyprint.HTML, "__init__"),
    ("pdf", "WeasyPrint: CSS cascade", wd, "get_all_computed_styles"),
    ("pdf", "WeasyPrint: box building", wd, "build_formatting_structure"),
    ("pdf", "WeasyPrint: layout", wd, "layout_document"),
    ("pdf", "WeasyPrint: write_pdf (all)", wd.Document, "write_pdf"),
    ("pdf", "  write_pdf: painting pages", wd.Page, "paint"),
    ("pdf", "  write_pdf: fonts (subset + embed)", wpdf, "build_fonts_dictionary"),
    ("pdf", "    of which subsetting", wfonts.Font, "subset"),
    ("pdf", "  write_pdf: serialising (pydyf)", pydyf.PDF, "write"),
    ("docx", "our context (docx_context)", rd, "docx_context"),
    ("docx", "  tables' XML, streamed into the zip (_table_block)", rd, "_table_block"),
    ("docx", "template and zip (render_context)", rd, "render_context"),
    ("docx", "  docxtpl render", docxtpl.DocxTemplate, "render"),
    ("docx", "  python-docx save (zip)", docxtpl.DocxTemplate, "save"),
]
acc, originals = {}, []
for kind, label, owner, name in PHASES:
    orig = getattr(owner, name)
    originals.append((owner, name, orig))
    def wrapper(*a, _orig=orig, _key=(kind, label), **k):
        t0 = time.process_time()
        try:
            return _orig(*a, **k)
        finally:
            acc[_key] = acc.get(_key, 0.0) + time.process_time() - t0
    def gen_wrapper(*a, _orig=orig, _key=(kind, label), **k):   # a generator (layout_document): time each step
        it = _orig(*a, **k)
        while True:
            t0 = time.process_time()
            try:
                item = next(it)
            except StopIteration:
                acc[_key] = acc.get(_key, 0.0) + time.process_time() - t0
                return
            acc[_key] = acc.get(_key, 0.0) + time.process_time() - t0
            yield item
    setattr(owner, name, gen_wrapper if inspect.isgeneratorfunction(orig) else wrapper)
for kind, fn in (("pdf", lambda: rp.render_pdf(doc, profile)), ("docx", lambda: rd.render_docx(doc, profile))):
    t = time.process_time(); fn(); result[kind + "_unprofiled_cpu"] = time.process_time() - t
    result[kind + "_phases"] = [(label, acc.get((k, label), 0.0)) for k, label, _, _ in PHASES if k == kind]
for owner, name, orig in originals:
    setattr(owner, name, orig)
for name, fn in (("pdf", lambda: rp.render_pdf(doc, profile)), ("docx", lambda: rd.render_docx(doc, profile))):
    prof = cProfile.Profile(time.process_time)
    prof.enable(); fn(); prof.disable()
    prof.dump_stats(str(out / f"profile-{name}.pstats"))
print(json.dumps(result))
"""

PHASES = {
    "pdf": [
        ("our HTML (Jinja, render_html)", "generator/render/pdf.py", "render_html"),
        ("WeasyPrint total (render + write_pdf)", "generator/render/pdf.py", "render_pdf"),
        ("  HTML()/CSS() constructors (parsing)", "weasyprint/__init__.py", "__init__"),
        ("  CSS cascade (get_all_computed_styles)", "weasyprint/css/__init__.py", "get_all_computed_styles"),
        ("  box building (build_formatting_structure)", "weasyprint/formatting_structure/build.py",
         "build_formatting_structure"),
        ("  layout (layout_document)", "weasyprint/layout/__init__.py", "layout_document"),
        ("  painting (Page.paint)", "weasyprint/document.py", "paint"),
        ("  PDF writing (write_pdf)", "weasyprint/document.py", "write_pdf"),
        ("    fonts dictionary (build_fonts_dictionary)", "weasyprint/pdf/fonts.py", "build_fonts_dictionary"),
        ("    font subsetting (fontTools)", "weasyprint/pdf/fonts.py", "_fonttools_subset"),
        ("    font subsetting (HarfBuzz)", "weasyprint/pdf/fonts.py", "_harfbuzz_subset"),
    ],
    "docx": [
        ("our context (docx_context)", "generator/render/docx.py", "docx_context"),
        ("template render and zip (render_context)", "generator/render/docx.py", "render_context"),
        ("  tables' XML, streamed (_table_block)", "generator/render/docx.py", "_table_block"),
        ("  docxtpl render", "docxtpl/template.py", "render"),
        ("  python-docx save", "docx/document.py", "save"),
    ],
}

BUCKETS = [
    ("fontTools (font subsetting)", ("fontTools",)),
    ("WeasyPrint layout", ("weasyprint/layout",)),
    ("WeasyPrint CSS (cascade, selectors)", ("weasyprint/css", "cssselect2", "tinycss2")),
    ("WeasyPrint text (Pango line breaking)", ("weasyprint/text",)),
    ("WeasyPrint boxes", ("weasyprint/formatting_structure",)),
    ("WeasyPrint painting", ("weasyprint/draw", "weasyprint/stacking", "weasyprint/matrix")),
    ("WeasyPrint PDF writing + pydyf", ("weasyprint/pdf", "pydyf")),
    ("WeasyPrint other", ("weasyprint",)),
    ("HTML parsing (tinyhtml5/webencodings)", ("tinyhtml5", "webencodings")),
    ("Jinja2 templates", ("jinja2", "<template>", "templates/")),
    ("our code (generator/)", ("/work/main/generator", "generator/")),
    ("docxtpl", ("docxtpl",)),
    ("python-docx", ("/docx/",)),
    ("lxml", ("lxml",)),
    ("zip/zlib/compression", ("zipfile", "zlib", "brotli", "compress")),
]

C_BUCKETS = [  # built-ins (filename "~") kept apart by their name; other built-ins count for their callers
    ("lxml", ("lxml",)),
    ("zip/zlib/compression", ("zlib", "compress", "crc32", "brotli")),
]


def bucket_of(filename: str, func: str) -> str:
    if filename == "~":
        for label, keys in C_BUCKETS:
            if any(k in func for k in keys):
                return label
        return ""          # a small built-in: its time goes to its callers' packages
    for label, keys in BUCKETS:
        if any(k in filename for k in keys):
            return label
    if "site-packages" in filename:
        return "other packages"
    if "/lib/python3" in filename:
        return "Python stdlib"
    return "other"


def analyse(pstats_path: Path, kind: str, top: int = 15) -> dict:
    import pstats

    stats = pstats.Stats(str(pstats_path))
    total = stats.total_tt
    raw = stats.stats  # (file, line, func) -> (cc, nc, tt, ct, callers)
    phases = []
    for label, file_part, func in PHASES[kind]:
        ct = sum(v[3] for (f, _, fn), v in raw.items() if fn == func and f.endswith(file_part))
        if ct:
            phases.append((label, round(ct, 3), round(100 * ct / total, 1)))
    buckets: dict[str, float] = {}
    for (f, _, fn), v in raw.items():
        label = bucket_of(f, fn)
        if label:
            buckets[label] = buckets.get(label, 0.0) + v[2]
            continue
        callers = v[4] or {}
        caller_tt = sum(c[2] for c in callers.values()) or 1.0
        for (cf, _, cfn), c in callers.items():   # a built-in's self time, shared among its callers
            share = v[2] * c[2] / caller_tt
            label = bucket_of(cf, cfn) or "other built-ins (C)"
            buckets[label] = buckets.get(label, 0.0) + share
        if not callers:
            buckets["other built-ins (C)"] = buckets.get("other built-ins (C)", 0.0) + v[2]
    by_bucket = sorted(((k, round(v, 3), round(100 * v / total, 1)) for k, v in buckets.items()),
                       key=lambda x: -x[1])
    short = lambda f: f.replace(str(ROOT / ".venv/lib/python3.11/site-packages") + "/", "").replace(str(ROOT) + "/", "")
    by_self = sorted(raw.items(), key=lambda kv: -kv[1][2])[:top]
    top_self = [(f"{short(f)}:{line}({fn})", round(v[2], 3), round(v[3], 3), v[1]) for (f, line, fn), v in by_self]
    interesting = [(k, v) for k, v in raw.items() if "cProfile" not in k[0] and k[2] not in ("<lambda>",)]
    by_cum = sorted(interesting, key=lambda kv: -kv[1][3])[:top + 10]
    top_cum = [(f"{short(f)}:{line}({fn})", round(v[2], 3), round(v[3], 3), v[1]) for (f, line, fn), v in by_cum]
    return {"total_s": round(total, 3), "phases": phases, "buckets": by_bucket, "top_self": top_self,
            "top_cumulative": top_cum}


def profile_unit(unit: Path, workdir: Path) -> dict:
    out = workdir / "profile"
    out.mkdir(exist_ok=True)
    done = subprocess.run([str(PYTHON), "-c", PROFILE_CHILD, str(unit), str(out)], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["unit"] = unit.name
    for kind in ("pdf", "docx"):
        result[kind] = analyse(out / f"profile-{kind}.pstats", kind)
    return result


# ------------------------------------------------------------------ main


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-evaluation", action="store_true", help="units without the 绩效 section")
    parser.add_argument("--realistic", action="store_true",
                        help="units sized as published documents (make_units.py --realistic): 15–30 + 5–20 pages, "
                             "one in ten without 绩效, one in twenty a consolidated department")
    parser.add_argument("--skip-jobs1", action="store_true", help="no --jobs 1 runs (no speed-up figure)")
    parser.add_argument("--subset", type=int, default=60, help="units of the --jobs 1 (and same-set --jobs 2) runs")
    parser.add_argument("--jobs1-limit-min", type=float, default=25.0,
                        help="run --jobs 1 on all units only if the subset run predicts less than this")
    parser.add_argument("--lo-units", type=int, default=20)
    parser.add_argument("--formats", default="docx,pdf")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "juesuan-bench")
    parser.add_argument("--max-quiet-wait", type=float, default=120.0,
                        help="before each timed run, wait up to this many seconds for other processes to go quiet")
    parser.add_argument("--skip-lo", action="store_true")
    parser.add_argument("--skip-profile", action="store_true")
    args = parser.parse_args()

    work = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    units_dir, subset_dir = work / "units", work / f"units-{args.subset}"
    for d in (units_dir, subset_dir):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir()
    log(f"writing {args.units} units (seed {args.seed}{', no evaluation' if args.no_evaluation else ''}"
        f"{', realistic' if args.realistic else ''}) to {units_dir}")
    write_units(args.units, units_dir, args.seed, 2024, not args.no_evaluation, args.realistic)
    write_units(args.subset, subset_dir, args.seed, 2024, not args.no_evaluation, args.realistic)
    sizes = [p.stat().st_size for p in units_dir.rglob("*.yaml")]

    results: dict = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "kernel": platform.release(),
                    "cpu_model": next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                                       if l.startswith("model name")), "?"),
                    "mem_total_mib": int(Path("/proc/meminfo").read_text().split()[1]) // 1024},
        "units": args.units, "seed": args.seed, "evaluation": not args.no_evaluation, "realistic": args.realistic,
        "formats": args.formats,
        "unit_file_kib_median": round(statistics.median(sizes) / 1024, 1), "runs": [],
    }
    runs = results["runs"]

    if args.skip_jobs1:
        sub1 = {"wall_s": float("inf"), "units": 1}
        results["jobs1_full_measured"] = True        # nothing to extrapolate
    else:
        sub1 = run_batch(subset_dir, work / f"out-j1-{args.subset}", 1, args.formats, args.max_quiet_wait)
        runs.append(sub1)
    predicted = sub1["wall_s"] * args.units / max(1, sub1["units"])
    results["jobs1_predicted_full_wall_s"] = round(predicted, 1) if not args.skip_jobs1 else None
    if args.skip_jobs1:
        pass
    elif args.subset < args.units and predicted <= args.jobs1_limit_min * 60:
        runs.append(run_batch(units_dir, work / "out-j1-all", 1, args.formats, args.max_quiet_wait))
        results["jobs1_full_measured"] = True
    else:
        results["jobs1_full_measured"] = args.subset >= args.units
        log(f"--jobs 1 on all {args.units} units would take ~{predicted / 60:.0f} min "
            f"(> {args.jobs1_limit_min:.0f} min): extrapolated from the {args.subset}-unit subset")
    if args.subset < args.units and not args.skip_jobs1:
        runs.append(run_batch(subset_dir, work / f"out-j2-{args.subset}", 2, args.formats, args.max_quiet_wait))
    full2 = run_batch(units_dir, work / "out-j2-all", 2, args.formats, args.max_quiet_wait)
    runs.append(full2)

    # speed-up on the same set of units
    by = {(r["units"], r["jobs"]): r for r in runs}
    n_same = args.units if (args.units, 1) in by else args.subset
    if (n_same, 1) in by and (n_same, 2) in by:
        results["speedup_1_to_2"] = round(by[(n_same, 1)]["wall_s"] / by[(n_same, 2)]["wall_s"], 2)
        results["speedup_units"] = n_same

    chosen = sorted(units_dir.glob("*.yaml"))[: args.lo_units]      # top-level units (no department)
    if not args.skip_lo and chosen:
        log(f"per-document stages of {len(chosen)} units in one process")
        wait_for_quiet(args.max_quiet_wait)
        stages = per_document(chosen)
        results["per_document"] = stages
        out2 = work / "out-j2-all"
        docx = []
        for unit in chosen:
            match = json.loads((out2 / MANIFEST).read_text(encoding="utf-8")).get(str(unit.relative_to(units_dir)))
            if match:
                docx += [out2 / o for o in match["result"]["outputs"] if o.endswith("部门决算.docx")]
        log(f"LibreOffice: converting {len(docx)} main-document DOCX files")
        wait_for_quiet(args.max_quiet_wait)
        results["libreoffice"] = libreoffice(docx, work)
    if not args.skip_profile and chosen and results.get("per_document"):
        steady = [s for s in results["per_document"] if not s["warmup"]]
        steady.sort(key=lambda s: s["main_pdf"]["cpu"])
        pick = units_dir / steady[len(steady) // 2]["unit"]
        log(f"profiling {pick.name} (median main-PDF time)")
        wait_for_quiet(args.max_quiet_wait)
        results["profile"] = profile_unit(pick, work)

    (work / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    report(results)
    print(f"\nall figures: {work / 'results.json'}")


# ------------------------------------------------------------------ the table


def report(r: dict) -> None:
    print(f"\n== juesuan batch benchmark, {r['date']} — {r['machine']['cpus']} CPUs ({r['machine']['cpu_model']}), "
          f"Python {r['machine']['python']}")
    print(f"units: synthetic, seed {r['seed']}, {'with' if r['evaluation'] else 'WITHOUT'} 绩效 evaluation, "
          f"median file {r['unit_file_kib_median']} KiB; formats {r.get('formats', 'docx,pdf')} (main document"
          f"{' + 绩效 document' if r['evaluation'] else ''})\n")
    head = (f"{'units':>5} {'jobs':>4} {'wall':>9} {'wall/unit':>9} {'CPU/unit':>9} {'peak RSS/worker':>15} "
            f"{'peak PSS':>8} {'ok':>7} {'others':>7}")
    print(head)
    print("-" * len(head))
    for run in r["runs"]:
        print(f"{run['units']:>5} {run['jobs']:>4} {run['wall_s']:>8.1f}s {run['wall_per_unit_s']:>8.2f}s "
              f"{run['cpu_per_unit_s']:>8.2f}s {run['worker_peak_rss_mib']:>11.0f} MiB {run['worker_peak_pss_mib']:>4.0f} MiB"
              f" {run['ok_units']:>3}/{run['units']:<3} {run['other_processes_cores']:>5.2f}c")
    if not r.get("jobs1_full_measured"):
        sub = next(x for x in r["runs"] if x["jobs"] == 1)
        print(f"{r['units']:>5} {1:>4} {r['jobs1_predicted_full_wall_s']:>8.1f}s   "
              f"EXTRAPOLATED from the {sub['units']}-unit --jobs 1 run (× {r['units']}/{sub['units']})")
    if "speedup_1_to_2" in r:
        print(f"\nspeed-up --jobs 1 → --jobs 2 (same {r['speedup_units']} units): {r['speedup_1_to_2']}×")
    print("'others' = cores used by other processes on the machine during the run (shared machine)")

    stages = [s for s in r.get("per_document", []) if not s["warmup"]]
    if stages:
        print(f"\nper unit, in one warm process ({len(stages)} units; median CPU s / median wall s):")
        for key, label in (("check", "load + check"), ("build_main", "build 部门决算 document"),
                           ("main_docx", "部门决算 DOCX"), ("main_pdf", "部门决算 PDF"),
                           ("main_xlsx", "部门决算 XLSX"),
                           ("build_eval", "build 绩效自评 document"), ("eval_docx", "绩效自评 DOCX"),
                           ("eval_pdf", "绩效自评 PDF"), ("eval_xlsx", "绩效自评 XLSX")):
            cpu = median([s[key]["cpu"] for s in stages if key in s])
            wall = median([s[key]["wall"] for s in stages if key in s])
            if cpu is not None:
                print(f"  {label:26} {cpu:7.3f} s CPU {wall:7.3f} s wall")
        total = median([sum(s[k]["cpu"] for k in s if isinstance(s[k], dict)) for s in stages])
        print(f"  {'whole unit (sum)':26} {total:7.3f} s CPU")
    lo = r.get("libreoffice")
    if lo and lo.get("runs"):
        walls = [x["wall"] for x in lo["runs"] if x["ok"]]
        cpus = [x["cpu"] for x in lo["runs"] if x["ok"]]
        ours_w = median([s["main_pdf"]["wall"] for s in stages])
        ours_c = median([s["main_pdf"]["cpu"] for s in stages])
        print(f"\nLibreOffice ({lo['version']}): DOCX→PDF, {len(walls)}/{len(lo['runs'])} ok, one soffice per file: "
              f"median {median(walls):.2f} s wall, {median(cpus):.2f} s CPU (cold first run {lo['cold']['wall']:.1f} s)")
        print(f"our PDF path (部门决算, same units): median {ours_w:.2f} s wall, {ours_c:.2f} s CPU")
        print(f"ratio LibreOffice / ours: {median(walls) / ours_w:.2f}× wall, {median(cpus) / ours_c:.2f}× CPU")
        warm = lo.get("warm")
        if warm:
            per = warm["wall"] / max(1, warm["converted"])
            print(f"LibreOffice warm (one soffice, {warm['converted']}/{warm['files']} files): {per:.2f} s wall per file, "
                  f"{warm['cpu'] / max(1, warm['converted']):.2f} s CPU per file; warm / cold {per / median(walls):.2f}×, "
                  f"warm / ours {per / ours_w:.2f}×")
    prof = r.get("profile")
    if prof:
        print(f"\nprofile of {prof['unit']} (cProfile, warm process; unprofiled CPU: PDF {prof['pdf_unprofiled_cpu']:.2f} s, "
              f"DOCX {prof['docx_unprofiled_cpu']:.2f} s; first PDF+DOCX in the process {prof['cold_pdf_plus_docx_cpu']:.2f} s)")
        for kind in ("pdf", "docx"):
            p = prof[kind]
            whole = prof[kind + "_unprofiled_cpu"]
            print(f"\n  {kind.upper()} path: phases, CPU without profiler (total {whole:.2f} s):")
            for label, s in prof[kind + "_phases"]:
                print(f"    {label:48} {s:7.2f} s {100 * s / whole:5.1f} %")
            print(f"  under cProfile ({p['total_s']:.2f} s, overhead inflates many small calls) — self time by package:")
            for label, s, pct in p["buckets"][:9]:
                print(f"    {label:48} {s:7.2f} s {pct:5.1f} %")
            print("  top functions by self time (self s, cumulative s, calls):")
            for name, tt, ct, n in p["top_self"][:8]:
                print(f"    {tt:6.2f} {ct:6.2f} {n:>8}  {name[:110]}")


if __name__ == "__main__":
    main()
