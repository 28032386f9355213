#!/usr/bin/env python3
"""Runs the docpipe pipeline on Apache Spark with the same records as `docpipe run`.

Per-document stages run in the docpipe binary, one process per partition (JSON Lines in on
standard input, records out on standard output). Deduplication, the one stage that compares
documents across partitions, runs as Spark operations on the binary's band keys and
fingerprints and reproduces the single-machine verdicts exactly: same status, duplicate_of,
cluster and similarity for every document. See spark/README.md.

Usage:
    spark-submit --files target/release/docpipe spark/docpipe_spark.py \\
        --binary target/release/docpipe -o out/ dump/
    python spark/docpipe_spark.py --master 'local[2]' -o out/ corpus/

Only the standard library and pyspark are used.
"""

import argparse
import collections
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from urllib.parse import urlparse

# Every stage of `docpipe run`. `stories` groups the whole stream in input order: the
# executors only prepare each article (`--story-inputs`), and one `docpipe stories` process
# puts them in stories in input order after dedup (see `story_pass`).
ALL_STAGES = ["normalize", "lang", "dedup", "dates", "summarize", "stories"]

# `docpipe run` options that `docpipe stories` takes too: passed after `--`, they go to both.
STORY_OPTIONS = ("--story-window-articles", "--story-window-days",
                 "--story-summary-sentences", "--story-timeline-entries")

# File names that are split into lines by Spark (after a .gz or .bz2 suffix, which Hadoop
# decompresses). Every other file is read whole and handed to the binary as one stream.
LINE_FORMATS = (".jsonl", ".ndjson")
HADOOP_CODECS = (".gz", ".bz2")

# A document's order key: its chunk (a Spark partition of one JSON Lines file, or one whole
# file) in input order, then its position among the chunk's records. Chunks stay below 2^31.
CHUNK_SHIFT = 32

IDF_FILE_NAME = "docpipe-idf.tsv"

# Large-star / small-star needs O(log^2 n) rounds for n vertices, a handful for clusters of
# copies; this many means a bug, not a big graph.
MAX_STAR_ROUNDS = 100


def parse_args(argv):
    """The job's command line."""
    parser = argparse.ArgumentParser(
        description="docpipe on Apache Spark: the records of `docpipe run`, computed on a cluster.",
        epilog="Arguments after `--` are passed to every `docpipe run` (for example "
        "`-- --nfkc --reference-date 2024-01-01`).",
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="files and directories, walked as `docpipe run` walks them; the "
                             "names as given become the records' sources")
    parser.add_argument("-o", "--output", required=True, metavar="DIR",
                        help="output directory: records/ and rejects/ (part files in input "
                             "order) and summary.json; replaced if it exists")
    parser.add_argument("--stages", default=",".join(ALL_STAGES), metavar="STAGE,...",
                        help="stages after ingest, as for `docpipe run` [default: all]")
    parser.add_argument("--partitions", type=int, default=0, metavar="N",
                        help="minimum partitions per JSON Lines file and shuffle partitions "
                             "[default: 2 x the cluster's default parallelism]")
    parser.add_argument("--binary", default="docpipe", metavar="PATH",
                        help="the docpipe binary on the driver; it is shipped to the "
                             "executors with the job [default: docpipe on PATH]")
    parser.add_argument("--threads", type=int, default=1, metavar="N",
                        help="threads per docpipe process; match spark.task.cpus [default: 1]")
    parser.add_argument("--text-field", default="text", metavar="NAME",
                        help="JSON field holding the article text [default: text]")
    parser.add_argument("--drop-duplicates", action="store_true",
                        help="leave duplicates out of records/ and list them in duplicates/, "
                             "as `docpipe run --drop-duplicates`")
    parser.add_argument("--master", metavar="URL",
                        help="Spark master when not started by spark-submit, e.g. local[2]")
    argv = list(argv)
    extra = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1:]
    args = parser.parse_args(argv)
    args.run_args = extra
    stages = [s for s in args.stages.split(",") if s]
    unknown = [s for s in stages if s not in ALL_STAGES]
    if unknown:
        parser.error(f"unknown stage(s): {', '.join(unknown)}")
    args.stage_list = stages
    return args


# ---------------------------------------------------------------------------------------------
# Inputs: the same files in the same order as `docpipe run`
# ---------------------------------------------------------------------------------------------

def is_uri(path):
    """True for `scheme://...` inputs and outputs (hdfs, s3a, file, ...), which are listed and
    written through Hadoop's FileSystem; anything else is a local (or shared-mount) path."""
    return "://" in path


def hadoop_fs(sc, uri):
    """Hadoop's FileSystem for `uri` and the uri as a Hadoop Path (through the driver's JVM)."""
    path = sc._jvm.org.apache.hadoop.fs.Path(uri)
    return path.getFileSystem(sc._jsc.hadoopConfiguration()), path


