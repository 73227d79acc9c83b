#!/usr/bin/env python3
"""Merges the JSON lines of one comparison run into a table (printed, and written as Markdown)
and one JSON file with every raw line.  Usage: report.py OUT_DIR

OUT_DIR holds <pass>-<impl>-<family>.jsonl files, pass in {free, pinned}, impl in {python, java},
family in {unix, tcp}, as benchmarks/compare/run writes them; with --peers also impl redis (unix,
tcp) and hazelcast (tcp), each a column of its family's table where its file exists.
"""
import glob
import json
import os
import sys

# workload, (bench, clients), how it is compared, the target, as issue 7 states them.
#   kind 'time': us_per_op, lower is better; 'rate': ops_per_s, higher is better;
#   'cold_time', 'cold_rate': ours before the JIT has warmed up (the first run, which the row above
#   leaves out), beside Python's one figure (nothing to warm up).
ROWS = [
    ('list append', ('list_append', 1), 'time', 'rt'),
    ('list get', ('list_getitem', 1), 'time', 'rt'),
    ('  floor: 64 bytes each way on a blocking socket, two JVMs, no gRPC; vs Python list get',
     ('socket_floor', 1), 'time', 'floor'),
    ('list size', ('list_len', 1), 'time', 'rt'),
    ('dict put', ('dict_setitem', 1), 'time', 'rt'),
    ('dict get', ('dict_getitem', 1), 'time', 'rt'),
    ('locked increment (lock, get, set, unlock)', ('value_incr_locked', 1), 'time', None),
    ('atomic increment: ours addAndGet vs Python locked', ('value_add_and_get', 1), 'time',
     'incr'),
    ('iterate 10,000 elements (per element)', ('list_iterate', 1), 'time', None),
    ('copy a 10,000-element list', ('list_slice_copy', 1), 'time', 'copy'),
    ('  the same, first run of copies (JIT warming up)', ('list_slice_copy', 1), 'cold_time', None),
    ('queue, 1 producer + 1 consumer process (items/s)', ('queue_put_get', 2), 'rate', 'queue'),
    ('1 client process appending (ops/s)', ('concurrent_append', 1), 'rate', None),
    ('2 client processes appending (ops/s)', ('concurrent_append', 2), 'rate', None),
    ('4 client processes appending (ops/s)', ('concurrent_append', 4), 'rate', None),
    ('8 client processes appending (ops/s)', ('concurrent_append', 8), 'rate', 'conc8'),
    ('pool of 1 appending, default chunks (ops/s)', ('pool_append', 1), 'rate', None),
    ('pool of 2 appending, default chunks (ops/s)', ('pool_append', 2), 'rate', None),
    ('pool of 4 appending, default chunks (ops/s)', ('pool_append', 4), 'rate', None),
    ('pool of 8 appending, default chunks (ops/s)', ('pool_append', 8), 'rate', None),
    ('pool Map of trivial tasks, default chunks (tasks/s)', ('pool_map_trivial', 2), 'rate',
     'poolmap'),
    ('  the same, first round (JIT warming up)', ('pool_map_trivial', 2), 'cold_rate', None),
    ('list get under a CPU hog on CPU 0', ('cpu_hog_getitem', 1), 'time', None),
    ('proxy creation', ('proxy_create', 1), 'time', 'create'),
    ('pipelined appends, 1 client (ops/s)', ('async_list_append', 1), 'rate', 'async'),
    ('manager start-up (ms)', ('manager_startup', 1), 'ms', None),
    ('pool start-up, 2 workers (ms)', ('pool_startup', 2), 'ms', None),
    ('pool start-up, 4 workers (ms)', ('pool_startup', 4), 'ms', None),
    ('start a process with an empty target and join it (ms); Python fork',
     ('process_startup', 1), 'ms', 'pfork'),
    ('  the same; Python spawn', ('process_startup', 1), 'ms', 'pspawn'),
    ("seed's deposit/withdraw, 2 processes, end to end (ms); Python fork",
     ('deposit_withdraw', 2), 'ms', 'dfork'),
    ('  the same; Python spawn', ('deposit_withdraw', 2), 'ms', 'dspawn'),
    ('manager RSS holding 1,000,000 ints (MiB)', ('memory_list_1m_ints', None), 'mem', 'mem'),
]


