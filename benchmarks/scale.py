"""Memory and time of the streaming pipeline at ×1, ×4 and ×16 the UN paragraphs, on Dask.

Corpora: the UN General Debate speeches 2000–2024, replicated ``R`` times (replica ``r`` gets ids
``ID~r`` and is dated in month ``r mod 12 + 1`` of its year, so volume per year grows ``R``-fold
and the months fill), written as JSONL files of at most 1,000 speeches — ×16 is 76,688 speeches,
2.35 million paragraphs. De-duplication is off: the replicas are duplicates by construction.

Each run is a fresh process doing, on a local Dask cluster of ``W`` worker processes:

    ingest_dataset (paragraphs) → stream_themes (dictionary, yearly, 1,000 bootstrap draws)
    → vectorize_dataset (min_df 5 documents in 146,835, as a share; max_df 0.5)
    → fit_dataset (NMF, K = 20, 2 epochs)

min_df is a share so that every scale keeps the ×1 vocabulary: with an absolute min_df of 5 the
replicas let every word seen once in the UN speeches through at ×16 (5 copies), the vocabulary
grows several-fold and NMF's K × V work with it — growth of the task, not of the pipeline.

Its peak memory is the largest sum of the resident memory of the whole process tree (the driver
and every worker), sampled every 0.1 s. The peer, run the same way at ×1 and ×4, is the
in-memory pipeline (ingest → analyze_themes → Vectorizer → NMF(solver="cd")), whose memory grows
with the corpus.

Prints a table and a final JSON line::

    {"rows": [...], "seconds": [...], "peak_rss_mb": [...], "rss_growth_x16": ...,
     "seconds_per_million": ..., "workers_speedup_2v1": ..., "steps_speedup_2v1": {...},
     "idle_share": {...}, "machine_ceiling_2v1": ..., "memory_peer": {...}}

Targets: ``rss_growth_x16`` ≤ 1.5, seconds ×16 / ×1 ≤ 17 (issue 18); speedup 2 vs 1 worker
≥ 1.7 overall and ≥ 1.5 for every step (issue 31), read beside ``machine_ceiling_2v1`` — two
plain Python processes at once against one on the same machine, the most two workers can give.

Per step (on the middle scale, 1 and 2 workers, one run): ``steps_speedup_2v1`` and
``idle_share`` — the share of the step's wall time × workers during which no task ran, from
Dask's task stream (scheduling, serialisation, merges in the client, Python loops between
tasks). The cluster's start (~3 s) is timed apart: ``workers_speedup_2v1`` includes it,
``workers_speedup_2v1_without_start`` does not.

Usage: python benchmarks/scale.py [--scales 1,4,16] [--quick] [--no-peer]
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from topics.paths import data_dir, shared_path

SOURCE = ("corpora", "ungd", "ungdc_2000_2024.jsonl.gz")
PER_FILE = 1000
EPOCHS = 2
#: min_df as a share: 5 of the ×1 corpus's 146,835 paragraphs (4.5 keeps float rounding clear).
MIN_DF = 4.5 / 146_835


def build(folder: Path, replicas: int) -> list[Path]:
    """Write ``replicas`` copies of the UN speeches as JSONL files; return the files."""
    source = shared_path(*SOURCE)
    if source is None:
        raise SystemExit("UN General Debate corpus not found (../shared/corpora/ungd)")
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        speeches = [json.loads(line) for line in handle]
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for replica in range(replicas):
        rows = [
            {"id": f"{s['id']}~{replica}", "text": s["text"],
             "date": f"{s['year']}-{replica % 12 + 1:02d}", "country": s["country_iso3"]}
            for s in speeches
        ]  # fmt: skip
        for start in range(0, len(rows), PER_FILE):
            path = folder / f"r{replica:02d}-{start // PER_FILE}.jsonl"
            path.write_text("".join(json.dumps(r) + "\n" for r in rows[start : start + PER_FILE]))
            files.append(path)
    return files


STREAMING = """
import json, sys, time
from pathlib import Path
from distributed import get_task_stream
from topics.models import NMF
from topics.scale import Engine, fit_dataset, ingest_dataset, stream_themes, vectorize_dataset
from topics.text.vectorizer import Vectorizer
from topics.themes import Codebook

