"""A run killed while writing leaves no partial file under a final name (SIGINT and SIGKILL)."""

import signal
import subprocess
import sys
import time

import pytest

from conftest import DATA, ROOT

# Runs `juesuan render`, but holds every fsync (the last step before a file gets its final
# name) for a minute after announcing it: the test kills the process right there.
HELD = """
import os, sys, time
marker = sys.argv[1]
def held_fsync(fd):
    open(marker, "w").write("writing")
    time.sleep(60)
os.fsync = held_fsync
from generator.cli import main
sys.exit(main(sys.argv[2:]))
"""


def start(tmp_path, out):
    marker = tmp_path / "writing"
    process = subprocess.Popen(
        [sys.executable, "-c", HELD, str(marker), "render", str(DATA / "demo-2024-school.yaml"), "-o", str(out),
         "--format", "docx"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the render never reached its write"
        time.sleep(0.05)
    return process


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGKILL])
def test_killed_while_writing(tmp_path, signum):
    out = tmp_path / "out"
    process = start(tmp_path, out)
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    final = [p for p in out.iterdir() if not p.name.startswith(".")]
    assert final == []  # nothing under a final name
    leftovers = [p.name for p in out.iterdir() if p.name.startswith(".")]
    if signum == signal.SIGINT:
        assert process.returncode == 130 and "已中断" in err.decode()
        assert leftovers == []  # the interrupted write removed its temporary file
    else:
        assert process.returncode == -signal.SIGKILL
        assert len(leftovers) == 1 and leftovers[0].endswith(".part")
        # the next run in the same folder clears it and writes the file whole
        subprocess.run([sys.executable, "-m", "generator", "render", str(DATA / "demo-2024-school.yaml"),
                        "-o", str(out), "--format", "docx"], cwd=ROOT, check=True, capture_output=True)
        assert sorted(p.name for p in out.iterdir()) == ["2024年度示例县第一中学部门决算.docx"]