FAILED = []  # workloads that failed (error lines), listed under the tables


def load(path):
    lines = {}
    with open(path) as f:
        for raw in f:
            raw = raw.strip()
            if not raw.startswith('{'):
                continue
            line = json.loads(raw)
            if 'bench' not in line:
                continue
            if 'error' in line:
                FAILED.append('%s: %s with %s processes: %s' % (
                    os.path.basename(path), line['bench'], line.get('clients'), line['error']))
                continue
            key = (line['bench'], line.get('clients'))
            if key[0] == 'pool_append' and line.get('chunksize') == 1:
                key = ('pool_append_chunk1', line.get('clients'))
            lines[key] = line
    return lines


def figure(line, kind):
    if line is None:
        return None
    if kind == 'time':
        return line['us_per_op']
    if kind == 'cold_time':
        return line.get('first_run_us_per_op', line['us_per_op'])
    if kind == 'cold_rate':
        return line.get('first_round_ops_per_s', line['ops_per_s'])
    if kind == 'rate':
        return line['ops_per_s']
    if kind == 'ms':
        return line['seconds'] * 1000
    if kind == 'mem':
        return line['rss_bytes'] / 2 ** 20
    raise ValueError(kind)


def target(code, family, py, ours):
    """(description, met) for a target code; py and ours are the figures of this row."""
    if code in (None, 'floor', 'pfork', 'pspawn', 'dfork', 'dspawn') or py is None or ours is None:
        return '', None
    if code == 'rt':
        limit = 0.55 if family == 'tcp' else 0.7
        return '<= %.2f x Python' % limit, ours <= limit * py
    if code == 'incr':
        return '<= 0.2 x Python', ours <= 0.2 * py
    if code == 'copy':
        if family == 'tcp':
            return '<= 600 us', ours <= 600
        return '<= Python', ours <= py
    if code == 'queue':
        return '>= 2 x Python', ours >= 2 * py
    if code == 'conc8':
        return '>= 3 x Python', ours >= 3 * py
    if code == 'poolmap':
        return '>= Python', ours >= py
    if code == 'create':
        return '<= 0.1 x Python', ours <= 0.1 * py
    if code == 'async':
        return '>= 200,000/s', ours >= 200000
    if code == 'mem':
        return '<= Python', ours <= py
    raise ValueError(code)


# Rows compared with another of Python's rows: Python has no atomic increment (its locked one is
# the comparison), and the floor is set against a single call.
# Process rows: Python's figure for each start method (python_process.py); ours is one JvmProcess.
PYTHON_COUNTERPART = {'incr': ('value_incr_locked', 1), 'floor': ('list_getitem', 1),
                      'pfork': ('process_startup_fork', 1),
                      'pspawn': ('process_startup_spawn', 1),
                      'dfork': ('deposit_withdraw_fork', 2),
                      'dspawn': ('deposit_withdraw_spawn', 2)}

# impl of a PeerBench file -> its column, in this order after ours.
PEERS = [('redis', 'Redis'), ('hazelcast', 'Hazelcast')]


def fmt(x):
    if x is None:
        return 'n/a'
    if x >= 1000:
        return '{:,.0f}'.format(x)
    if x >= 10:
        return '%.1f' % x
    return '%.2f' % x


# Issue 16's targets: (label, how to get (ours, Python's or the floor's) from one pass and family,
# the limit on ours / theirs, whether ours must be at most (True) or at least (False) the limit).
# A limit of a dict is per (pass, family).

def field(line, name):
    return None if line is None else line.get(name)


