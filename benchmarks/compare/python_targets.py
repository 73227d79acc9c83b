#!/usr/bin/env python3
"""Python's side of issue 16's target rows that python_manager_bench.py has no line for, measured
the same way (median of --reps, one JSON object per line, the same field names as ManagerBench):

  list_getitem_cpu   one blocking call (l[i % 1000], as list_getitem) with the CPU time per call
                     of this client process and of the manager process (/proc/<pid>/stat)
  cpu_hog_getitem    the same call's latency with a busy loop pinned to CPU 0
                     (taskset -c 0 sh -c 'while :; do :; done', ManagerBench's CpuHog), runs
                     alternating with quiet ones; "rise" = hogged median / quiet median

Stdlib only (and taskset, util-linux).

    python3 python_targets.py [--tcp] [--reps 3] [--quick]
"""
import argparse
import json
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import time

HOG = ['taskset', '-c', '0', 'sh', '-c', 'while :; do :; done']
CLOCK_TICK = os.sysconf('SC_CLK_TCK')


# The same JSON lines as the baseline script's (vendored unchanged, so imported, not copied).
from python_manager_bench import emit, report  # noqa: E402
from python_extras import new_manager  # noqa: E402


def process_cpu_s(pid):
    """utime + stime of a whole process (all its threads), in seconds."""
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICK


def list_get(l, n):
    size = len(l)
    t = time.perf_counter()
    for i in range(n):
        l[i % size]
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--tcp', action='store_true')
    ap.add_argument('--reps', type=int, default=3)
    ap.add_argument('--quick', action='store_true')
    ap.add_argument('--start-method', default='fork')
    args = ap.parse_args()
    ctx = mp.get_context(args.start_method)
    n = 2000 if args.quick else 20000
    m = new_manager(ctx, args.tcp)
    manager_pid = m._process.pid
    emit(meta='env', python=sys.version.split()[0], family='AF_INET' if args.tcp else 'AF_UNIX',
         nproc=os.cpu_count(), reps=args.reps, loadavg=os.getloadavg(), script='python_targets')
    l = m.list(range(1000))
    runs, client_cpu, manager_cpu = [], [], []
    for _ in range(args.reps):
        c0, m0 = time.process_time(), process_cpu_s(manager_pid)
        runs.append(list_get(l, n))
        client_cpu.append((time.process_time() - c0) / n * 1e6)
        manager_cpu.append((process_cpu_s(manager_pid) - m0) / n * 1e6)
    report('list_getitem_cpu', 1, n, runs,
           client_cpu_us_per_op=round(statistics.median(client_cpu), 1),
           manager_cpu_us_per_op=round(statistics.median(manager_cpu), 1),
           note='l[i % 1000]; CPU time of this client process and of the manager process')
    quiet, hogged = [], []
    for _ in range(args.reps):
        quiet.append(list_get(l, n))
        hog = subprocess.Popen(HOG)
        try:
            time.sleep(0.2)  # scheduled and on its core before the clock starts
            if hog.poll() is not None:
                sys.exit('the CPU hog exited at once (taskset missing?)')
            hogged.append(list_get(l, n))
        finally:
            hog.kill()
            hog.wait()
    report('cpu_hog_getitem', 1, n, hogged,
           quiet_us_per_op=round(statistics.median(quiet) / n * 1e6, 2),
           quiet_runs_s=[round(r, 6) for r in quiet],
           rise=round(statistics.median(hogged) / statistics.median(quiet), 2),
           hog="taskset -c 0 sh -c 'while :; do :; done'")
    m.shutdown()


if __name__ == '__main__':
    main()
