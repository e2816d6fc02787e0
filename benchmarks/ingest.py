"""Ingest throughput on the UN General Debate corpus (4,793 speeches, ~9.5 M words).

Runs, in one process:
  * the peer: ``pandas.read_json(lines=True)`` of the same file (no cleaning, dating or splitting);
  * ``topics.ingest`` to documents, to paragraphs, and to paragraphs with de-duplication.
Prints a table and a final JSON line with documents/s, MB/s (decompressed text), peak RSS and
the ratio of our time to the peer's.

Usage: python benchmarks/ingest.py [--path FILE]
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import sys
import time
from pathlib import Path

import pandas as pd

import topics
from topics.paths import shared_path


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--path", type=Path, default=shared_path("corpora", "ungd", "ungdc_2000_2024.jsonl.gz")
    )
    args = parser.parse_args()
    if args.path is None or not Path(args.path).exists():
        print(
            "skipped: UN General Debate corpus not found (../shared/corpora/ungd or TOPICS_SHARED)"
        )
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
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
