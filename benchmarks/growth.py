"""How `topics fit` (NMF) and `topics trends` grow with the corpus: 200k → 400k documents.

A synthetic corpus (Zipf-distributed words over a 20,000-word made-up vocabulary, 15–44 words a
document, 12 planted themes mixed into the documents, dates spread evenly over 2015–2024) of
``2 × --small`` documents is written as a CSV, and its first ``--small`` documents as another:
the large corpus is the small one and as much again of the same kind. Even so, how many
iterations NMF needs differs from one draw of data to the next (two independent draws of 100k
and 200k documents: 32 against 71 with scikit-learn's rule), so ``--draws`` independent nested
pairs (seeds 0, 1, …) are measured and the median ratio over the draws is the headline, with
every draw's ratio and iteration counts beside it. Each corpus is ingested once (not timed).
Then, for each size, each command runs in a fresh subprocess that measures its own wall time
and its peak resident memory (``resource.getrusage(RUSAGE_SELF).ru_maxrss``):

* ``topics fit CORPUS --model nmf --n-topics 20 --quiet`` (vectorise, fit, save, top terms, document
  shares, topic info);
* ``topics trends CORPUS --themes THEMES --freq quarter --boot 1000 --quiet`` (dictionary
  measure, Bayesian-bootstrap intervals).

Each command runs ``--repeats`` times per corpus and the fastest run is kept (one run of the
same command on the same data varies by about ±8 % on a 2-core machine); every run's time is
in the JSON. Prints one line per kept run and a final JSON line with the doubling ratios
(large / small) of time and of peak memory for each command (median over draws, and per
draw), plus the raw numbers.
Targets: time ratio ≤ 2.15 and memory ratio ≤ 2.0. A child's baseline (interpreter + imports,
~0.2 GB) is part of both peaks, so memory ratios of a linear program are a little under 2.

Usage: python benchmarks/growth.py [--small 200000] [--commands fit,trends] [--draws 3]
       [--repeats 2] [--folder DIR]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

_CHILD = """
import json, resource, sys, time
from topics.app.cli import main
start = time.perf_counter()
code = main(sys.argv[1:])
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print("GROWTH " + json.dumps({"rc": code, "seconds": seconds, "peak_mb": peak}))
"""

_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]


def vocabulary(n_words: int, rng: np.random.Generator) -> list[str]:
    """Made-up pronounceable words (3–4 syllables), unique, that no stop list holds."""
    words: dict[str, None] = {}
    while len(words) < n_words:
        n = int(rng.integers(3, 5))
        words["".join(rng.choice(_SYLLABLES, size=n))] = None
    return list(words)


def synthetic_corpus(n_docs: int, *, n_words: int = 20_000, seed: int = 0) -> pd.DataFrame:
    """Documents of 15–44 words: Zipf background plus one of 12 planted themes' words."""
    rng = np.random.default_rng(seed)
    vocab = np.asarray(vocabulary(n_words, np.random.default_rng(12345)))
    ranks = np.arange(1, n_words + 1)
    background = 1.0 / ranks**1.05
    background /= background.sum()
    themes = rng.permutation(n_words)[: 12 * 40].reshape(12, 40)
    lengths = rng.integers(15, 45, size=n_docs)
    total = int(lengths.sum())
    words = rng.choice(n_words, size=total, p=background)
    theme_of = rng.integers(0, 12, size=n_docs)
    doc_of = np.repeat(np.arange(n_docs), lengths)
    planted = rng.random(total) < 0.3
    words[planted] = themes[theme_of[doc_of[planted]], rng.integers(0, 40, planted.sum())]
    tokens = vocab[words]
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    texts = [" ".join(tokens[a:b]) for a, b in itertools.pairwise(bounds)]
    days = rng.integers(0, 3650, size=n_docs)
    dates = (pd.Timestamp("2015-01-01") + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d")
    return pd.DataFrame({"id": [f"d{i}" for i in range(n_docs)], "date": dates, "text": texts})


def codebook(path: Path) -> None:
    """Twelve themes, each named by ten of its planted words (the same words at every size)."""
    n_words = 20_000
    vocab = np.asarray(vocabulary(n_words, np.random.default_rng(12345)))
    themes = np.random.default_rng(0).permutation(n_words)[: 12 * 40].reshape(12, 40)
    lines = []
    for t, row in enumerate(themes):
        terms = ", ".join(f'"{w}"' for w in vocab[row[:10]])
        lines += [f"[themes.theme{t}]", f'label = "Theme {t}"', f"terms = [{terms}]", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def run_child(argv: list[str]) -> dict[str, float]:
    """Run one `topics` command in a fresh interpreter; return its time and peak memory."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *argv], capture_output=True, text=True, check=False
    )
    lines = [x for x in done.stdout.splitlines() if x.startswith("GROWTH ")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"{argv[0]} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    result: dict[str, float] = json.loads(lines[-1].removeprefix("GROWTH "))
    return result


def _measure(command: str, parquet: Path, themes: Path, out: Path) -> dict[str, Any]:
    """Run one command on one corpus in a fresh process; for ``fit``, add NMF's iterations."""
    argv = {
        "fit": ["fit", str(parquet), "--model", "nmf", "--n-topics", "20", "--quiet",
                "-o", str(out)],
        "trends": ["trends", str(parquet), "--themes", str(themes), "--freq", "quarter",
                   "--boot", "1000", "--quiet", "-o", f"{out}.csv"],
    }[command]  # fmt: skip
    measured = run_child(argv)
    if command == "fit":
        meta = json.loads((out / "model.json").read_text(encoding="utf-8"))
        measured["n_iter"] = meta["attributes"].get("n_iter_", -1)
    return measured


def _nested_corpora(folder: Path, sizes: dict[str, int], seed: int) -> dict[str, Path]:
    """Write and ingest (untimed) the small and large corpora of one draw."""
    corpus: pd.DataFrame | None = None
    paths = {}
    for label, n_docs in sizes.items():
        parquet = folder / f"nested_s{seed}_{n_docs}.parquet"
        if not parquet.exists():
            csv = folder / f"nested_s{seed}_{n_docs}.csv"
            if corpus is None:
                corpus = synthetic_corpus(sizes["large"], seed=seed)
            corpus.iloc[:n_docs].to_csv(csv, index=False)
            print(f"draw {seed}: {n_docs:,} documents, {csv.stat().st_size / 1e6:.0f} MB CSV",
                  flush=True)  # fmt: skip
            run_child(["ingest", str(csv), "--text-col", "text", "--date-col", "date",
                       "--id-col", "id", "-o", str(parquet)])  # fmt: skip
            csv.unlink()
        paths[label] = parquet
    return paths


def _rounded(run: dict[str, Any]) -> dict[str, Any]:
    return {
        k: [round(x, 1) for x in v] if isinstance(v, list) else round(v, 1) for k, v in run.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=200_000, help="documents of the small run")
    parser.add_argument("--commands", default="fit,trends")
    parser.add_argument("--draws", type=int, default=3, help="independent nested pairs")
    parser.add_argument(
        "--repeats", type=int, default=2, help="runs of each command per corpus (fastest kept)"
    )
    parser.add_argument("--folder", type=Path, default=None, help="work folder (default: temp)")
    args = parser.parse_args()
    if args.draws < 1 or args.repeats < 1:
        parser.error(f"--draws and --repeats must be at least 1, got {args.draws}, {args.repeats}")
    commands = [c for c in args.commands.split(",") if c]
    folder = args.folder or Path(tempfile.mkdtemp(prefix="topics-growth-"))
    folder.mkdir(parents=True, exist_ok=True)
    themes = folder / "themes.toml"
    codebook(themes)
    sizes = {"small": args.small, "large": 2 * args.small}
    runs: dict[str, list[dict[str, dict[str, Any]]]] = {c: [] for c in commands}
    for seed in range(args.draws):
        corpora = _nested_corpora(folder, sizes, seed)
        for command in commands:
            pair = {}
            for label, parquet in corpora.items():
                out = folder / f"{command}_s{seed}_{sizes[label]}"
                tries = [_measure(command, parquet, themes, out) for _ in range(args.repeats)]
                pair[label] = measured = min(tries, key=lambda m: m["seconds"])
                measured["all_seconds"] = [t["seconds"] for t in tries]
                iterations = f"  {measured['n_iter']} iterations" if "n_iter" in measured else ""
                print(f"draw {seed} {command:<7} {sizes[label]:>9,} docs: "
                      f"{measured['seconds']:7.1f} s  peak {measured['peak_mb']:7.0f} MB"
                      f"{iterations}", flush=True)  # fmt: skip
            runs[command].append(pair)
    summary: dict[str, object] = {
        "small_docs": sizes["small"], "large_docs": sizes["large"], "draws": args.draws
    }  # fmt: skip
    for command, pairs in runs.items():
        for what, key in (("time", "seconds"), ("memory", "peak_mb")):
            ratios = [p["large"][key] / p["small"][key] for p in pairs]
            summary[f"{command}_{what}_ratio"] = round(float(np.median(ratios)), 3)
            summary[f"{command}_{what}_ratio_per_draw"] = [round(r, 3) for r in ratios]
    summary["runs"] = {
        c: [{k: _rounded(r) for k, r in pair.items()} for pair in pairs]
        for c, pairs in runs.items()
    }
    summary["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
