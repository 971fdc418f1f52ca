#!/usr/bin/env python3
"""Run one command once and record its wall time and peak RSS, for bench/compare.sh.

Usage: measure.py RESULT STDOUT TIMEOUT OK_CODES -- COMMAND [ARG...]

Runs COMMAND with its standard output written to the file STDOUT (stderr is
passed through), and appends one line to RESULT:

    <wall seconds> <peak RSS in KiB> <exit code> <CPU seconds, user + system>
    <user seconds> <system seconds>

Wall time is measured around fork/exec/wait with a monotonic clock, so
Python's own start-up is not in it. Peak RSS is the child's ru_maxrss
(resource.RUSAGE_CHILDREN; this process has no other children). OK_CODES is a
comma-separated list of acceptable exit codes; any other code, or running
longer than TIMEOUT seconds (0 = no limit; the child is killed), makes this
script exit 124 (timeout) or 125 (unexpected code) after writing the line.
"""
import resource
import subprocess
import sys
import time


def main():
    result, stdout, timeout, ok = sys.argv[1:5]
    if sys.argv[5] != "--":
        sys.exit("usage: measure.py RESULT STDOUT TIMEOUT OK_CODES -- COMMAND...")
    cmd = sys.argv[6:]
    ok_codes = {int(c) for c in ok.split(",")}
    limit = float(timeout) or None
    with open(stdout, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out)
        try:
            code = proc.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            code = "timeout"
        wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime
    with open(result, "a", encoding="utf-8") as f:
        f.write(f"{wall:.3f} {usage.ru_maxrss} {code} {cpu:.3f} "
                f"{usage.ru_utime:.3f} {usage.ru_stime:.3f}\n")
    if code == "timeout":
        sys.exit(124)
    if code not in ok_codes:
        print(f"measure.py: {cmd[0]} exited {code} (expected {ok})", file=sys.stderr)
        sys.exit(125)


if __name__ == "__main__":
    main()
