#!/usr/bin/env python3
"""How big `fissure report` makes a page and how soon Chromium can use it.

    scripts/report_bench.py PATH [--runs 7] [--fissure target/release/fissure]

Writes the report of PATH to a temporary folder, prints its size, the time fissure took,
then opens it RUNS times in headless Chromium (`--dump-dom`, a fresh browser each time) and
prints the median and range of the moment the page's script finished (`data-ready-ms`,
`performance.now()` since navigation start): time to interactive.
"""
import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--fissure", default="target/release/fissure")
    ap.add_argument("--chromium", default="chromium")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        started = time.monotonic()
        subprocess.run([args.fissure, "report", args.path, "--out", str(page)], check=True,
                       stderr=subprocess.DEVNULL)
        took = time.monotonic() - started
        size = page.stat().st_size
        print(f"page: {size} bytes ({size / 1e6:.2f} MB), written in {took:.2f} s")
        ready = []
        for _ in range(args.runs):
            dom = subprocess.run(
                [args.chromium, "--headless", "--no-sandbox", "--disable-gpu",
                 "--window-size=1400,1000", f"--user-data-dir={tmp}/profile",
                 "--dump-dom", page.as_uri()],
                check=True, capture_output=True, text=True).stdout
            found = re.search(r'data-ready-ms="(\d+)"', dom)
            if not found:
                print("the page's script did not finish", file=sys.stderr)
                return 1
            ready.append(int(found.group(1)))
        print(f"script ready: median {statistics.median(ready):.0f} ms "
              f"(min {min(ready)}, max {max(ready)}, {args.runs} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