def targets(pass_, family, py, java):
    pinned = pass_ == 'pinned'
    unix = family == 'unix'
    rows = []

    def add(label, ours, theirs, limit, at_most, unit):
        ratio = ours / theirs if ours is not None and theirs else None
        met = None if ratio is None else (ratio <= limit if at_most else ratio >= limit)
        rows.append(dict(target=label, ours=ours, theirs=theirs, ratio=ratio,
                         limit=('<= ' if at_most else '>= ') + ('%gx' % limit), met=met,
                         unit=unit))

    add('client CPU per blocking call (list get) vs the floor\'s (SocketFloor)',
        field(java.get(('list_getitem', 1)), 'client_cpu_us_per_op'),
        field(java.get(('socket_floor', 1)), 'client_cpu_us_per_op'),
        1.3 if pinned else 1.5, True, 'us CPU')
    add('manager CPU per blocking call (list get) vs Python\'s manager',
        field(java.get(('list_getitem', 1)), 'manager_cpu_us_per_op'),
        field(py.get(('list_getitem_cpu', 1)), 'manager_cpu_us_per_op'),
        1.0, True, 'us CPU')
    for bench, what in (('list_getitem', 'list get'), ('list_append', 'list append')):
        add('one blocking call (%s) latency vs Python' % what,
            field(java.get((bench, 1)), 'us_per_op'), field(py.get((bench, 1)), 'us_per_op'),
            0.7 if unix else 0.8, True, 'us')
    for k in (2, 4, 8):
        add('%d client processes appending vs Python' % k,
            field(java.get(('concurrent_append', k)), 'ops_per_s'),
            field(py.get(('concurrent_append', k)), 'ops_per_s'),
            1.5 if unix and k >= 4 else 1.0, False, 'ops/s')
    for k in (1, 2, 4, 8):
        add("the seed's pool of %d appending to a shared list vs Python" % k,
            field(java.get(('pool_append', k)), 'ops_per_s'),
            field(py.get(('pool_append', k)), 'ops_per_s'), 1.0, False, 'ops/s')
    add('queue between two processes vs Python',
        field(java.get(('queue_put_get', 2)), 'ops_per_s'),
        field(py.get(('queue_put_get', 2)), 'ops_per_s'), 2.0, False, 'items/s')
    add('latency rise of a call under a CPU hog on CPU 0 vs Python\'s rise',
        field(java.get(('cpu_hog_getitem', 1)), 'rise'),
        field(py.get(('cpu_hog_getitem', 1)), 'rise'), 1.0, True, 'x')
    return rows


def targets_markdown(runs):
    md = ['\n## Issue 16\'s targets (ours and theirs from the same run)\n',
          '| pass | transport | target | ours | Python / floor | ours / theirs | limit | met |',
          '|---|---|---|---:|---:|---:|---|---|']
    table = []
    for (pass_, family), impls in sorted(runs.items()):
        py, java = impls.get('python', {}), impls.get('java', {})
        for row in targets(pass_, family, py, java):
            md.append('| %s | %s | %s (%s) | %s | %s | %s | %s | %s |' % (
                pass_, 'Unix socket' if family == 'unix' else 'TCP', row['target'], row['unit'],
                fmt(row['ours']), fmt(row['theirs']),
                fmt(row['ratio']) if row['ratio'] is not None else 'n/a', row['limit'],
                'not measured' if row['met'] is None else ('met' if row['met'] else
                                                           '**missed**')))
            row.update(pass_=pass_, family=family)
            table.append(row)
    return md, table


