"""The monthly run on every core: `flask reports generate --all` in one process against a pool of processes.

    python bench/monthly_bench.py [--agreements 10] [--actions 200] [--stalled 100] [--updates 600]
                                  [--processes 1 2]

Builds a throw-away SQLite database through the migrations with report_bench.py's builder (N active agreements of
M actions each, some stalled, with progress updates), then runs the CLI as cron would, once per process count,
each run archiving a new version of every agreement's report without mail:
`flask --app wsgi reports generate --month 2026-10 --all --no-mail --processes P`. Prints the wall time of each run,
the time the command itself reports, the CPU seconds it used (pool included), the speed-up over one process and the
load average before it: on a machine shared with other work, fewer cores are free than it has.
"""
import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import report_bench  # noqa: E402  (next to this script)

TOOK = re.compile(r"Took ([\d.]+) s")


def generate(database_url: str, processes: int) -> tuple[float, float, float]:
    """Wall seconds, the seconds the command reports, and the CPU seconds it and its pool used, for one run of the
    monthly command."""
    env = {**os.environ, "DATABASE_URL": database_url, "SAMVERKA_SECRET_KEY": "bench-" + "x" * 40,
           "LANG": "en_GB.UTF-8", "LC_ALL": ""}
    env.pop("REDIS_URL", None)
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    result = subprocess.run([str(Path(sys.executable).with_name("flask")), "--app", "wsgi", "reports", "generate",
                             "--month", report_bench.MONTH, "--all", "--no-mail", "--today",
                             report_bench.TODAY.isoformat(), "--processes", str(processes)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_seconds = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
    if result.returncode != 0:
        raise SystemExit(f"generate --processes {processes} failed:\n{result.stdout}\n{result.stderr}")
    took = TOOK.search(result.stdout)
    return wall, float(took.group(1)) if took else wall, cpu_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agreements", type=int, default=10)
    parser.add_argument("--actions", type=int, default=200)
    parser.add_argument("--stalled", type=int, default=100)
    parser.add_argument("--updates", type=int, default=600)
    parser.add_argument("--partners", type=int, default=6)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="samverka-monthly-") as tmp:
        database = Path(tmp) / "bench.sqlite3"
        url = f"sqlite:///{database}"
        began = time.perf_counter()
        report_bench.build(database, args.agreements, args.actions, args.stalled, args.updates, args.partners)
        print(f"Built {args.agreements} agreements x {args.actions} actions ({args.stalled} stalled), "
              f"{args.updates} updates each, in {time.perf_counter() - began:.1f} s; {os.cpu_count()} cores.")
        print(f"{'processes':>9}  {'wall s':>7}  {'reported s':>10}  {'CPU s':>6}  {'s/report':>8}  {'speed-up':>8}"
              "  load average before")
        first = None
        for processes in args.processes:
            load = os.getloadavg()[0]
            wall, took, cpu = generate(url, processes)
            first = first or wall
            print(f"{processes:>9}  {wall:>7.1f}  {took:>10.1f}  {cpu:>6.1f}  {wall / args.agreements:>8.2f}  "
                  f"{first / wall:>7.2f}x  {load:.1f}")


if __name__ == "__main__":
    main()