def walk_uri(sc, given):
    """Lists (name, URI, size) under a Hadoop URI in the order `walk_inputs` gives: names are
    the URI as given joined with each entry's name, as `docpipe run` joins paths."""
    fs, root = hadoop_fs(sc, given)
    if not fs.exists(root):
        raise SystemExit(f"docpipe_spark: {given}: no such file or directory")
    status = fs.getFileStatus(root)
    if not status.isDirectory():
        return [(given, given, status.getLen())]
    files = []
    stack = [(given, root)]
    while stack:
        name, directory = stack.pop()
        entries = sorted(fs.listStatus(directory),
                         key=lambda entry: entry.getPath().getName().encode("utf-8"))
        subdirs = []
        for entry in entries:
            child = name.rstrip("/") + "/" + entry.getPath().getName()
            if entry.isDirectory():
                subdirs.append((child, entry.getPath()))
            else:
                files.append((child, child, entry.getLen()))
        stack.extend(reversed(subdirs))
    return files


def walk_inputs(sc, inputs):
    """Lists (name, path, size) for every file under `inputs` in the order `docpipe run` reads
    them: inputs in the order given, each directory depth first with entries sorted byte-wise
    by name, a directory's files before its subdirectories, and each directory read once."""
    files = []
    visited = set()
    for given in inputs:
        if given == "-":
            raise SystemExit("docpipe_spark: standard input is not an input of a Spark job")
        if is_uri(given):
            files.extend(walk_uri(sc, given))
            continue
        if not os.path.exists(given):
            raise SystemExit(f"docpipe_spark: {given}: no such file or directory")
        if not os.path.isdir(given):
            files.append((given, given, os.path.getsize(given)))
            continue
        stack = [given]
        while stack:
            directory = stack.pop()
            canonical = os.path.realpath(directory)
            if canonical in visited:
                continue
            visited.add(canonical)
            names = sorted(os.listdir(directory), key=os.fsencode)
            subdirs = []
            for name in names:
                path = os.path.join(directory, name)
                if os.path.isdir(path):
                    subdirs.append(path)
                else:
                    files.append((path, path, os.path.getsize(path)))
            stack.extend(reversed(subdirs))
    return files


def strip_codec(name):
    """The name without a compression suffix Hadoop decompresses (`.gz`, `.bz2`), case kept."""
    for codec in HADOOP_CODECS:
        if name.lower().endswith(codec):
            name = name[: -len(codec)]
    return name


def is_line_format(name):
    """True for files Spark splits into lines: JSON Lines, optionally gzip or bzip2."""
    return strip_codec(name).lower().endswith(LINE_FORMATS)


def hadoop_skips(path):
    """Hadoop's input formats refuse files named `_...` or `.…` (its hidden-file filter);
    docpipe reads them, so the job reads them on the driver instead."""
    return os.path.basename(path).startswith(("_", "."))


def read_whole(sc, paths, partitions):
    """An RDD of (URI, bytes) for whole files: through Spark, or for the few names Hadoop
    refuses, read on the driver."""
    hidden = [path for path in paths if hadoop_skips(path)]
    remote = [path for path in hidden if is_uri(path)]
    if remote:
        raise SystemExit(f"docpipe_spark: Hadoop does not read {remote[0]} (a name starting "
                         "with _ or .); rename it")
    rdds = []
    if len(hidden) < len(paths):
        uris = [spark_path(path) for path in paths if not hadoop_skips(path)]
        rdds.append(sc.binaryFiles(",".join(uris), minPartitions=partitions))
    if hidden:
        contents = []
        for path in hidden:
            with open(path, "rb") as file:
                contents.append(("file://" + os.path.abspath(path), file.read()))
        rdds.append(sc.parallelize(contents, len(contents)))
    return rdds[0] if len(rdds) == 1 else sc.union(rdds)


def chunk_key(path):
    """What identifies a listed whole file when Spark names it back (see `returned_key`)."""
    return returned_key(path) if is_uri(path) else os.path.abspath(path)


def returned_key(uri):
    """The path part of a URI that Spark gives back: it qualifies `hdfs:///a` as
    `hdfs://namenode:8020/a` and `/a` as `file:/a`, but keeps the path."""
    return os.path.normpath(urlparse(uri).path)


def spark_path(path):
    """A path or URI as Spark reads it, with any glob characters escaped."""
    absolute = path if is_uri(path) else "file://" + os.path.abspath(path)
    for char in "\\*?[]{}":
        absolute = absolute.replace(char, "\\" + char)
    return absolute


class Plan:
    """The inputs cut into chunks, numbered in input order.

    A JSON Lines file is one chunk per Spark partition of its lines (contiguous line ranges);
    any other file is one chunk, read whole. `line_chunks[i]` describes partition i of
    `lines`, the union of the JSON Lines files; `file_chunks` maps a whole file's
    `chunk_key` to its chunk, name and path."""

    def __init__(self, sc, files, partitions):
        self.line_chunks = []   # [chunk, name, first line] per partition of `lines`
        self.file_chunks = {}   # chunk_key -> [chunk, name, path]
        self.chunks = 0
        line_rdds = []
        whole_paths = []
        for name, path, size in files:
            # An empty file is read whole, so that it is reported as empty, as docpipe does.
            if is_line_format(name) and not hadoop_skips(path) and size > 0:
                rdd = sc.textFile(spark_path(path), minPartitions=partitions)
                for _ in range(rdd.getNumPartitions()):
                    self.line_chunks.append([self.chunks, name, 1])
                    self.chunks += 1
                line_rdds.append(rdd)
            else:
                self.file_chunks[chunk_key(path)] = [self.chunks, name, path]
                whole_paths.append(path)
                self.chunks += 1
        self.lines = sc.union(line_rdds) if line_rdds else None
        self.whole = read_whole(sc, whole_paths, partitions) if whole_paths else None
        if self.lines is not None:
            self._number_lines()

    def _number_lines(self):
        """Sets each line chunk's first line number: one pass counting lines per partition."""
        counts = self.lines.mapPartitions(lambda it: [sum(1 for _ in it)]).collect()
        previous_name, line = None, 1
        for chunk, count in zip(self.line_chunks, counts):
            if chunk[1] != previous_name:
                previous_name, line = chunk[1], 1
            chunk[2] = line
            line += count


