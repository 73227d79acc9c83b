# Vendored from the project brief (shared/bench/python_manager_bench.py), unchanged below this
# header, so benchmarks/compare/run works from a clone alone. Python baseline; stdlib only.
#!/usr/bin/env python3
"""Baseline numbers for multiprocessing.Manager (SyncManager) proxies. Stdlib only.

    python3 py_manager_bench.py           # manager on its default transport (AF_UNIX on Linux)
    python3 py_manager_bench.py --tcp     # manager listens on 127.0.0.1 (closer to gRPC on localhost)

Prints one JSON object per line.  Timed lines ("bench") give the median of --reps runs in
"seconds", "ops_per_s", "us_per_op", plus "min_s", "max_s" and every run in "runs_s".
"check" lines are semantic observations: proxy round trips counted per expression,
propagation of nested mutations, lost updates without a lock.
"""
import argparse
import functools
import json
import multiprocessing as mp
import os
import pickle
import statistics
import sys
import time
from multiprocessing import managers
from multiprocessing.connection import Client, Listener

N = 20000          # ops for most benches
KS = (1, 2, 4, 8)  # worker counts for the pool / concurrent benches


def emit(**kw):
    print(json.dumps(kw), flush=True)


def report(bench, clients, ops, runs, **extra):
    med = statistics.median(runs)
    emit(bench=bench, clients=clients, ops=ops, seconds=round(med, 6),
         ops_per_s=round(ops / med, 1), us_per_op=round(med / ops * 1e6, 2),
         min_s=round(min(runs), 6), max_s=round(max(runs), 6),
         runs_s=[round(r, 6) for r in runs], **extra)


# ---- single client (this process); each returns the seconds of its timed loop ----------
# The first call on a proxy opens this process's connection; it is done before the clock.

def list_append(m):
    l = m.list(); len(l)
    t = time.perf_counter()
    for i in range(N):
        l.append(i)
    dt = time.perf_counter() - t
    assert len(l) == N
    return dt


def list_getitem(m):
    l = m.list(range(1000)); n = len(l)
    t = time.perf_counter()
    for i in range(N):
        l[i % n]
    return time.perf_counter() - t


def list_len(m):
    l = m.list(range(1000)); len(l)
    t = time.perf_counter()
    for _ in range(N):
        len(l)
    return time.perf_counter() - t


def dict_setitem(m):
    d = m.dict(); len(d)
    t = time.perf_counter()
    for i in range(N):
        d[i] = i
    dt = time.perf_counter() - t
    assert len(d) == N
    return dt


def dict_getitem(m):
    d = m.dict(dict.fromkeys(range(N), 0)); len(d)
    t = time.perf_counter()
    for i in range(N):
        d[i]
    return time.perf_counter() - t


ITERS_LOCKED = 5000


def value_incr_locked(m):
    v, lock = m.Value('i', 0), m.Lock(); v.value; lock.acquire(); lock.release()
    t = time.perf_counter()
    for _ in range(ITERS_LOCKED):
        with lock:
            v.value += 1
    dt = time.perf_counter() - t
    assert v.value == ITERS_LOCKED
    return dt


ITER_LEN = 10000
SLICE_COPIES = 200


def list_iterate(m):
    l = m.list(range(ITER_LEN)); len(l)
    t = time.perf_counter()
    for x in l:
        pass
    return time.perf_counter() - t


def list_slice_copy(m):
    l = m.list(range(ITER_LEN)); len(l)
    t = time.perf_counter()
    for _ in range(SLICE_COPIES):
        assert len(l[:]) == ITER_LEN
    return time.perf_counter() - t


# ---- several client processes --------------------------------------------------------

def _worker(kind, proxy, n, barrier, stamps):
    proxy.qsize() if kind in ('put', 'get') else len(proxy)   # connect before the clock
    barrier.wait()
    t0 = time.perf_counter()
    if kind == 'append':
        for i in range(n):
            proxy.append(i)
    elif kind == 'put':
        for i in range(n):
            proxy.put(i)
    else:
        for _ in range(n):
            proxy.get()
    stamps.put((t0, time.perf_counter()))


