"""Fit time and peak memory of every backend on OCTIS BBC News (fixed vocabulary), K = 10…50.

Each (backend, K) fit runs in its own subprocess; its peak resident memory is measured by
resetting Linux's high-water mark after the data are loaded and reading it after the fit, so the
figure covers the fit alone, C/C++ heaps (gensim, tomotopy) included.
Prints a table and a final JSON line ``{"results": [...]}``.

Usage: python benchmarks/fit_bbc.py [--ks 10,20,30,40,50] [--backends lda-gensim,nmf-cd]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from topics.errors import InputError
from topics.evaluation.datasets import load_octis_bbc

BACKENDS = {
    "lda-sklearn": ("lda", {"backend": "sklearn"}),
    "lda-sklearn-online": ("lda", {"backend": "sklearn-online"}),
    "lda-gensim": ("lda", {"backend": "gensim"}),
    "lda-gensim-multicore": ("lda", {"backend": "gensim-multicore", "n_jobs": 2}),
    "lda-tomotopy": ("lda", {"backend": "tomotopy"}),
    "nmf-cd": ("nmf", {}),
    "nmf-mu-kl": ("nmf", {"solver": "mu", "beta_loss": "kullback-leibler", "weighting": "counts"}),
    "nmf-minibatch": ("nmf", {"solver": "minibatch"}),
}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> bool:
    """Reset the process's peak-RSS mark (Linux ``clear_refs``); False where not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _one(backend: str, k: int) -> None:
    from topics.models import LDA, NMF

    matrix = load_octis_bbc().matrix
    base = _rss_mb()
    family, params = BACKENDS[backend]
    model = (LDA if family == "lda" else NMF)(k, random_state=0, **params)
    resettable = _reset_peak()
    before = _status_mb("VmRSS")
    start = time.perf_counter()
    model.fit(matrix)
    seconds = time.perf_counter() - start
    peak = _status_mb("VmHWM") if resettable else _rss_mb()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_rss_mb": _rss_mb(),
                # Peak resident memory during the fit above what the process held before it
                # (C/C++ heaps included); needs Linux's resettable high-water mark.
                "fit_rss_mb": max(peak - before, 0.0) if resettable else peak - base,
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ks", default="10,20,30,40,50")
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--one", nargs=2, metavar=("BACKEND", "K"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        _one(args.one[0], int(args.one[1]))
        return 0
    try:
        matrix = load_octis_bbc().matrix
    except InputError as exc:
        print(f"skipped: {exc}")
        return 0
    print(
        f"OCTIS BBC: {matrix.shape[0]} documents × {matrix.shape[1]} terms, "
        f"{int(matrix.counts.sum())} tokens"
    )
    results = []
    for backend in args.backends.split(","):
        for k in [int(x) for x in args.ks.split(",")]:
            out = subprocess.run(
                [sys.executable, __file__, "--one", backend, str(k)],
                check=True, capture_output=True, text=True,
            )  # fmt: skip
            row = {"backend": backend, "k": k, **json.loads(out.stdout.strip().splitlines()[-1])}
            results.append(row)
            print(
                f"{backend:<22} K={k:<3} {row['seconds']:8.2f} s   "
                f"peak RSS {row['peak_rss_mb']:5.0f} MB   "
                f"fit +{row['fit_rss_mb']:6.1f} MB",
                flush=True,
            )
    summary: dict[str, dict[str, float]] = {}
    for row in results:
        entry = summary.setdefault(row["backend"], {"total_seconds": 0.0, "max_peak_rss_mb": 0.0})
        entry["total_seconds"] = round(entry["total_seconds"] + row["seconds"], 2)
        entry["max_peak_rss_mb"] = max(entry["max_peak_rss_mb"], round(row["peak_rss_mb"]))
    print(json.dumps({"summary": summary, "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