# ---------------------------------------------------------------------------------------------
# Running the binary
# ---------------------------------------------------------------------------------------------

def executable(name):
    """The path of a file shipped with the job (SparkFiles), made executable if needed."""
    from pyspark import SparkFiles
    path = SparkFiles.get(name)
    if not os.access(path, os.X_OK):
        os.chmod(path, 0o755)
    return path


def stream_through(command, pieces, cwd=None):
    """Runs `command`, writes `pieces` (bytes) to its standard input from a thread, and yields
    its standard output line by line (bytes without the newline). Raises with the command's
    standard error if it fails."""
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=cwd)
    errors = []

    def feed():
        try:
            for piece in pieces:
                process.stdin.write(piece)
        except BrokenPipeError:
            pass  # the process failed; its exit status and stderr say why
        except Exception as err:  # surfaced below: a feeding error must not look like success
            errors.append(err)
        finally:
            try:
                process.stdin.close()
            except BrokenPipeError:
                pass

    stderr = []
    writer = threading.Thread(target=feed, daemon=True)
    reader = threading.Thread(target=lambda: stderr.append(process.stderr.read()), daemon=True)
    writer.start()
    reader.start()
    for line in process.stdout:
        yield line.rstrip(b"\n")
    status = process.wait()
    writer.join()
    reader.join()
    if errors:
        raise errors[0]
    if status != 0:
        message = b"".join(stderr).decode("utf-8", "replace").strip()
        raise RuntimeError(f"{' '.join(command)} failed ({status}): {message}")


def run_chunk(chunk, name, first_line, pieces, settings):
    """Pipes one chunk through `docpipe run` and yields tagged results in input order:
    ("r", key, record line) for each record, then ("s", key, signature) for each document
    when dedup runs, ("t", key, story input line) for each document when stories run, then
    ("x", chunk, reject line) for each rejected document."""
    binary = executable(settings["binary"])
    with tempfile.TemporaryDirectory(prefix="docpipe-") as workdir:
        command = [binary, "run", "-", "-o", "-", "-q", "--threads", str(settings["threads"]),
                   "--stages", ",".join(settings["stages"]),
                   "--stdin-name", name, "--stdin-first-line", str(first_line)]
        if settings["idf"]:
            command += ["--idf", executable(settings["idf"])]
        signatures = os.path.join(workdir, "signatures.jsonl")
        if "dedup" in settings["stages"]:
            command += ["--signatures", signatures]
        story_inputs = os.path.join(workdir, "story-inputs.jsonl")
        if "stories" in settings["stages"]:
            command += ["--story-inputs", story_inputs]
        command += settings["run_args"]
        base = chunk << CHUNK_SHIFT
        count = 0
        # The side files of `-o -` (rejects, stats) land in the working directory.
        for line in stream_through(command, pieces, cwd=workdir):
            yield ("r", base + count, line.decode("utf-8"))
            count += 1
        if "dedup" in settings["stages"]:
            with open(signatures, encoding="utf-8") as file:
                for position, line in enumerate(file):
                    yield ("s", base + position, signature_row(json.loads(line)))
        if "stories" in settings["stages"]:
            with open(story_inputs, encoding="utf-8") as file:
                for position, line in enumerate(file):
                    yield ("t", base + position, line.rstrip("\n"))
        rejects = os.path.join(workdir, "output", "stdin.rejects.jsonl")
        if os.path.exists(rejects):
            with open(rejects, encoding="utf-8") as file:
                for line in file:
                    yield ("x", chunk, line.rstrip("\n"))


def signature_row(signature):
    """What deduplication needs of a `--signatures` line: id, exact hash, the band keys folded
    to 32 bits as the single-machine index folds them, the fingerprint, its shingle count."""
    fingerprint = signature["fingerprint"]
    # Fingerprint::to_bytes: 16 bytes of exact hash, then the shingle count, u32 little-endian.
    shingles = int.from_bytes(bytes.fromhex(fingerprint[32:40]), "little")
    folded = []
    for key in signature["bands"]:
        value = int(key, 16)
        folded.append((value ^ (value >> 32)) & 0xFFFFFFFF)
    return (signature["id"], signature["exact"], folded, fingerprint, shingles)


