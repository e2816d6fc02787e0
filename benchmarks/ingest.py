"""Ingest throughput on the UN General Debate corpus, and memory on hostile input.

Runs, in one process:
  * the peer: ``pandas.read_json(lines=True)`` of the same file (no cleaning, dating or splitting);
  * ``topics.ingest`` to documents, to paragraphs, and to paragraphs with de-duplication.
Then, each in a fresh process (peak RSS is per process) running ``topics ingest``:
  * a baseline: one short article (the fixed overhead: interpreter, libraries);
  * a gzip bomb: 2 GiB of zeros as ``.jsonl.gz`` (2 MB on disk), which must be refused;
  * one 50 MB article with ``--dedupe``;
  * the floor under that: pyarrow's Parquet writer alone, in a process holding nothing but the
    article, writing it held once and held twice (raw and cleaned text, as a corpus keeps it)
    with the corpus's settings (zstd, no statistics for texts, through a Python file object),
    and held once with the leanest settings (no compression, dictionary or statistics);
  * one document without a blank line (5, 10 and 20 MB of sentences on one line) ingested with
    ``--segment paragraphs`` — split into sentence windows — whose seconds per MB must stay
    flat: linear segmentation (target: 20 MB takes at most 4.5 × the time of 5 MB).
Prints a table and a final JSON line with documents/s, MB/s (decompressed text), peak RSS, the
ratio of our time to the peer's, and the hostile cases' peak RSS and their excess over the
baseline (target: at most 2 × the largest document; the Parquet writer's own floor, printed
beside it, is above that).

Usage: python benchmarks/ingest.py [--path FILE] [--hostile-only] [--flat-only]
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

import topics
from topics.paths import shared_path


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


CHILD = """
import json, resource, sys
from topics.app.cli import main
status = main(sys.argv[1:])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"status": status, "peak_rss_mb": peak}))
"""


WRITER_FLOOR = """
import os, resource, sys
import pyarrow as pa, pyarrow.parquet as pq
document, out, copies, lean = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "lean"
pq.write_table(pa.table({"w": ["warm"]}), out)  # the writer's own fixed overhead
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
size = os.path.getsize(document)
columns = {}
for name in ("raw_text", "text")[:copies]:
    data = bytearray(size)  # the document as one zero-copy Arrow string
    with open(document, "rb", buffering=0) as handle:
        handle.readinto(data)
    offsets = pa.array([0, size], pa.int32()).buffers()[1]
    columns[name] = pa.StringArray.from_buffers(1, offsets, pa.py_buffer(data))
if lean:  # the least pyarrow's writer can do: no compression, dictionary or statistics
    pq.write_table(pa.table(columns), out, compression="none", use_dictionary=False,
                   write_statistics=False)
else:  # Corpus.to_parquet's settings, through a Python file object as atomic_file gives it
    with open(out, "wb") as handle:
        pq.write_table(pa.table(columns), handle, compression="zstd", write_statistics=False)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(peak - base)
"""


def _writer_floor(document: Path, out: Path, copies: int, settings: str) -> float:
    """Peak RSS (MB) above a warm writer's baseline to write ``document`` held ``copies`` times.

    ``settings`` is ``"corpus"`` (as :meth:`Corpus.to_parquet` writes) or ``"lean"``.
    """
    done = subprocess.run(
        [sys.executable, "-c", WRITER_FLOOR, str(document), str(out), str(copies), settings],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def _cli_peak(*args: str) -> dict[str, float]:
    """Run ``topics ARGS`` in a fresh process; return its exit status and peak RSS (MB)."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *args], capture_output=True, text=True, check=False
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _big_article(path: Path, megabytes: int = 50) -> None:
    """A deterministic article of ``megabytes`` MB: paragraphs of Zipf-distributed words."""
    rng = np.random.default_rng(0)
    syllables = ["ka", "za", "tra", "ne", "li", "mo", "ro", "sta", "pe", "ri", "go", "va", "lu"]
    words = np.array(
        ["".join(rng.choice(syllables, size=rng.integers(1, 4))) for _ in range(30000)]
    )
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("A very long article\n\n")
        written = 0
        while written < megabytes * 1_000_000:
            paragraph = " ".join(words[rng.zipf(1.3, size=120) % len(words)]) + ".\n\n"
            handle.write(paragraph)
            written += len(paragraph)