def main():
    out = sys.argv[1]
    runs = {}
    for path in sorted(glob.glob(os.path.join(out, '*.jsonl'))):
        name = os.path.basename(path)[:-len('.jsonl')]
        pass_, impl, family = name.split('-')
        runs.setdefault((pass_, family), {})[impl] = load(path)
    md = []
    table = []
    for (pass_, family), impls in sorted(runs.items()):
        py, java = impls.get('python', {}), impls.get('java', {})
        title = '%s, %s%s' % (
            'Unix domain socket (Python: AF_UNIX)' if family == 'unix' else 'TCP loopback',
            'every process pinned to CPU 0' if pass_ == 'pinned' else 'both CPUs',
            '')
        md.append('\n### %s\n' % title)
        peers = [(impl, column) for impl, column in PEERS if impl in impls]
        md.append('| workload | Python | ours | %sours / Python | target | met |'
                  % ''.join('%s | ' % column for _, column in peers))
        md.append('|---|---:|---:|%s---:|---|---|' % ('---:|' * len(peers)))
        for label, (bench, clients), kind, code in ROWS:
            p = figure(py.get(PYTHON_COUNTERPART.get(code, (bench, clients))), kind)
            o = figure(java.get((bench, clients)), kind)
            others = {impl: figure(impls[impl].get((bench, clients)), kind) for impl, _ in peers}
            ratio = (o / p) if p and o else None
            desc, met = target(code, family, p, o)
            unit = {'time': ' (us)', 'cold_time': ' (us)', 'rate': '', 'cold_rate': '', 'ms': '',
                    'mem': ''}[kind]
            md.append('| %s%s | %s | %s | %s%s | %s | %s |' % (
                label, unit, fmt(p), fmt(o),
                ''.join('%s | ' % fmt(others[impl]) for impl, _ in peers),
                fmt(ratio) if ratio else 'n/a', desc,
                '' if met is None else ('yes' if met else '**no**')))
            row = dict(pass_=pass_, family=family, workload=label, bench=bench,
                       clients=clients, kind=kind, python=p, ours=o, ratio=ratio,
                       target=desc, met=met)
            row.update(others)
            table.append(row)
        if peers:
            md.append('\n%s: the same workloads through %s (PeerBench); n/a where they have no '
                      'such workload. Atomic increment: %s.' % (
                          ' and '.join(column for _, column in peers),
                          ' and '.join({'redis': 'Jedis', 'hazelcast': 'a Hazelcast client'}[i]
                                       for i, _ in peers),
                          ', '.join({'redis': 'Redis INCR',
                                     'hazelcast': 'Hazelcast PNCounter (its IAtomicLong needs '
                                                  'the Enterprise-only CP subsystem)'}[i]
                                    for i, _ in peers)))
    target_md, target_table = targets_markdown(runs)
    md.extend(target_md)
    if FAILED:
        md.append('\n**Failed workloads** (no figures; see the run\'s standard error):\n')
        md.extend('- %s' % failure for failure in FAILED)
    machine = os.path.join(out, 'machine.txt')
    if os.path.exists(machine):
        lines = open(machine).read().splitlines()
        md.append('\n' + '\n'.join('- %s' % line for line in lines))
        loads = [float(line.split(':')[1].split()[0]) for line in lines
                 if line.startswith('load average')]
        if loads and max(loads) > (os.cpu_count() or 1) / 2:
            md.append('\n**A loaded machine (load average up to %.1f on %d CPUs): these figures '
                      'are no verdict; re-run on a quiet machine.**' % (max(loads),
                                                                       os.cpu_count() or 1))
        if any('--quick' in line for line in lines):
            md.append('\n**A --quick run (a tenth of the operations, shorter warm-up for our '
                      'JVMs): a smoke test, no verdict.**')
    text = '\n'.join(md)
    print(text)
    with open(os.path.join(out, 'table.md'), 'w') as f:
        f.write(text + '\n')
    raw = {name: [json.loads(l) for l in open(path) if l.strip().startswith('{')]
           for path in glob.glob(os.path.join(out, '*.jsonl'))
           for name in [os.path.basename(path)]}
    with open(os.path.join(out, 'results.json'), 'w') as f:
        json.dump(dict(table=table, targets=target_table, raw=raw), f, indent=1)
    print('\nwrote %s and %s' % (os.path.join(out, 'table.md'), os.path.join(out, 'results.json')))


if __name__ == '__main__':
    main()
