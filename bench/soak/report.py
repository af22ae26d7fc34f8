"""The soak run's verdicts from what the client and the sampler wrote (bench/soak.sh).

report.py RUN MINUTES: prints one line a check, "ok<TAB>what" or "no<TAB>what", writes
RUN/summary.md (the table for BENCHMARKS.md) and the chart's data files (RUN/chart-*.tsv).
A 5xx or network error is inside a fault's window from the fault's start to 20 s after it
ended (nginx's fail_timeout is 10 s; pools reconnect on their next use); every stream must be
open again within 60 s of each fault's end; memory grows when the mean of the last three samples
after a full GC exceeds the mean of the first three of the last two-thirds of the run by more
than 5 %.
"""
import csv, json, os, statistics, sys

run, minutes = sys.argv[1], int(sys.argv[2])
GRACE = 20


def rows(name):
    with open(os.path.join(run, name)) as f:
        return list(csv.DictReader(f, delimiter="\t"))


seconds = rows("seconds.tsv")
faults = rows("faults.tsv")
memory = rows("memory.tsv")
result = json.load(open(os.path.join(run, "result.json")))
started = float(open(os.path.join(run, "load-started")).read())
ended = started + minutes * 60
windows = [(float(f["start"]), float(f["end"]) + GRACE, f["fault"]) for f in faults]


def in_window(t):   # the fault of the latest window holding t (a fault's grace may reach into the next one)
    return next((w[2] for w in reversed(windows) if w[0] <= t <= w[1]), None)


errors = []
with open(os.path.join(run, "errors.tsv")) as f:
    for line in f:
        parts = line.rstrip("\n").split("\t")
        if len(parts) >= 4:
            errors.append((float(parts[0]), parts[1], parts[2], parts[3], parts[4] if len(parts) > 4 else ""))
server = [e for e in errors if not e[3].isdigit() or int(e[3]) >= 500]   # 5xx and network errors
unexpected = [e for e in errors if e[3].isdigit() and int(e[3]) < 500]
outside = [e for e in server if in_window(e[0]) is None]
verdicts = []


def verdict(ok, text):
    verdicts.append(("ok" if ok else "no", text))


per_fault = {w[2]: 0 for w in windows}
for e in server:
    fault = in_window(e[0])
    if fault:
        per_fault[fault] += 1
verdict(not outside, f"5xx and network errors outside the fault windows: {len(outside)}"
        + (" (" + "; ".join(f"{e[1]} {e[2]} {e[3]} {e[4]}" for e in outside[:5]) + ")" if outside else ""))
verdict(not unexpected, f"unexpected 4xx answers (not 409/410/422 where the app expects them, nor 429): {len(unexpected)}"
        + (" (" + "; ".join(f"{e[1]} {e[2]} {e[3]}" for e in unexpected[:5]) + ")" if unexpected else ""))
verdict(result["open"] == result["streams"],
        f"streams open at the end: {result['open']} of {result['streams']}")
verdict(result["first_event_since_reconnect"] == result["streams"],
        f"streams that had their first event since their last (re)connection: {result['first_event_since_reconnect']} of {result['streams']}")
verdict(result["boards_current"] == result["boards_checked"],
        f"board streams whose last board is GET .../progress/current: {result['boards_current']} of {result['boards_checked']}")

# every stream open again within 60 s of each fault's end (a client backs off 1-5 s between tries)
for f in faults:
    end = float(f["end"])
    back = next((int(x["epoch"]) for x in seconds
                 if int(x["epoch"]) >= end and int(x["streams_open"]) >= result["streams"]), None)
    verdict(back is not None and back - end <= 60,
            f"all {result['streams']} streams open again after \"{f['fault']}\": "
            + (f"{max(0, back - end):.0f} s after it ended (at most 60 s)" if back is not None else "never"))

