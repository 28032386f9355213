#!/usr/bin/env python3
"""The documented throughput command: docpipe against its floors on one corpus file.

Runs, back to back and REPEATS times each (medians reported, the machine is noisy):
  cat / gzip -dc (the I/O floor), the serde_json parse+serialize floor (benches/json_floor.rs),
  docpipe with ingest+normalize+dedup only and with every stage, on 1 and on 2 threads.
Prints a Markdown table: wall seconds, MB/s and docs/s over the uncompressed input, CPU seconds
(user + sys) and MB per CPU-second, the multiple of the JSON floor, the 1 -> 2 thread speed-up,
and peak RSS (all from /usr/bin/time -v). The light path is run with and without
`--no-sentences`.

    cargo bench --bench json_floor --no-run && cargo build --release   # in this order: cargo bench writes its own target/release/docpipe
    python3 benches/throughput.py ../shared/corpora/news_en_combined/news_en_combined.jsonl.gz [REPEATS]

It also prints, for issue 19's bars: the Python floor (`json.loads` + `str.split` of every
line's text, one process) against docpipe with every stage on 2 threads (wall time, same
round); and a per-stage table: the CPU of `--stages X` alone over that of `--stages normalize`
alone (whole processes), and each stage's own thread CPU inside an all-stages run (its stats
file's `stage_cpu_seconds`) over the normalize stage's in the same run, medians of REPEATS.

HTML: given a folder of pages (or a .warc/.warc.gz), it measures instead reading and
extraction alone (`--stages normalize`, the lightest path that extracts) and every stage, on 1
thread, in MB of HTML (decompressed page bytes) and pages per CPU-second:

    python3 benches/throughput.py ../shared/eval/html/pages [REPEATS]
"""

import glob
import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCPIPE = os.path.join(ROOT, "target", "release", "docpipe")


def json_floor_binary() -> str:
    candidates = [
        p
        for p in glob.glob(os.path.join(ROOT, "target", "release", "deps", "json_floor-*"))
        if os.access(p, os.X_OK) and not p.endswith(".d")
    ]
    if not candidates:
        sys.exit("build it first: cargo bench --bench json_floor --no-run")
    return max(candidates, key=os.path.getmtime)


def measure(command, repeats):
    """Median wall seconds, the largest peak RSS (MiB) and median CPU seconds (user + sys) over
    `repeats` runs."""
    walls, peaks, cpus = [], [], []
    for _ in range(repeats):
        started = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-v"] + command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        walls.append(time.perf_counter() - started)
        if done.returncode != 0:
            sys.exit(f"failed: {' '.join(command)}\n{done.stderr[-2000:]}")
        rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        peaks.append(int(rss.group(1)) / 1024 if rss else float("nan"))
        times = re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", done.stderr)
        cpus.append(sum(float(t) for t in times) if times else float("nan"))
    return statistics.median(walls), max(peaks), statistics.median(cpus)


PYTHON_FLOOR = """
import gzip, json, sys
path = sys.argv[1]
opener = gzip.open if path.endswith(".gz") else open
words = 0
with opener(path, "rt", encoding="utf-8") as f:
    for line in f:
        if line.strip():
            words += len(json.loads(line).get("text", "").split())
print(words)
"""

STAGES = ["normalize", "lang", "dedup", "dates", "summarize", "stories"]