inputs, work, workers, codebook, epochs = sys.argv[1:6]
MIN_DF = float(sys.argv[6])
if __name__ == "__main__":
    start = time.perf_counter()
    steps, busy = {}, {}
    with Engine(workers=int(workers), progress=False) as engine:
        engine.client  # the cluster's start is not a step
        steps["start"] = time.perf_counter() - start

        def step(name, run):
            began = time.perf_counter()
            with get_task_stream(engine.client) as stream:  # Dask's own record of each task
                out = run()
            steps[name] = time.perf_counter() - began
            busy[name] = sum(part["stop"] - part["start"] for task in stream.data
                             for part in task["startstops"] if part["action"] == "compute")
            return out

        done = step("ingest", lambda: ingest_dataset(
            Path(inputs), Path(work) / "dataset", segment="paragraphs", engine=engine,
            columns={"text": "text", "id": "id", "date": "date"},
        ))
        themes = step("trends", lambda: stream_themes(
            done.dataset, Codebook.from_toml(codebook), engine=engine, freq="year", n_boot=1000))
        matrices = step("vectorize", lambda: vectorize_dataset(
            done.dataset, Vectorizer(min_df=MIN_DF, max_df=0.5), Path(work) / "matrices",
            engine=engine))
        fit = step("nmf", lambda: fit_dataset(
            matrices, NMF(20), engine=engine, epochs=int(epochs), tol=0.0))
    print(json.dumps({"rows": len(done.dataset), "seconds": time.perf_counter() - start,
                      "steps": steps, "busy": busy, "updates": int(fit.model.n_batches_),
                      "themes": len(themes.trends)}))
"""

CEILING = """
import sys, time
def spin(n=6_000_000):
    total = 0
    for i in range(n):
        total += i * i % 7
    return total
if __name__ == "__main__":
    spin()
"""


def ceiling(repeats: int = 3) -> float:
    """The machine's own 2-process speedup: two plain Python processes at once against one.

    The best of ``repeats``: ``2 · t(one process) / t(two processes at once)`` — what two
    workers could reach with no scheduler, no serialisation and no shared state at all.
    """

    def wall(processes: int) -> float:
        began = time.perf_counter()
        running = [subprocess.Popen([sys.executable, "-c", CEILING]) for _ in range(processes)]
        for process in running:
            process.wait()
        return time.perf_counter() - began

    return max(2 * wall(1) / wall(2) for _ in range(repeats))


IN_MEMORY = """
import json, sys, time
from pathlib import Path
from topics.io.ingestion import ingest
from topics.models import NMF
from topics.text.vectorizer import Vectorizer
from topics.themes import Codebook, analyze_themes

inputs, work, workers, codebook, epochs = sys.argv[1:6]
MIN_DF = float(sys.argv[6])
start = time.perf_counter()
corpus = ingest(Path(inputs), segment="paragraphs",
                columns={"text": "text", "id": "id", "date": "date"}).corpus