def process_partitions(plan, settings):
    """The tagged results of every chunk (see `run_chunk`), as one RDD."""
    parts = []
    if plan.lines is not None:
        line_chunks = plan.line_chunks

        def lines_partition(index, lines):
            chunk, name, first_line = line_chunks[index]
            first = next(lines, None)
            if first is None:
                # A split with no line (a small file in many partitions) has no documents;
                # piped in, the empty stream would come back as a reject.
                return iter(())
            encoded = (line.encode("utf-8") + b"\n" for line in itertools.chain([first], lines))
            return run_chunk(chunk, name, first_line, encoded, settings)

        parts.append(plan.lines.mapPartitionsWithIndex(lines_partition))
    if plan.whole is not None:
        file_chunks = plan.file_chunks

        def whole_partition(files):
            for uri, content in files:
                chunk, name, _ = file_chunks[returned_key(uri)]
                # One stream: the binary's own reader splits it (text, JSON array, zstd, ...).
                yield from run_chunk(chunk, name, 1, iter([bytes(content)]), settings)

        parts.append(plan.whole.mapPartitions(whole_partition))
    return parts[0] if len(parts) == 1 else parts[0].context.union(parts)


# ---------------------------------------------------------------------------------------------
# Summary weights: one IDF table for every partition
# ---------------------------------------------------------------------------------------------

def compute_idf(sc, plan, binary, text_field):
    """Writes the IDF table of the input's first 1,000 documents, as `docpipe run` computes it
    from its read-ahead, and returns its path; None when the input has fewer documents (the
    binary then uses its shipped table, as a single-machine run would). Chunks are fetched to
    the driver in input order, 1, 2, 4, ... at a time, until they hold enough documents:
    usually the first alone."""
    workdir = tempfile.mkdtemp(prefix="docpipe-idf-")
    order = sorted(
        [(chunk, "lines", index, name) for index, (chunk, name, _) in enumerate(plan.line_chunks)]
        + [(chunk, "file", path, name) for chunk, name, path in plan.file_chunks.values()])
    table = os.path.join(workdir, IDF_FILE_NAME)
    prefix = os.path.join(workdir, "prefix")
    os.mkdir(prefix)
    position, batch = 0, 1
    while position < len(order):
        group = order[position:position + batch]
        contents = fetch_chunks(sc, plan, group)
        for offset, (_, kind, where, name) in enumerate(group):
            base = os.path.basename(name)
            if kind == "lines":
                base = strip_codec(base)  # Hadoop has decompressed it already
            # Sorted names keep the input order; the extension keeps the format.
            path = os.path.join(prefix, f"{position + offset:09d}_{base}")
            with open(path, "wb") as file:
                file.write(contents[(kind, where)])
        result = subprocess.run(
            [binary, "idf", prefix, "-o", table, "--text-field", text_field],
            check=True, capture_output=True, text=True)
        if json.loads(result.stdout)["written"]:
            # The copies of the input's first chunks are not needed any more; the table is
            # removed after the job (Spark fetches it lazily).
            shutil.rmtree(prefix)
            return table
        position, batch = position + batch, batch * 2
    shutil.rmtree(workdir)
    return None


def fetch_chunks(sc, plan, group):
    """The raw bytes of some chunks on the driver, keyed by (kind, partition or path)."""
    contents = {}
    partitions = [where for _, kind, where, _ in group if kind == "lines"]
    if partitions:
        # One element per partition, in the order asked.
        joined = sc.runJob(plan.lines, lambda it: ["\n".join(it)], partitions=partitions)
        for partition, text in zip(partitions, joined):
            contents[("lines", partition)] = (text + "\n").encode("utf-8") if text else b""
    paths = [where for _, kind, where, _ in group if kind == "file"]
    if paths:
        listed = {chunk_key(path): path for path in paths}
        for uri, content in read_whole(sc, paths, 1).collect():
            contents[("file", listed[returned_key(uri)])] = bytes(content)
    return contents


# ---------------------------------------------------------------------------------------------
# Deduplication across partitions
# ---------------------------------------------------------------------------------------------

def verify_partition(settings):
    """A mapPartitions function: scores (later key, earlier key, fingerprint, fingerprint)
    pairs with `docpipe dedup-verify` and yields (later, earlier, score, similarity)."""

    def verify(pairs):
        binary = executable(settings["binary"])
        # The pairs written and not yet answered: the binary answers each line in order.
        waiting = collections.deque()

        def lines():
            for later, earlier, a, b in pairs:
                waiting.append((later, earlier))
                yield json.dumps({"a": a, "b": b}).encode("ascii") + b"\n"

        for line in stream_through([binary, "dedup-verify"], lines()):
            later, earlier = waiting.popleft()
            result = json.loads(line)
            if result["score"] is not None:
                yield (later, earlier, result["score"], result["similarity"])

    return verify