def _flat_article(path: Path, megabytes: int) -> None:
    """A deterministic document of ``megabytes`` MB of sentences without a single line break."""
    rng = np.random.default_rng(1)
    words = np.array(["trade", "Mr.", "U.S.", "corridor", "sanctions", "the", "agreed", "on"])
    sentence_words = words[rng.integers(0, len(words), size=(2000, 12))]
    sentences = [" ".join(row).capitalize() + "." for row in sentence_words]
    with open(path, "w", encoding="utf-8") as handle:
        written, k = 0, 0
        while written < megabytes * 1_000_000:
            block = " ".join(sentences[k % 2000 : k % 2000 + 100]) + " "
            handle.write(block)
            written += len(block)
            k += 100


def flat_segmentation(sizes: tuple[int, ...] = (5, 10, 20)) -> dict[str, object]:
    """Seconds per MB of ``topics ingest --segment paragraphs`` on paragraph-less documents."""
    per_mb: dict[str, float] = {}
    seconds: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for size in sizes:
            document = folder / f"flat{size}.txt"
            _flat_article(document, size)
            start = time.perf_counter()
            done = _cli_peak(
                "ingest", str(document), "--segment", "paragraphs", "-o",
                str(folder / f"flat{size}.parquet"),
            )  # fmt: skip
            seconds[size] = time.perf_counter() - start
            if done["status"] != 0:
                raise SystemExit(f"ingest of the {size} MB paragraph-less document failed")
            per_mb[str(size)] = round(seconds[size] / size, 3)
            print(f"{f'paragraph-less {size} MB':<28} {seconds[size]:6.1f} s, "
                  f"{per_mb[str(size)]:.3f} s/MB")  # fmt: skip
    ratio = seconds[sizes[-1]] / seconds[sizes[0]]
    print(f"{sizes[-1]} MB / {sizes[0]} MB time ratio {ratio:.2f} (linear: "
          f"{sizes[-1] / sizes[0]:.0f}; target ≤ 4.5)")  # fmt: skip
    return {"flat_seconds_per_mb": per_mb, "flat_ratio_20_over_5": round(ratio, 2)}


def _gzip_bomb(path: Path, gibibytes: int = 2) -> None:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1 << 20)
    with open(path, "wb") as handle:
        for _ in range(gibibytes << 10):
            handle.write(compressor.compress(block))
        handle.write(compressor.flush())


