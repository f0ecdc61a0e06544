"""One ``govreport`` command in a fresh process, measured as a user would run it.

    from measure import run_cli              # a benchmark script's own folder is on sys.path
    wall, cpu, peak_mib, status = run_cli(ROOT, ["check", "docs", "--jsonl", "out.jsonl"])

Three things would otherwise skew what a benchmark prints:

- **Bytecode.**  ``PYTHONDONTWRITEBYTECODE`` (set in some shells and CI images) stops Python
  writing ``.pyc`` files, so every module changed since they were last written is compiled
  again at every start.  An installed package has its bytecode; the command here runs
  without that variable, and ``compile_package`` writes it once up front.
- **The entry point.**  ``govreport`` imports ``cli`` as a module, whose bytecode is cached;
  ``python cli.py`` compiles it as a script every time.  The command runs as the entry
  point does.
- **Peak memory.**  Linux carries a process's peak resident size across ``fork`` and
  ``exec``: a command forked from a benchmark that has loaded the models reports the
  benchmark's own size.  The command is started by a small launcher interpreter, which
  reports its child's figures.
"""

from __future__ import annotations

import compileall
import json
import os
import subprocess
import sys
from pathlib import Path

# Runs in a fresh interpreter: starts the command, waits for it, prints its figures.
_LAUNCHER = """
import json, os, subprocess, sys, time
t0 = time.perf_counter()
proc = subprocess.Popen(sys.argv[2:], cwd=sys.argv[1], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
err = proc.stderr.read()
_pid, status, usage = os.wait4(proc.pid, 0)
wall = time.perf_counter() - t0
print(json.dumps([wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
                  os.waitstatus_to_exitcode(status), err[-2000:].decode("utf-8", "replace")]))
"""
_ENTRY = "import sys; from cli import app; sys.exit(app())"


def clean_env(code: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(code)
    return env


def compile_package(code: Path) -> None:
    """Write the bytecode of ``code``'s ``nlp`` package and ``cli.py``, as an install does."""
    compileall.compile_dir(str(code / "nlp"), quiet=1)
    compileall.compile_file(str(code / "cli.py"), quiet=1)


def run_cli(code: Path, args: list[str], cwd: Path | None = None) -> tuple[float, float, float, int]:
    """(wall seconds, CPU seconds, peak RSS MiB, exit status) of ``govreport args`` run
    from the checkout ``code``; worker processes it reaps are included in CPU and peak."""
    cmd = [sys.executable, "-c", _LAUNCHER, str(cwd or code), sys.executable, "-c", _ENTRY, *args]
    done = subprocess.run(cmd, env=clean_env(code), capture_output=True, text=True, check=True)
    wall, cpu, peak, status, err = json.loads(done.stdout.strip().splitlines()[-1])
    if status not in (0, 1):
        print(f"  (govreport {' '.join(args[:2])}… exited {status}: {err.strip()[-300:]})", file=sys.stderr)
    return wall, cpu, peak, status
