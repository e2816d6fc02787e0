"""The whole pipeline on all UN General Debate speeches 2000–2024.

ingest → paragraphs → vectorize (codebook phrases protected, seed terms kept) → keyword-seeded
LDA → yearly theme shares with bootstrap intervals → change points. Runs the pipeline on half
of the speeches and then on all of them (in subprocesses, so each has its own peak RSS), and
prints wall seconds, peak RSS, the four named themes' yearly shares 2019–2024, and the time
ratio full / half (doubling the input should cost ≤ 2.2× the time).
Targets: ≤ 5 minutes and ≤ 3 GB on a 2-core machine.

Usage: python benchmarks/ungd_pipeline.py [--max-iter 100] [--free 10]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

from topics.paths import data_dir, shared_path

NAMED = ["sanctions", "ukraine", "connectivity", "raw_materials"]


def run(fraction: float, max_iter: int, n_free: int) -> dict[str, object]:
    import pandas as pd

    import topics
    from topics.corpus.periods import assign_periods
    from topics.themes import Codebook, model_theme_shares, seeded_model
    from topics.trends import detect_changes, prevalence

    path = shared_path("corpora", "ungd", "ungdc_2000_2024.jsonl.gz")
    start = time.perf_counter()
    marks = {}
    result = topics.ingest(path, columns={"date": "year", "id": "id"})
    documents = result.documents
    if fraction < 1:
        documents = documents.select([i % round(1 / fraction) == 0 for i in range(len(documents))])
    paragraphs = documents.segment("paragraphs", min_chars=40)
    marks["ingest"] = time.perf_counter() - start
    codebook = Codebook.from_toml(data_dir() / "themes.toml")
    config = codebook.preprocess_config()
    seeds = [t for m in codebook.tokens(config).values() for t in m]
    vectorizer = topics.Vectorizer(config, min_df=20, max_df=0.5, keep_terms=seeds)
    matrix = vectorizer.fit_transform(paragraphs)
    marks["vectorize_corpus"] = time.perf_counter() - start
    model = seeded_model(
        matrix, codebook, n_free=n_free, config=config, backend="tomotopy", max_iter=max_iter
    )
    marks["model"] = time.perf_counter() - start
    shares = model_theme_shares(model, matrix, codebook.names)
    periods = assign_periods(paragraphs, "year")
    speeches = pd.Series(paragraphs.column("parent_id").to_numpy(), index=paragraphs.ids)
    trends = prevalence(shares, periods, n_boot=200, units=speeches)
    changes = detect_changes(shares, periods, units=speeches, n_perm=199, n_boot=200).changes
    seconds = time.perf_counter() - start
    marks["trends"] = seconds
    named = trends[trends["theme"].isin(NAMED) & (trends["period"].dt.year >= 2019)]
    table = {
        theme: {
            str(p.year): round(float(s), 4)
            for p, s in zip(group["period"], group["share"], strict=True)
        }
        for theme, group in named.groupby("theme")
    }
    return {
        "fraction": fraction,
        "speeches": len(documents),
        "paragraphs": len(paragraphs),
        "terms": matrix.shape[1],
        "seconds": round(seconds, 1),
        "stage_seconds": {k: round(v, 1) for k, v in marks.items()},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "shares_2019_2024": table,
        "changes": changes[changes["theme"].isin(NAMED)].astype(str).to_dict("records"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-iter", type=int, default=100, help="Gibbs sweeps (default 100)")
    parser.add_argument("--free", type=int, default=10, help="free topics besides the themes")
    parser.add_argument("--one", type=float, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if shared_path("corpora", "ungd", "ungdc_2000_2024.jsonl.gz") is None:
        print(
            "skipped: UN General Debate corpus not found (../shared/corpora/ungd or TOPICS_SHARED)"
        )
        return 0
    if args.one is not None:
        print(json.dumps(run(args.one, args.max_iter, args.free)))
        return 0
    results = []
    for fraction in (0.5, 1.0):
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(fraction), "--max-iter", str(args.max_iter),
             "--free", str(args.free)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        row = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(row)
        print(f"{fraction:>4.0%} of speeches: {row['speeches']} speeches, "
              f"{row['paragraphs']:,} paragraphs, {row['terms']:,} terms: {row['seconds']} s, "
              f"peak RSS {row['peak_rss_mb']} MB {row['stage_seconds']}", flush=True)  # fmt: skip
    full = results[-1]
    print("yearly shares 2019–2024 (seeded LDA, share of paragraph tokens' topic mass):")
    for theme, years in full["shares_2019_2024"].items():
        print(f"  {theme:<15}" + "  ".join(f"{y}: {s:.3f}" for y, s in years.items()))
    summary = {
        "seconds": full["seconds"],
        "peak_rss_mb": full["peak_rss_mb"],
        "doubling_time_ratio": round(full["seconds"] / results[0]["seconds"], 2),
        "paragraphs": full["paragraphs"],
        "shares_2019_2024": full["shares_2019_2024"],
        "changes": full["changes"],
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
