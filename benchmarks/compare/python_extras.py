#!/usr/bin/env python3
"""The workloads the comparison needs that ../shared/bench/python_manager_bench.py has no line for,
measured the same way (median of --reps, one JSON object per line, the same field names):
proxy creation, manager start-up, pool start-up, Pool.map of trivial tasks, and the manager's
resident memory holding a list of 1,000,000 integers.  Stdlib only.

    python3 python_extras.py [--tcp] [--reps 3] [--quick]
"""
import argparse
import json
import multiprocessing as mp
import os
import sys
import time
from multiprocessing import managers


# The same JSON lines as the baseline script's (vendored unchanged, so imported, not copied).
from python_manager_bench import emit, report  # noqa: E402


def new_manager(ctx, tcp):
    m = managers.SyncManager(address=('127.0.0.1', 0) if tcp else None, ctx=ctx)
    m.start()
    return m


def proxy_create(m, n):
    t = time.perf_counter()
    for _ in range(n):
        m.list()
    return time.perf_counter() - t


def manager_startup(ctx, tcp):
    t = time.perf_counter()
    m = new_manager(ctx, tcp)
    len(m.list())
    dt = time.perf_counter() - t
    m.shutdown()
    return dt


def pool_startup(ctx, k):
    t = time.perf_counter()
    pool = ctx.Pool(k)
    pool.map(abs, range(4 * k), chunksize=1)
    dt = time.perf_counter() - t
    pool.terminate()
    pool.join()
    return dt


def pool_map_trivial(ctx, k, n, reps):
    with ctx.Pool(k) as pool:
        pool.map(abs, range(4 * k), chunksize=1)
        runs = []
        for _ in range(reps):
            t = time.perf_counter()
            out = pool.map(abs, range(n))
            runs.append(time.perf_counter() - t)
            assert len(out) == n
    return runs


def rss_bytes(pid):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) * 1024
    raise RuntimeError('no VmRSS')


def memory(ctx, tcp):
    m = new_manager(ctx, tcp)
    l = m.list()
    len(l)
    before = rss_bytes(m._process.pid)
    for start in range(0, 1_000_000, 100_000):
        l.extend(range(start, start + 100_000))
    assert len(l) == 1_000_000
    after = rss_bytes(m._process.pid)
    m.shutdown()
    emit(bench='memory_list_1m_ints', rss_bytes=after, rss_before_bytes=before,
         rss_delta_bytes=after - before)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--tcp', action='store_true')
    ap.add_argument('--reps', type=int, default=3)
    ap.add_argument('--quick', action='store_true')
    ap.add_argument('--start-method', default='fork')
    args = ap.parse_args()
    ctx = mp.get_context(args.start_method)
    n = 2000 if args.quick else 20000
    reps = range(args.reps)
    m = new_manager(ctx, args.tcp)
    emit(meta='env', python=sys.version.split()[0], family='AF_INET' if args.tcp else 'AF_UNIX',
         nproc=os.cpu_count(), reps=args.reps, script='python_extras')
    proxy_create(m, 10)
    report('proxy_create', 1, n // 10, [proxy_create(m, n // 10) for _ in reps],
           note='m.list(); the proxy is dropped (decref on a fresh connection)')
    m.shutdown()
    report('pool_map_trivial', 2, n * 5, pool_map_trivial(ctx, 2, n * 5, args.reps),
           chunksize='default')
    for k in (2, 4):
        report('pool_startup', k, 1, [pool_startup(ctx, k) for _ in reps])
    report('manager_startup', 1, 1, [manager_startup(ctx, args.tcp) for _ in reps])
    memory(ctx, args.tcp)


if __name__ == '__main__':
    main()
