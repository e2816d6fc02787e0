"""A cluster started by hand, as the README shows: ``dask scheduler`` and two ``dask worker``.

Not a ``LocalCluster``: three separate processes on localhost, found through a scheduler file,
then the package's commands pointed at the scheduler's address. The dataset's trends must be
the bytes of the in-memory trends, and both workers must have done part of the work.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from topics.app.cli import main
from topics.paths import data_dir

DASK = Path(sys.executable).with_name("dask")


def _wait_for(path: Path, seconds: float) -> dict[str, object]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and path.stat().st_size:
            try:
                loaded: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
            except json.JSONDecodeError:  # written while we read
                pass
            else:
                return loaded
        time.sleep(0.2)
    raise AssertionError(f"no scheduler file at {path} after {seconds} s")


@pytest.fixture
def cluster(tmp_path):
    """Start a scheduler and two single-threaded workers; yield the address; stop them all."""
    if not DASK.exists():
        pytest.skip(f"the dask command is not installed beside {sys.executable}")
    file = tmp_path / "scheduler.json"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    common = {"cwd": tmp_path, "env": env, "stdout": subprocess.DEVNULL,
              "stderr": subprocess.DEVNULL}  # fmt: skip
    scheduler = subprocess.Popen(
        [str(DASK), "scheduler", "--scheduler-file", str(file), "--port", "0",
         "--no-dashboard", "--host", "127.0.0.1"], **common,
    )  # fmt: skip
    started = [scheduler]
    try:
        address = str(_wait_for(file, 60)["address"])
        for name in ("w1", "w2"):
            started.append(subprocess.Popen(
                [str(DASK), "worker", address, "--nthreads", "1", "--name", name,
                 "--no-dashboard", "--host", "127.0.0.1", "--local-directory",
                 str(tmp_path / name)], **common,
            ))  # fmt: skip
        from distributed import Client

        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for process in reversed(started):
            process.terminate()
        for process in reversed(started):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def test_commands_run_on_a_scheduler_and_two_worker_processes(seeds_dir, tmp_path, cluster):
    themes = str(data_dir() / "themes.toml")
    common = ["--segment", "paragraphs"]
    dataset, corpus = tmp_path / "ds", tmp_path / "c.parquet"
    assert main(["ingest", str(seeds_dir), "-o", str(dataset), "--dataset", "--chunk-rows", "6",
                 "--scheduler", cluster, *common]) == 0  # fmt: skip
    assert main(["ingest", str(seeds_dir), "-o", str(corpus), *common]) == 0
    for source, name in ((dataset, "s"), (corpus, "m")):
        extra = ["--scheduler", cluster] if name == "s" else []
        out = str(tmp_path / f"{name}.csv")
        assert main(["trends", str(source), "--themes", themes, "--freq", "quarter",
                     "--boot", "200", "-o", out, *extra]) == 0  # fmt: skip
    assert (tmp_path / "s.csv").read_bytes() == (tmp_path / "m.csv").read_bytes()
    manifest = json.loads((tmp_path / "s.manifest.json").read_text(encoding="utf-8"))
    engine = json.dumps(manifest)
    assert cluster in engine  # the manifest says where the chunks ran
    from distributed import Client

    with Client(cluster, timeout=30) as client:
        # a lambda travels by value (the workers cannot import this test module);
        # client.run passes each worker as ``dask_worker``
        done = client.run(lambda dask_worker: int(dask_worker.state.executed_count))
    assert len(done) == 2
    assert all(count > 0 for count in done.values())  # both workers took tasks