def connected_components(edges):
    """Labels every vertex of an undirected graph (DataFrame of `src`, `dst` longs) with the
    smallest vertex of its component, by alternating large-star and small-star (Kiveris et al.,
    "Connected Components in MapReduce and Beyond", 2014) until every component is a star.
    Returns a DataFrame of `vertex`, `component`."""
    from pyspark.sql import functions as F

    def normalize(frame):
        # Each edge once, pointing from the larger vertex to the smaller; no self-loops.
        return (frame.where(F.col("src") != F.col("dst"))
                .select(F.greatest("src", "dst").alias("src"), F.least("src", "dst").alias("dst"))
                .distinct())

    def large_star(frame):
        # Every vertex links its larger neighbours to the smallest vertex it sees.
        both = frame.union(frame.select(F.col("dst").alias("src"), F.col("src").alias("dst")))
        smallest = both.groupBy("src").agg(F.least(F.min("dst"), F.col("src")).alias("m"))
        return normalize(both.join(smallest, "src").where(F.col("dst") > F.col("src"))
                         .select(F.col("dst").alias("src"), F.col("m").alias("dst")))

    def small_star(frame):
        # Every vertex links itself and its smaller neighbours to the smallest of them.
        smallest = frame.groupBy("src").agg(F.min("dst").alias("m"))
        linked = frame.join(smallest, "src")
        return normalize(linked.select(F.col("dst").alias("src"), F.col("m").alias("dst"))
                         .union(linked.select("src", F.col("m").alias("dst"))))

    def is_star_forest(frame):
        # Every vertex points to at most one vertex, and no pointed-to vertex points on: each
        # component is then one star around its smallest vertex, which both steps leave as is.
        fanned = frame.groupBy("src").count().where(F.col("count") > 1).limit(1).count()
        chained = (frame.select("src").intersect(frame.select(F.col("dst").alias("src")))
                   .limit(1).count())
        return fanned == 0 and chained == 0

    current = normalize(edges).localCheckpoint()
    rounds = 0
    while not is_star_forest(current):
        rounds += 1
        if rounds > MAX_STAR_ROUNDS:
            raise RuntimeError(f"connected components: no stars after {MAX_STAR_ROUNDS} rounds")
        current = small_star(large_star(current)).localCheckpoint()
    # Now a star per component: every edge goes from a vertex to its component's smallest.
    roots = current.select(F.col("dst").alias("vertex"), F.col("dst").alias("component"))
    return (current.select(F.col("src").alias("vertex"), F.col("dst").alias("component"))
            .union(roots).distinct())


def replay_component(members):
    """The verdicts of one component's documents, as the single-machine index gives them.

    `members` are (key, id, first_exact, candidates) of every document of one connected
    component: `first_exact` is the key of the first document with the same exact hash (None
    unless an exact duplicate), `candidates` the verified (key, score, similarity) of the
    earlier documents its band keys matched, in band order. This replays
    `Deduplicator::check_fingerprint` in input order: the first match of each root is kept,
    the best score wins (ties keep the earlier band), matched clusters join under the
    earliest root, and `cluster` is the root at the moment the document is checked.
    Candidates that failed verification change nothing there, so they are not needed.
    Yields (key, status, duplicate_of id, cluster id, score, similarity): the score in full, the
    similarity rounded as the record shows it."""
    members = sorted(members, key=lambda member: member[0])
    ids = {key: doc_id for key, doc_id, _, _ in members}
    parent = {}

    def root(node):
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for key, doc_id, first_exact, candidates in members:
        if first_exact is not None:
            top = root(first_exact)
            parent[key] = top
            yield (key, "exact", ids[first_exact], ids[top], 1.0, 1.0)
            continue
        best = None
        matched = []
        for candidate, score, similarity in candidates:
            if candidate in matched or (best is not None and best[0] == candidate):
                continue
            if best is None or score > best[1]:
                best = (candidate, score, similarity)
            top = root(candidate)
            if top not in matched:
                matched.append(top)
        if best is None:
            parent[key] = key
            yield (key, "unique", None, doc_id, None, None)
            continue
        top = min(matched)
        for other in matched:
            parent[other] = top
        parent[key] = top
        yield (key, "near", ids[best[0]], ids[top], best[1], best[2])


