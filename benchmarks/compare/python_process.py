#!/usr/bin/env python3
"""Python's side of the process rows: Process(target=f).start(); join() with an empty target, and the
seed's deposit/withdraw (two processes, ten locked updates each of a shared Value) from creating the
Value to both joins; each with the fork and the spawn start method. The same JSON lines as the
other scripts (median of --reps, after one untimed run).  Stdlib only.

    python3 python_process.py [--reps 3]
"""
import argparse
import json
import multiprocessing as mp
import statistics
import time


def emit(**kw):
    print(json.dumps(kw), flush=True)


def report(bench, clients, runs, **extra):
    med = statistics.median(runs)
    emit(bench=bench, clients=clients, ops=1, seconds=round(med, 6), ops_per_s=round(1 / med, 1),
         us_per_op=round(med * 1e6, 2), min_s=round(min(runs), 6), max_s=round(max(runs), 6),
         runs_s=[round(r, 6) for r in runs], **extra)


def empty():
    pass


def save_money(money):
    money.acquire()
    for i in range(10):
        money.value += i + 1
    money.release()


def take_money(money):
    money.acquire()
    for i in range(10):
        money.value -= i + 1
    money.release()


def process_startup(ctx):
    t = time.perf_counter()
    p = ctx.Process(target=empty)
    p.start()
    p.join()
    dt = time.perf_counter() - t
    assert p.exitcode == 0
    return dt


def deposit_withdraw(ctx):
    t = time.perf_counter()
    money = ctx.Value('i', 1000)
    d = ctx.Process(target=save_money, args=(money,))
    d.start()
    w = ctx.Process(target=take_money, args=(money,))
    w.start()
    d.join()
    w.join()
    dt = time.perf_counter() - t
    assert d.exitcode == 0 and w.exitcode == 0 and money.value == 1000
    return dt


def timed(run, ctx, reps):
    run(ctx)  # untimed, as ours: imports and caches warm
    return [run(ctx) for _ in range(reps)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--reps', type=int, default=3)
    args = ap.parse_args()
    for method in ('fork', 'spawn'):
        ctx = mp.get_context(method)
        report('process_startup_' + method, 1, timed(process_startup, ctx, args.reps),
               start_method=method, note='Process(target=empty).start(); join()')
        report('deposit_withdraw_' + method, 2, timed(deposit_withdraw, ctx, args.reps),
               start_method=method,
               note="Value('i', 1000), two processes of ten locked updates, both joined")


if __name__ == '__main__':
    main()