def hostile() -> dict[str, float]:
    """Peak RSS of ``topics ingest`` on a gzip bomb and on one 50 MB article (fresh processes)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "small.txt").write_text("A short article about trade and sanctions.\n")
        base = _cli_peak("ingest", str(folder / "small.txt"), "-o", str(folder / "s.parquet"))
        _gzip_bomb(folder / "bomb.jsonl.gz")
        bomb = _cli_peak("ingest", str(folder / "bomb.jsonl.gz"), "-o", str(folder / "b.parquet"))
        _big_article(folder / "big.txt")
        doc_mb = (folder / "big.txt").stat().st_size / 1e6
        start = time.perf_counter()
        big = _cli_peak(
            "ingest", str(folder / "big.txt"), "--dedupe", "-o", str(folder / "big.parquet")
        )
        seconds = time.perf_counter() - start
        floor_lean = _writer_floor(folder / "big.txt", folder / "floor.parquet", 1, "lean")
        floor_one = _writer_floor(folder / "big.txt", folder / "floor.parquet", 1, "corpus")
        floor_two = _writer_floor(folder / "big.txt", folder / "floor.parquet", 2, "corpus")
    print(f"{'baseline (1 short doc)':<28} peak RSS {base['peak_rss_mb']:7.0f} MB")
    print(f"{'gzip bomb (2 GiB zeros)':<28} peak RSS {bomb['peak_rss_mb']:7.0f} MB "
          f"(exit {bomb['status']}: refused)")  # fmt: skip
    print(f"{'one 50 MB article, dedupe':<28} peak RSS {big['peak_rss_mb']:7.0f} MB "
          f"(exit {big['status']}, {seconds:.0f} s)")  # fmt: skip
    print(f"{'Parquet writer alone':<28} +{floor_one:.0f} MB for the article held once, "
          f"+{floor_two:.0f} MB held twice (raw and cleaned); +{floor_lean:.0f} MB once "
          "with no compression, dictionary or statistics")  # fmt: skip
    return {
        "baseline_rss_mb": round(base["peak_rss_mb"]),
        "bomb_status": bomb["status"],
        "bomb_peak_rss_mb": round(bomb["peak_rss_mb"]),
        "bomb_excess_mb": round(bomb["peak_rss_mb"] - base["peak_rss_mb"]),
        "doc50_status": big["status"],
        "doc50_mb": round(doc_mb, 1),
        "doc50_peak_rss_mb": round(big["peak_rss_mb"]),
        "doc50_excess_over_doc": round((big["peak_rss_mb"] - base["peak_rss_mb"]) / doc_mb, 2),
        "doc50_seconds": round(seconds, 1),
        "doc50_writer_floor_lean_one_copy_over_doc": round(floor_lean / doc_mb, 2),
        "doc50_writer_floor_one_copy_over_doc": round(floor_one / doc_mb, 2),
        "doc50_writer_floor_corpus_over_doc": round(floor_two / doc_mb, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--path", type=Path, default=shared_path("corpora", "ungd", "ungdc_2000_2024.jsonl.gz")
    )
    parser.add_argument("--hostile-only", action="store_true", help="only the memory cases")
    parser.add_argument(
        "--flat-only", action="store_true", help="only the paragraph-less segmentation timing"
    )
    args = parser.parse_args()
    flat = flat_segmentation()
    if args.flat_only:
        print(json.dumps(flat))
        return 0
    memory = {**hostile(), **flat}
    if args.hostile_only or args.path is None or not Path(args.path).exists():
        if not args.hostile_only:
            print("UN General Debate corpus not found (../shared/corpora/ungd or TOPICS_SHARED)")
        print(json.dumps(memory))
        return 0
    raw_mb = len(gzip.decompress(Path(args.path).read_bytes())) / 1e6
    columns = {"date": "year", "id": "id"}

    start = time.perf_counter()
    peer = pd.read_json(args.path, lines=True)
    peer_s = time.perf_counter() - start

    runs = {}
    for name, kwargs in {
        "documents": {},
        "paragraphs": {"segment": "paragraphs"},
        "paragraphs+dedupe": {"segment": "paragraphs", "dedupe": True},
    }.items():
        start = time.perf_counter()
        result = topics.ingest(args.path, columns=columns, **kwargs)
        seconds = time.perf_counter() - start
        runs[name] = {
            "seconds": round(seconds, 2),
            "documents": len(result.documents),
            "units": len(result.corpus),
        }
        print(
            f"{name:<20} {seconds:7.2f} s  {len(result.documents) / seconds:8.0f} docs/s  "
            f"{raw_mb / seconds:6.2f} MB/s  → {len(result.corpus):,} units"
        )
    print(f"{'peer read_json':<20} {peer_s:7.2f} s  ({len(peer)} rows, no cleaning)")
    para = runs["paragraphs"]
    summary = {
        "corpus": str(args.path.name),
        "input_mb": round(raw_mb, 1),
        "documents": para["documents"],
        "paragraphs": para["units"],
        "paragraph_seconds": para["seconds"],
        "docs_per_s": round(para["documents"] / para["seconds"], 1),
        "mb_per_s": round(raw_mb / para["seconds"], 2),
        "dedupe_seconds": runs["paragraphs+dedupe"]["seconds"],
        "peak_rss_mb": round(_peak_rss_mb(), 0),
        "ratio_vs_pandas_read_json": round(para["seconds"] / peer_s, 1),
        **memory,
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