# memory over the last two-thirds of the run, per instance (a restarted instance: its own samples)
growth = {}
window_start = started + minutes * 60 / 3
for name in ("alpha", "beta"):
    samples = [m for m in memory if m["instance"] == name and float(m["epoch"]) >= window_start]
    pids = {m["pid"] for m in samples}
    if len(samples) < 6 or len(pids) != 1:
        verdict(False, f"{name}: too few samples after a full GC in the last two-thirds ({len(samples)}, pids {sorted(pids)})")
        continue
    for key, label in (("heap_kb", "heap after full GC"), ("rss_kb", "RSS")):
        first = statistics.mean(int(m[key]) for m in samples[:3])
        last = statistics.mean(int(m[key]) for m in samples[-3:])
        growth[(name, key)] = (first, last)
        verdict(last <= first * 1.05, f"{name} {label}: {first / 1024:.0f} -> {last / 1024:.0f} MB over the last two-thirds ({(last / first - 1) * 100:+.1f} %, at most +5 %)")

# the chart's data: seconds relative to the load's start
with open(os.path.join(run, "chart-seconds.tsv"), "w") as f:
    for s in seconds:
        t = int(s["epoch"]) - started
        if 0 <= t <= minutes * 60 + 120:
            f.write(f"{t / 60:.3f}\t{s['requests']}\t{s['p99_ms'] or 'NaN'}\t{s['streams_open']}\n")
for name in ("alpha", "beta"):
    with open(os.path.join(run, f"chart-memory-{name}.tsv"), "w") as f:
        for m in memory:
            if m["instance"] == name:
                f.write(f"{(float(m['epoch']) - started) / 60:.3f}\t{int(m['rss_kb']) / 1024:.1f}\t{int(m['heap_kb']) / 1024:.1f}\n")
with open(os.path.join(run, "chart-faults.tsv"), "w") as f:
    for w in windows:
        f.write(f"{(w[0] - started) / 60:.3f}\t\"{w[2]}\"\n")

# the summary
during = [s for s in seconds if started + 60 <= int(s["epoch"]) <= ended]
rps = [int(s["requests"]) for s in during]
p99s = sorted(float(s["p99_ms"]) for s in during if s["p99_ms"])
quiet = [float(s["p99_ms"]) for s in during if s["p99_ms"] and in_window(int(s["epoch"])) is None]
lines = [
    f"| what | measured |",
    f"|---|---|",
    f"| load | {result['people']} people, {minutes} min, {result['totals']['requests']:,} requests, "
    f"{statistics.mean(rps):.0f} req/s on average (from the 2nd minute) |",
    f"| p99 per second, outside fault windows (median / worst) | {statistics.median(quiet):.0f} / {max(quiet):.0f} ms |"
    if quiet else "| p99 | none |",
    f"| 5xx + network errors in fault windows | " + ", ".join(f"{k}: {v}" for k, v in per_fault.items()) + " |",
    f"| 5xx + network errors outside them | {len(outside)} |",
    f"| 429 answers | {result['totals']['s429']} |",
    f"| stream reconnections | {result['totals']['reconnections']} |",
    f"| streams open at the end, board current | {result['open']} of {result['streams']}, {result['boards_current']} of {result['boards_checked']} |",
]
for (name, key), (first, last) in growth.items():
    lines.append(f"| {name} {'heap after full GC' if key == 'heap_kb' else 'RSS'}, last two-thirds | "
                 f"{first / 1024:.0f} -> {last / 1024:.0f} MB ({(last / first - 1) * 100:+.1f} %) |")
for name in ("alpha", "beta"):
    peak = max((int(m["rss_kb"]) for m in memory if m["instance"] == name), default=0)
    lines.append(f"| {name} RSS, highest sample | {peak / 1024:.0f} MB |")
with open(os.path.join(run, "summary.md"), "w") as f:
    f.write("\n".join(lines) + "\n\n")
    f.write("| check | verdict |\n|---|---|\n")
    if os.path.exists(os.path.join(run, "checks.txt")):   # the database's (bench/soak/checks.sql)
        for line in open(os.path.join(run, "checks.txt")):
            name, bad, total = line.strip().split("|")
            f.write(f"| {name}: {bad} of {total} | {'ok' if bad == '0' else '**FAILED**'} |\n")
    for v, text in verdicts:
        f.write(f"| {text} | {'ok' if v == 'ok' else '**FAILED**'} |\n")
for v, text in verdicts:
    print(f"{v}\t{text}")