def run_procs(ctx, jobs):
    """jobs: [(kind, proxy, n)], one process each. Seconds from first worker start to last end
    (perf_counter is CLOCK_MONOTONIC, comparable across processes on Linux)."""
    barrier, stamps = ctx.Barrier(len(jobs)), ctx.SimpleQueue()
    ps = [ctx.Process(target=_worker, args=(*job, barrier, stamps)) for job in jobs]
    for p in ps:
        p.start()
    marks = [stamps.get() for _ in ps]
    for p in ps:
        p.join()
    assert all(p.exitcode == 0 for p in ps), 'worker failed'
    return max(e for _, e in marks) - min(s for s, _ in marks)


def queue_put_get(ctx, m):
    q = m.Queue()
    dt = run_procs(ctx, [('put', q, N), ('get', q, N)])
    return dt, q.qsize() == 0


def concurrent_append(ctx, m, k):
    l = m.list()
    dt = run_procs(ctx, [('append', l, N // k)] * k)
    return dt, len(l) == N


def _pool_task(l, i):
    l.append(i)


def pool_append(ctx, m, k, chunksize, n=N):
    l = m.list()
    pool = ctx.Pool(k)
    pool.map(abs, range(4 * k), chunksize=1)            # workers up before the clock
    t = time.perf_counter()
    pool.map(functools.partial(_pool_task, l), range(n), chunksize=chunksize)
    dt = time.perf_counter() - t
    pool.close(); pool.join()
    return dt, len(l) == n


def _echo(address):
    with Client(address) as c:
        while c.recv() is not None:
            c.send(('#RETURN', None))


def conn_pingpong(ctx, family):
    """Python floor without the manager: multiprocessing.connection request/reply of the
    same message shapes a proxy call uses, over the manager's socket family."""
    with Listener(family=family) as lst:
        p = ctx.Process(target=_echo, args=(lst.address,)); p.start()
        with lst.accept() as c:
            c.send((None, 'append', (0,), {})); c.recv()
            t = time.perf_counter()
            for i in range(N):
                c.send(('0x7f0000000000', 'append', (i,), {}))
                c.recv()
            dt = time.perf_counter() - t
            c.send(None)
        p.join()
    return dt


# ---- semantics ---------------------------------------------------------------------

class CallCounter:
    """Counts proxy method calls (_callmethod: one request/reply on this thread's open
    connection) and control messages (dispatch: create/incref/decref, each of which opens a
    fresh authenticated connection to the manager)."""

    def __enter__(self):
        self.calls = self.control = 0
        self._cm, self._disp = managers.BaseProxy._callmethod, managers.dispatch

        def cm(proxy, *a, **kw):
            self.calls += 1
            return self._cm(proxy, *a, **kw)

        def disp(*a, **kw):
            self.control += 1
            return self._disp(*a, **kw)
        managers.BaseProxy._callmethod, managers.dispatch = cm, disp
        return self

    def __exit__(self, *exc):
        managers.BaseProxy._callmethod, managers.dispatch = self._cm, self._disp


def _incr(v, n, lock):
    for _ in range(n):
        if lock is None:
            v.value += 1
        else:
            with lock:
                v.value += 1


def checks(ctx, m):
    l, scratch = m.list(range(ITER_LEN)), m.list(); len(l); len(scratch)
    d = m.dict(dict.fromkeys(range(100), 0)); len(d)
    v, lock, q = m.Value('i', 0), m.Lock(), m.Queue(); v.value; q.qsize()
    outer = m.list([m.list()])

    def incr_locked():
        with lock:
            v.value += 1

    def iadd():
        nonlocal scratch
        scratch += [1, 2]
    for expr, fn in [
            ('len(l)', lambda: len(l)),
            ('l.append(x)', lambda: scratch.append(1)),
            ('l[i]', lambda: l[5]),
            ('x in l', lambda: 5 in l),
            ('l += [1, 2]', iadd),
            ('for x in l  (10000 elements)', lambda: [x for x in l]),
            ('list(l)  (10000 elements)', lambda: list(l)),
            ('l[:]  (10000 elements)', lambda: l[:]),
            ('reversed(l)  (10000 elements)', lambda: list(reversed(l))),
            ('for k in d  (100 keys)', lambda: [k for k in d]),
            ('d.items()  (100 keys)', lambda: d.items()),
            ('with lock: v.value += 1', incr_locked),
            ('q.put(x); q.get()', lambda: (q.put(1), q.get())),
            ('outer[0].append(x)  (outer[0] is a proxy)', lambda: outer[0].append(1)),
            ('pickle round trip of a proxy (what Pool does per chunk)',
             lambda: pickle.loads(pickle.dumps(l))),
    ]:
        with CallCounter() as c:
            fn()
        emit(check='round_trips', expr=expr, proxy_calls=c.calls, fresh_connections=c.control)

    plain = m.list([[]])
    plain[0].append(1)
    emit(check='nested_plain_list', expr='p = m.list([[]]); p[0].append(1)',
         p0_after=plain[0], propagated=plain[0] == [1])
    emit(check='nested_proxy', expr='o = m.list([m.list()]); o[0].append(1)',
         o0_after=list(outer[0]), propagated=list(outer[0]) == [1])
    tv = m.Value('i', 0); tv.value = 'not an int'
    emit(check='value_typecode', expr="v = m.Value('i', 0); v.value = 'not an int'",
         value_after=tv.value, typecode_enforced=tv.value != 'not an int')

    n, k = 2000, 2
    for use_lock in (False, True):
        cv = m.Value('i', 0)
        ps = [ctx.Process(target=_incr, args=(cv, n, lock if use_lock else None)) for _ in range(k)]
        for p in ps:
            p.start()
        for p in ps:
            p.join()
        emit(check='incr_race', expr='v.value += 1' + (' under lock' if use_lock else ' (no lock)'),
             processes=k, expected=n * k, got=cv.value, lost=n * k - cv.value)


# ---- main ----------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--tcp', action='store_true', help='manager on 127.0.0.1 instead of AF_UNIX')
    ap.add_argument('--reps', type=int, default=3)
    ap.add_argument('--start-method', default='fork')
    ap.add_argument('--no-checks', action='store_true')
    args = ap.parse_args()
    ctx = mp.get_context(args.start_method)
    m = managers.SyncManager(address=('127.0.0.1', 0) if args.tcp else None, ctx=ctx)
    m.start()
    family = 'AF_INET' if args.tcp else 'AF_UNIX'
    emit(meta='env', python=sys.version.split()[0], start_method=args.start_method,
         manager_address=str(m.address), family=family, nproc=os.cpu_count(),
         loadavg=os.getloadavg(), reps=args.reps)
    reps = range(args.reps)

    for fn, ops, calls in [(list_append, N, 1), (list_getitem, N, 1), (list_len, N, 1),
                           (dict_setitem, N, 1), (dict_getitem, N, 1),
                           (value_incr_locked, ITERS_LOCKED, 4)]:
        report(fn.__name__, 1, ops, [fn(m) for _ in reps], proxy_calls_per_op=calls)
    report('list_iterate', 1, ITER_LEN, [list_iterate(m) for _ in reps],
           note='ops = elements; for-loop uses __getitem__ per element (+1 IndexError call)')
    report('list_slice_copy', 1, SLICE_COPIES, [list_slice_copy(m) for _ in reps],
           elements=ITER_LEN, proxy_calls_per_op=1, note='us_per_op = one l[:] of the whole list')

    res = [queue_put_get(ctx, m) for _ in reps]
    report('queue_put_get', 2, N, [r[0] for r in res], verified=all(r[1] for r in res),
           note='1 producer + 1 consumer process; ops = items; each item = put + get call')
    for k in KS:
        res = [concurrent_append(ctx, m, k) for _ in reps]
        report('concurrent_append', k, N, [r[0] for r in res], verified=all(r[1] for r in res))
    for k in KS:
        cs = -(-N // (4 * k))                     # Pool.map's own default chunksize
        res = [pool_append(ctx, m, k, cs) for _ in reps]
        report('pool_append', k, N, [r[0] for r in res], chunksize=cs,
               verified=all(r[1] for r in res))
    res = [pool_append(ctx, m, 2, 1, n=N // 10) for _ in reps]
    report('pool_append', 2, N // 10, [r[0] for r in res], chunksize=1,
           verified=all(r[1] for r in res),
           note='proxy re-pickled per task: incref + decref on fresh connections each')
    report('conn_pingpong', 1, N, [conn_pingpong(ctx, family) for _ in reps],
           note='multiprocessing.connection send/recv, no manager: Python transport floor')

    if not args.no_checks:
        checks(ctx, m)
    m.shutdown()


if __name__ == '__main__':
    main()