analysis = analyze_themes(corpus, Codebook.from_toml(codebook), freq="year", n_boot=1000)
matrix = Vectorizer(min_df=MIN_DF, max_df=0.5).fit_transform(corpus)
model = NMF(20, max_iter=int(epochs) * 10).fit(matrix)
print(json.dumps({"rows": len(corpus), "seconds": time.perf_counter() - start}))
"""


def run(script: str, inputs: Path, workers: int, epochs: int = EPOCHS) -> dict[str, float]:
    """Run one pipeline in a fresh process; return its result with the tree's peak memory."""
    with tempfile.TemporaryDirectory(dir=inputs.parent) as work:
        codebook = data_dir() / "themes.toml"
        process = subprocess.Popen(
            [sys.executable, "-c", script, str(inputs), work, str(workers), str(codebook),
             str(epochs), repr(MIN_DF)],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        watched = psutil.Process(process.pid)
        peak = 0.0
        while process.poll() is None:
            try:
                tree = [watched, *watched.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()) / 2**20)
            except psutil.Error:
                pass
            time.sleep(0.1)
        out = process.stdout.read() if process.stdout else ""
        if process.returncode != 0:
            raise SystemExit(f"run failed ({process.returncode}): {out[-2000:]}")
        result = json.loads(out.strip().splitlines()[-1])
        result["peak_rss_mb"] = round(peak)
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,4,16")
    parser.add_argument("--quick", action="store_true", help="×1 and ×2 only (a smoke test)")
    parser.add_argument("--no-peer", action="store_true", help="skip the in-memory pipeline")
    args = parser.parse_args()
    scales = [1, 2] if args.quick else [int(s) for s in args.scales.split(",")]
    results: dict[int, dict[str, float]] = {}
    peer: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as root:
        for scale in scales:
            inputs = Path(root) / f"x{scale}"
            build(inputs, scale)
            results[scale] = run(STREAMING, inputs, workers=2)
            print(f"×{scale:<3} {results[scale]['rows']:>9,} paragraphs  "
                  f"{results[scale]['seconds']:7.1f} s  peak {results[scale]['peak_rss_mb']:6} MB  "
                  f"{ {k: round(v, 1) for k, v in results[scale]['steps'].items()} }",
                  flush=True)  # fmt: skip
            if not args.no_peer and (scale in (1, 4) or (args.quick and scale == 2)):
                memory = run(IN_MEMORY, inputs, workers=1)
                peer[f"x{scale}"] = {"seconds": round(memory["seconds"], 1),
                                     "peak_rss_mb": memory["peak_rss_mb"]}  # fmt: skip
                print(f"     in memory: {memory['seconds']:7.1f} s  peak "
                      f"{memory['peak_rss_mb']:6} MB", flush=True)  # fmt: skip
        middle = sorted(results)[len(results) // 2] if not args.quick else scales[-1]
        machine = round(ceiling(), 2)
        one = run(STREAMING, Path(root) / f"x{middle}", workers=1)
        two = results[middle]
        speedup = one["seconds"] / two["seconds"]
        # without the cluster's start (~3 s), which more workers cannot share
        work = (one["seconds"] - one["steps"]["start"]) / (two["seconds"] - two["steps"]["start"])
        step_speedup = {
            name: round(one["steps"][name] / two["steps"][name], 2)
            for name in one["steps"]
            if name != "start"
        }
        # share of each step's wall time × workers during which no task ran: scheduling,
        # serialisation, merges in the client, a worker waiting for the next task
        serial = {
            f"w{w}": {name: round(1 - r["busy"][name] / (w * r["steps"][name]), 2)
                      for name in r["busy"]}
            for w, r in ((1, one), (2, two))
        }  # fmt: skip
        print(
            f"×{middle} on 1 worker: {one['seconds']:.1f} s (2 workers: "
            f"{two['seconds']:.1f} s) → speedup {speedup:.2f}; per step {step_speedup}; "
            f"idle share {serial}; this machine's 2-process ceiling {machine}",
            flush=True,
        )
    first, last = min(results), max(results)
    peaks = [results[first]["peak_rss_mb"], results[last]["peak_rss_mb"]]
    summary = {
        "scales": sorted(results),
        "rows": [results[s]["rows"] for s in sorted(results)],
        "seconds": [round(results[s]["seconds"], 1) for s in sorted(results)],
        "peak_rss_mb": [results[s]["peak_rss_mb"] for s in sorted(results)],
        "steps": {
            f"x{s}": {k: round(v, 1) for k, v in results[s]["steps"].items()}
            for s in sorted(results)
        },
        f"rss_growth_x{last}": round(peaks[-1] / peaks[0], 2),
        f"time_growth_x{last}": round(results[last]["seconds"] / results[first]["seconds"], 2),
        "seconds_per_million": round(results[last]["seconds"] / results[last]["rows"] * 1e6, 1),
        "workers_speedup_2v1": round(speedup, 2),
        "workers_speedup_2v1_without_start": round(work, 2),
        "steps_speedup_2v1": step_speedup,
        "idle_share": serial,
        "machine_ceiling_2v1": machine,
        "efficiency_2v1": round(speedup / machine, 2),
        "speedup_scale": middle,
        "memory_peer": peer,
        "epochs": EPOCHS,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
