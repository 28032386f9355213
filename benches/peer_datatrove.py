#!/usr/bin/env python3
"""docpipe against datatrove, side by side on this machine, on the comparable work.

The peer is `../shared/peers/datatrove_pipeline.py` (JSONL reader, FTFY/NFC normalization,
MinHash signatures + buckets + clusters + filter, JSONL writer, 2 workers, 4 shards, fork),
run from a virtual environment that has datatrove (see `../shared/PEERS.md`):

    python3 -m venv dt && dt/bin/pip install 'datatrove[processing]' orjson

docpipe does the same work: read, normalize (NFC + blocks and sentences), near-dedup, drop
duplicates, write JSON Lines, on 2 threads; it is also run with `--no-sentences` (records
without sentences, which datatrove does not find either), reported on a row of its own. Both run back to back, docpipe REPEATS times
(median), datatrove once (it takes minutes). CPU seconds (user + sys of the whole process tree,
from the kernel's accounting of waited-for children) are reported beside wall time: on a shared
machine they move less than wall time.

    cargo build --release
    python3 benches/peer_datatrove.py ../shared/corpora/news_en_combined/news_en_combined.jsonl.gz \\
        PATH/TO/dt/bin/python [REPEATS]
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCPIPE = os.path.join(ROOT, "target", "release", "docpipe")
PEER = os.path.join(ROOT, "..", "shared", "peers", "datatrove_pipeline.py")


def timed(command, cwd=None):
    """Wall seconds and CPU seconds (user + sys of all descendants) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{done.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    corpus, peer_python = os.path.abspath(sys.argv[1]), sys.argv[2]
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    with tempfile.TemporaryDirectory() as scratch:
        work = os.path.join(scratch, "datatrove")
        wall, cpu = timed(
            [peer_python, PEER, "--input", corpus, "--work", work, "--workers", "2",
             "--shards", "4", "--start-method", "fork"]
        )
        with open(os.path.join(work, "summary.json")) as f:
            summary = json.load(f)
        documents = None
        results = []
        for extra, label in [([], "docpipe normalize+dedup"),
                             (["--no-sentences"], "docpipe normalize+dedup --no-sentences")]:
            runs = []
            for _ in range(repeats):
                output = os.path.join(scratch, "docpipe.jsonl")
                d_wall, d_cpu = timed(
                    [DOCPIPE, "run", corpus, "-o", output, "--stages", "normalize,dedup",
                     "--drop-duplicates", "--threads", "2", "-q"] + extra
                )
                with open(os.path.join(scratch, "docpipe.stats.json")) as f:
                    stats = json.load(f)
                documents = stats["read"]
                runs.append((d_wall, d_cpu, stats["duplicates_dropped"]))
            results.append((label, statistics.median(r[0] for r in runs),
                            statistics.median(r[1] for r in runs), runs[0][2]))
    print(f"documents: {documents}")
    print("| run | wall s | CPU s | docs/s (wall) | duplicates removed |")
    print("| --- | ---: | ---: | ---: | ---: |")
    peer_docs = summary.get("docs_in", documents)
    print(f"| datatrove, 2 workers (whole script, shard split included) | {wall:.1f} | {cpu:.1f} | "
          f"{peer_docs / wall:.0f} | {summary.get('docs_removed_as_near_dup', '?')} |")
    for label, d_wall, d_cpu, dropped in results:
        print(f"| {label}, 2 threads (median of {repeats}) | {d_wall:.2f} | {d_cpu:.2f} | "
              f"{documents / d_wall:.0f} | {dropped} |")
    for label, d_wall, d_cpu, _ in results:
        print(f"{label} / datatrove: {wall / d_wall:.0f}x documents/s (wall), "
              f"{cpu / d_cpu:.0f}x less CPU")
    print("datatrove summary:", json.dumps(summary))


if __name__ == "__main__":
    main()