def deduplicate(spark, signatures, settings, partitions):
    """Every document's verdict, keyed by its order key: an RDD of (key, Verdict)."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    schema = T.StructType([
        T.StructField("key", T.LongType(), False),
        T.StructField("id", T.StringType(), False),
        T.StructField("exact", T.StringType(), False),
        T.StructField("bands", T.ArrayType(T.LongType(), False), False),
        T.StructField("fingerprint", T.StringType(), False),
        T.StructField("shingles", T.LongType(), False),
    ])
    docs = spark.createDataFrame(
        signatures.map(lambda item: (item[1],) + tuple(item[2])), schema)

    # Exact duplicates: the first document with the same canonical-text hash.
    first = docs.groupBy("exact").agg(F.min("key").alias("first_exact"))
    docs = docs.join(first, "exact").persist()
    exact_edges = (docs.where(F.col("first_exact") != F.col("key"))
                   .select(F.col("key").alias("src"), F.col("first_exact").alias("dst")))

    # Band keys of the documents the single-machine index looks up and inserts: not exact
    # duplicates, with at least one shingle. A key's holder is the first document to insert it.
    banded = (docs.where((F.col("first_exact") == F.col("key")) & (F.col("shingles") > 0))
              .select("key", F.posexplode("bands").alias("band", "folded")))
    holders = banded.groupBy("band", "folded").agg(F.min("key").alias("holder"))
    candidates = (banded.join(holders, ["band", "folded"])
                  .where(F.col("holder") < F.col("key"))
                  .groupBy("key", "holder").agg(F.min("band").alias("band"))).persist()

    # Verify each candidate pair with the binary, on the pair's two fingerprints.
    prints = docs.select("key", "fingerprint")
    pairs = (candidates
             .join(prints, "key")
             .join(prints.select(F.col("key").alias("holder"),
                                 F.col("fingerprint").alias("holder_fingerprint")), "holder")
             .select("key", "holder", "fingerprint", "holder_fingerprint"))
    verified_schema = T.StructType([
        T.StructField("key", T.LongType(), False),
        T.StructField("holder", T.LongType(), False),
        T.StructField("score", T.DoubleType(), False),
        T.StructField("similarity", T.DoubleType(), False),
    ])
    verified = spark.createDataFrame(
        pairs.rdd.map(tuple).mapPartitions(verify_partition(settings)), verified_schema)
    verified = verified.join(candidates, ["key", "holder"]).persist()

    edges = exact_edges.union(
        verified.select(F.col("key").alias("src"), F.col("holder").alias("dst"))).persist()
    if not edges.take(1):
        # No duplicates at all: every document is unique, its own cluster.
        return docs.select("key", "id").rdd.map(
            lambda row: (row.key, Verdict("unique", None, row.id, None,
                                          dedup_object("unique", None, row.id, None))))
    components = connected_components(edges)

    # Each component's members with what the replay needs, grouped by component.
    lists = (verified.groupBy("key").agg(F.sort_array(F.collect_list(
        F.struct("band", "holder", "score", "similarity"))).alias("candidates")))
    members = (components.withColumnRenamed("vertex", "key")
               .join(docs.select("key", "id", "first_exact"), "key")
               .join(lists, "key", "left"))

    def member(row):
        first_exact = row.first_exact if row.first_exact != row.key else None
        candidates = [(c.holder, c.score, c.similarity) for c in (row.candidates or [])]
        return (row.component, (row.key, row.id, first_exact, candidates))

    verdicts = (members.rdd.map(member).groupByKey(partitions)
                .flatMap(lambda group: replay_component(list(group[1]))))
    joined = (docs.select("key", "id").rdd.map(tuple)
              .leftOuterJoin(verdicts.map(lambda v: (v[0], v[1:])), partitions))

    def dedup_json(item):
        key, (doc_id, verdict) = item
        status, duplicate_of, cluster, score, similarity = (
            verdict or ("unique", None, doc_id, None, None))
        return (key, Verdict(status, duplicate_of, cluster, score,
                             dedup_object(status, duplicate_of, cluster, similarity)))

    return joined.map(dedup_json)


# A document's verdict as the merge needs it: what a duplicates line shows (the score in full,
# as `docpipe run --drop-duplicates` writes it) and the record's `dedup` value as JSON.
Verdict = collections.namedtuple("Verdict", "status duplicate_of cluster score dedup")


def dedup_object(status, duplicate_of, cluster, similarity):
    """The record's `dedup` value as docpipe writes it (serde_json: compact, fields in order,
    non-ASCII as is; floats in shortest round-trip form, as Python's repr)."""
    return "{%s}" % ",".join([
        '"status":' + json.dumps(status),
        '"duplicate_of":' + json.dumps(duplicate_of, ensure_ascii=False),
        '"cluster":' + json.dumps(cluster, ensure_ascii=False),
        '"similarity":' + json.dumps(similarity),
    ])


DEDUP_FIELD = ',"dedup":'


def splice_dedup(record, dedup):
    """Replaces the `dedup` value of a record line with `dedup`. Inside JSON strings every quote
    is escaped, so `,"dedup":` followed by an object occurs once: the record's own field (the
    metadata's values are strings)."""
    start = record.find(DEDUP_FIELD + "{")
    if start < 0:
        raise ValueError("a record without its dedup field")
    value_start = start + len(DEDUP_FIELD)
    _, value_end = json.JSONDecoder().raw_decode(record, value_start)
    return record[:value_start] + dedup + record[value_end:]