def stage_table(path, out, repeats):
    """Per stage: process CPU of `--stages X` over `--stages normalize`, and in-run thread CPU
    over the normalize stage's (all stages, 1 thread), medians of `repeats` interleaved rounds."""
    alone = {stage: [] for stage in STAGES}
    in_run = {stage: [] for stage in STAGES}
    output = os.path.join(out, "stages.jsonl")
    for _ in range(repeats):
        for stage in STAGES:
            command = [DOCPIPE, "run", path, "-o", output, "-q", "--threads", "1",
                       "--stages", stage]
            alone[stage].append(measure(command, 1)[2])
        measure([DOCPIPE, "run", path, "-o", output, "-q", "--threads", "1"], 1)
        with open(os.path.join(out, "stages.stats.json")) as f:
            cpu = json.load(f)["stage_cpu_seconds"]
        for stage in STAGES:
            in_run[stage].append(cpu.get(stage, float("nan")))
    base_alone = statistics.median(alone["normalize"])
    base_in_run = statistics.median(in_run["normalize"])
    print(f"\nper stage, 1 thread, medians of {repeats} interleaved rounds:\n")
    print("| stage | CPU s of `--stages X` | / `--stages normalize` | stage CPU s in an all-stages run "
          "| / normalize's |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for stage in STAGES:
        a, r = statistics.median(alone[stage]), statistics.median(in_run[stage])
        print(f"| {stage} | {a:.2f} | {a / base_alone:.2f} | {r:.2f} | {r / base_in_run:.2f} |")


def html_bytes(path):
    """Pages and decompressed HTML bytes of a folder of pages (a WARC: its size, and no count)."""
    if os.path.isfile(path):
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rb") as f:
            return None, len(f.read())
    pages, size = 0, 0
    for name in sorted(os.listdir(path)):
        full = os.path.join(path, name)
        opener = gzip.open if name.endswith(".gz") else open
        with opener(full, "rb") as f:
            size += len(f.read())
        pages += 1
    return pages, size


def html_main(path, repeats):
    pages, size = html_bytes(path)
    with tempfile.TemporaryDirectory(prefix="docpipe-throughput-") as out:
        rows = []
        for options, label in ((["--stages", "normalize"], "read + extract + normalize"),
                               ([], "all stages")):
            command = [DOCPIPE, "run", path, "-o", os.path.join(out, "out.jsonl"), "-q",
                       "--threads", "1"] + options
            rows.append((label, measure(command, repeats)))
    what = f"{pages} pages, " if pages else ""
    print(f"input: {os.path.basename(path.rstrip('/'))}: {what}{size / 1e6:.1f} MB of HTML; "
          f"1 thread, median of {repeats} runs\n")
    print("| run | wall s | CPU s | MB of HTML per CPU-s | pages per CPU-s | peak RSS MiB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, (wall, rss, cpu) in rows:
        per_page = f"{pages / cpu:.0f}" if pages else "-"
        print(f"| {label} | {wall:.2f} | {cpu:.2f} | {size / 1e6 / cpu:.1f} | {per_page} | "
              f"{rss:.0f} |")


def main() -> None:
    path = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    if os.path.isdir(path) or ".warc" in os.path.basename(path):
        html_main(path, repeats)
        return
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    size, docs = len(data), data.count(b"\n")
    del data
    floor = json_floor_binary()
    with tempfile.TemporaryDirectory(prefix="docpipe-throughput-") as out:
        rows = []
        decompress = ["gzip", "-dc", path] if path.endswith(".gz") else ["cat", path]
        rows.append(("floor: " + " ".join(decompress[:-1]), measure(decompress, repeats)))
        rows.append(("floor: serde_json parse + serialize", measure([floor, path], repeats)))
        rows.append(("floor: Python json.loads + str.split",
                     measure([sys.executable, "-c", PYTHON_FLOOR, path], repeats)))
        runs = [
            (["--stages", "normalize,dedup"], "ingest+normalize+dedup"),
            (["--stages", "normalize,dedup", "--no-sentences"], "ingest+normalize+dedup --no-sentences"),
            ([], "all stages"),
        ]
        for options, label in runs:
            for threads in (1, 2):
                command = [DOCPIPE, "run", path, "-o", os.path.join(out, "out.jsonl"), "-q",
                           "--threads", str(threads)] + options
                rows.append((f"docpipe {label}, {threads} thread(s)", measure(command, repeats)))
    json_floor = rows[1][1][0]
    print(f"input: {os.path.basename(path)}: {docs} documents, {size / 1e6:.1f} MB uncompressed; "
          f"median of {repeats} runs\n")
    print("| run | wall s | MB/s | docs/s | CPU s | MB per CPU-s | x JSON floor | peak RSS MiB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, (wall, rss, cpu) in rows:
        print(f"| {label} | {wall:.2f} | {size / 1e6 / wall:.1f} | {docs / wall:,.0f} | "
              f"{cpu:.2f} | {size / 1e6 / cpu:.1f} | {wall / json_floor:.1f} | {rss:.0f} |")
    by_label = dict(rows)
    for _, label in runs:
        one = by_label[f"docpipe {label}, 1 thread(s)"][0]
        two = by_label[f"docpipe {label}, 2 thread(s)"][0]
        print(f"\n{label}: 1 -> 2 threads speed-up {one / two:.2f}x")
    python = by_label["floor: Python json.loads + str.split"][0]
    every = by_label["docpipe all stages, 2 thread(s)"][0]
    print(f"\nall stages, 2 threads, against the Python floor (wall): {every / python:.2f}x "
          f"(issue 19's bar: at most 1.5x)")
    with tempfile.TemporaryDirectory(prefix="docpipe-stages-") as out:
        stage_table(path, out, repeats)


if __name__ == "__main__":
    main()