def in_input_order(tagged, chunks, partitions):
    """`tagged` ((key, tag), value) sorted by key and tag, range-partitioned on the chunk so
    that partitions in order are the input order (one shuffle)."""
    def partition(key):
        return min((key[0] >> CHUNK_SHIFT) * partitions // max(chunks, 1), partitions - 1)

    return tagged.repartitionAndSortWithinPartitions(partitions, partition)


def by_document(items):
    """Groups sorted ((key, tag), value) items into (key, {tag: value}) per document."""
    for key, group in itertools.groupby(items, key=lambda item: item[0][0]):
        yield key, {tag: value for (_, tag), value in group}


RECORD, VERDICT, STORY, STORY_INPUT = 0, 1, 2, 3


def merge_in_order(records, verdicts, stories, chunks, partitions, drop_duplicates):
    """The final lines in input order across partitions: ("record", line) for records (key,
    line), with their verdicts (key, Verdict) spliced in when dedup runs and their story ids
    (key, JSON value) when stories run, and with `drop_duplicates` ("duplicate", line)
    instead for duplicates."""
    tagged = records.map(lambda item: ((item[0], RECORD), item[1]))
    if verdicts is not None:
        tagged = tagged.union(verdicts.map(lambda item: ((item[0], VERDICT), item[1])))
    if stories is not None:
        tagged = tagged.union(stories.map(lambda item: ((item[0], STORY), item[1])))

    def lines(items):
        for _, parts in by_document(items):
            record, verdict, story = parts[RECORD], parts.get(VERDICT), parts.get(STORY)
            if verdict is not None and drop_duplicates and verdict.status != "unique":
                yield ("duplicate", duplicate_line(record, verdict))
                continue
            if verdict is not None:
                record = splice_dedup(record, verdict.dedup)
            if story is not None:
                record = splice_story(record, story)
            yield ("record", record)

    return in_input_order(tagged, chunks, partitions).mapPartitions(lines)


STORY_FIELD = ',"story":'


def splice_story(record, story):
    """Replaces the `story` value of a record line, its last field, with `story` (a JSON
    value as `docpipe stories` wrote it). Quotes inside JSON strings are escaped, so the last
    `,"story":` is the record's own field."""
    start = record.rfind(STORY_FIELD)
    if start < 0 or not record.endswith("}"):
        raise ValueError("a record without its story field")
    return record[:start + len(STORY_FIELD)] + story + "}"


def story_options(run_args):
    """The options of `run_args` (after `--`) that `docpipe stories` takes as well."""
    options, rest = [], iter(run_args)
    for arg in rest:
        name = arg.split("=", 1)[0]
        if name in STORY_OPTIONS:
            options.append(arg)
            if "=" not in arg:
                options.append(next(rest, ""))
    return options


def story_pass(sc, results, verdicts, settings, plan, partitions, output, drop_duplicates):
    """The stories stage, serial as on one machine: each document's prepared article (from
    the executors' `--story-inputs`) with its final verdict, in input order, streamed from the
    executors through the driver into one `docpipe stories` process. It writes the stories
    file (copied to DIR/stories/part-00000); the story ids, one per document, are written to
    DIR/story-ids.tmp and returned as an RDD of (key, JSON value) for the merge, with the
    path to remove after it."""
    tagged = results.filter(lambda item: item[0] == "t").map(
        lambda item: ((item[1], STORY_INPUT), item[2]))
    if verdicts is not None:
        tagged = tagged.union(verdicts.map(lambda item: ((item[0], VERDICT), item[1].dedup)))

    def story_lines(items):
        for key, parts in by_document(items):
            verdict = parts.get(VERDICT)
            line = parts[STORY_INPUT]
            yield key, (line if verdict is None else verdict + "\t" + line)

    ordered = in_input_order(tagged, plan.chunks, partitions).mapPartitions(story_lines)
    keys = collections.deque()

    def feed():
        for key, line in ordered.toLocalIterator():
            keys.append(key)
            yield line.encode("utf-8") + b"\n"

    workdir = tempfile.mkdtemp(prefix="docpipe-stories-")
    stories_file = os.path.join(workdir, "stories.jsonl")
    command = [settings["binary_path"], "stories", "-", "-o", stories_file]
    if drop_duplicates:
        command.append("--drop-duplicates")
    command += story_options(settings["run_args"])
    ids_path = output_path(output, "story-ids.tmp")
    with LineWriter(sc, output_path(ids_path, "part-00000")) as ids:
        for line in stream_through(command, feed()):
            ids.write(f"{keys.popleft()}\t{line.decode('utf-8')}\n")
    if keys:
        raise RuntimeError("docpipe stories gave fewer story ids than documents")
    with open(stories_file, encoding="utf-8") as file, \
            LineWriter(sc, output_path(output_path(output, "stories"), "part-00000")) as out:
        for line in file:
            out.write(line)
    shutil.rmtree(workdir)

    def story_id(line):
        key, value = line.split("\t", 1)
        return int(key), value

    return sc.textFile(spark_path(ids_path)).map(story_id), ids_path


class LineWriter:
    """A text file written piece by piece, locally or through Hadoop's FileSystem (parent
    folders created)."""

    def __init__(self, sc, path):
        self.sc, self.path = sc, path
        self.local = None
        self.stream = None

    def __enter__(self):
        if is_uri(self.path):
            fs, target = hadoop_fs(self.sc, self.path)
            self.stream = fs.create(target, True)
        else:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            self.local = open(self.path, "w", encoding="utf-8")
        return self

    def write(self, text):
        if self.local is not None:
            self.local.write(text)
        else:
            self.stream.write(bytearray(text.encode("utf-8")))

    def __exit__(self, *exc):
        if self.local is not None:
            self.local.close()
        else:
            self.stream.close()
        return False


def duplicate_line(record, verdict):
    """A line of `NAME.duplicates.jsonl` as `docpipe run --drop-duplicates` writes it."""
    parsed = json.loads(record)
    return "{%s}" % ",".join([
        '"id":' + json.dumps(parsed["id"], ensure_ascii=False),
        '"source":' + json.dumps(parsed["source"], ensure_ascii=False),
        '"duplicate_of":' + json.dumps(verdict.duplicate_of, ensure_ascii=False),
        '"cluster":' + json.dumps(verdict.cluster, ensure_ascii=False),
        '"status":' + json.dumps(verdict.status),
        '"similarity":' + json.dumps(verdict.score),
    ])


# ---------------------------------------------------------------------------------------------
# The job
# ---------------------------------------------------------------------------------------------

def output_path(output, name):
    """A file or folder inside the output directory (a local path or a URI)."""
    return output.rstrip("/") + "/" + name if is_uri(output) else os.path.join(output, name)


def remove_output(sc, output):
    """Removes an earlier output, as `docpipe run` replaces its output file."""
    if is_uri(output):
        fs, path = hadoop_fs(sc, output)
        if fs.exists(path):
            fs.delete(path, True)
    elif os.path.exists(output):
        shutil.rmtree(output)


def write_text(sc, path, text):
    """Writes a small text file, locally or through Hadoop's FileSystem."""
    if not is_uri(path):
        with open(path, "w", encoding="utf-8") as file:
            file.write(text)
        return
    fs, target = hadoop_fs(sc, path)
    stream = fs.create(target, True)
    try:
        stream.write(bytearray(text.encode("utf-8")))
    finally:
        stream.close()


def main(argv):
    """Runs the job and prints a JSON summary (counts and seconds per step)."""
    args = parse_args(argv)
    started = time.perf_counter()
    from pyspark import StorageLevel
    from pyspark.sql import SparkSession

    builder = (SparkSession.builder.appName("docpipe")
               .config("spark.ui.showConsoleProgress", "false"))
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    sc.setLogLevel("ERROR")
    partitions = args.partitions or 2 * sc.defaultParallelism
    spark.conf.set("spark.sql.shuffle.partitions", str(partitions))
    timings = {"session_start": time.perf_counter() - started}

    def step(name, since):
        timings[name] = round(time.perf_counter() - since, 2)
        return time.perf_counter()

    clock = time.perf_counter()
    binary = shutil.which(args.binary) or args.binary
    if not os.path.isfile(binary):
        raise SystemExit(f"docpipe_spark: no docpipe binary at {args.binary}")
    sc.addFile(binary)
    plan = Plan(sc, walk_inputs(sc, args.inputs), partitions)
    clock = step("plan_and_count_lines", clock)

    idf = None
    if "summarize" in args.stage_list:
        idf = compute_idf(sc, plan, binary, args.text_field)
        if idf:
            sc.addFile(idf)
    clock = step("idf", clock)

    run_args = ["--text-field", args.text_field] + args.run_args
    settings = {"binary": os.path.basename(binary), "binary_path": binary,
                "threads": args.threads,
                "stages": args.stage_list, "idf": IDF_FILE_NAME if idf else None,
                "run_args": run_args}
    results = process_partitions(plan, settings).persist(StorageLevel.MEMORY_AND_DISK)
    records = results.filter(lambda item: item[0] == "r").map(lambda item: item[1:])
    counts = dict(results.map(lambda item: (item[0], 1)).countByKey())
    clock = step("per_document_stages", clock)

    verdicts = None
    if "dedup" in args.stage_list:
        signatures = results.filter(lambda item: item[0] == "s")
        verdicts = deduplicate(spark, signatures, settings, partitions)
    drop = args.drop_duplicates and verdicts is not None
    if verdicts is not None:
        verdicts = verdicts.persist(StorageLevel.MEMORY_AND_DISK)
    remove_output(sc, args.output)
    clock = step("dedup", clock)
    stories, story_ids = None, None
    if "stories" in args.stage_list:
        stories, story_ids = story_pass(sc, results, verdicts, settings, plan, partitions,
                                        args.output, drop)
    clock = step("stories", clock)
    lines = merge_in_order(records, verdicts, stories, plan.chunks, partitions, drop)
    if drop:
        lines = lines.persist(StorageLevel.MEMORY_AND_DISK)
    (lines.filter(lambda line: line[0] == "record").values()
     .saveAsTextFile(spark_path(output_path(args.output, "records"))))
    if drop:
        (lines.filter(lambda line: line[0] == "duplicate").values()
         .saveAsTextFile(spark_path(output_path(args.output, "duplicates"))))
    if story_ids:
        remove_output(sc, story_ids)
    clock = step("merge_and_write", clock)

    rejects = (results.filter(lambda item: item[0] == "x")
               .zipWithIndex().map(lambda pair: ((pair[0][1], pair[1]), pair[0][2]))
               .sortByKey(numPartitions=1).values())
    rejects.saveAsTextFile(spark_path(output_path(args.output, "rejects")))
    step("write_rejects", clock)
    timings["total"] = round(time.perf_counter() - started, 2)
    timings["session_start"] = round(timings["session_start"], 2)
    summary = {"documents": counts.get("r", 0), "rejected": counts.get("x", 0),
               "partitions": partitions, "chunks": plan.chunks,
               "idf": "file" if idf else ("shipped" if "summarize" in args.stage_list else None),
               "seconds": timings}
    write_text(sc, output_path(args.output, "summary.json"), json.dumps(summary, indent=1))
    print(json.dumps(summary))
    spark.stop()
    if idf:
        shutil.rmtree(os.path.dirname(idf))


if __name__ == "__main__":
    main(sys.argv[1:])
