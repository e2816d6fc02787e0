"""Fault injection: commands killed (SIGKILL) mid-way, failing after a save, racing, on a full disk.

Each kill runs the command in a child process that patches one function to kill itself
(``os.kill(getpid(), SIGKILL)``) at the chosen point; the previous output — written by a
successful run first — must then be intact and consistent with its manifest, and no temporary
may be left once the watcher of the killed run has cleaned up.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from topics.app.cli import main
from topics.corpus import Corpus
from topics.manifest import file_sha256
from topics.outputs import verify_outputs
from topics.paths import data_dir

pytestmark = pytest.mark.skipif(
    not hasattr(signal, "SIGKILL") or sys.platform == "win32", reason="needs POSIX signals"
)

# The child: patch ``module:attribute`` so that its n-th call kills the process — before the
# call, after it, or (mode "midstream", for a function that opens a file to stream into)
# half-way through the first write into that file.
CHILD = r"""
import importlib, os, signal, sys
spec, when, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
module_name, attribute = spec.split(":")
owner = importlib.import_module(module_name)
*path, name = attribute.split(".")
for part in path:
    owner = getattr(owner, part)
original = getattr(owner, name)
calls = [0]

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def patched(*args, **kwargs):
    calls[0] += 1
    if calls[0] == when and mode == "before":
        die()
    if calls[0] == when and mode == "midstream":  # a file opened for streaming: die mid-write
        opened = original(*args, **kwargs)

        class Dying:
            def __init__(self, handle):
                self.handle = handle

            def __getattr__(self, attr):
                return getattr(self.handle, attr)

            def write(self, data):
                self.handle.write(bytes(data)[: max(1, len(data) // 2)])
                self.handle.flush()
                die()

        class Opened:
            def __enter__(self):
                return Dying(opened.__enter__())

            def __exit__(self, *exc):
                return opened.__exit__(*exc)

        return Opened()
    result = original(*args, **kwargs)
    if calls[0] == when and mode == "after":
        die()
    return result

setattr(owner, name, patched)
from topics.app.cli import main
sys.exit(main(sys.argv[4:]))
"""


def _run_killed(args, spec, when=1, mode="before"):
    done = subprocess.run(
        [sys.executable, "-c", CHILD, spec, str(when), mode, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == -signal.SIGKILL, (spec, done.returncode, done.stderr[-2000:])


def _temporaries(folder: Path) -> list[str]:
    # the watcher may be removing a temporary while we look: os.walk skips what vanishes
    names = []
    for _root, dirs, files in os.walk(folder):
        names += [n for n in (*dirs, *files) if ".topics-tmp-" in n]
    return sorted(names)


def _settled(folder: Path, timeout: float = 20.0) -> list[str]:
    """Wait for the killed run's watcher to clean up; return what is left."""
    deadline = time.monotonic() + timeout
    while (left := _temporaries(folder)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): file_sha256(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def corpora(tmp_path_factory, seeds_dir):
    """Two small corpora that give different outputs, and the themes."""
    folder = tmp_path_factory.mktemp("inputs")
    a, b = folder / "a", folder / "b"
    a.mkdir()
    b.mkdir()
    for i, path in enumerate(sorted(seeds_dir.glob("*.txt"))):
        (a / path.name).write_bytes(path.read_bytes())
        if i < 3:
            (b / path.name).write_bytes(path.read_bytes())
    return a, b


INGEST_POINTS = [
    ("topics.corpus.corpus:Corpus.to_parquet", 1, "before"),  # the corpus is made, nothing written
    ("topics.corpus.corpus:atomic_file", 1, "midstream"),  # Parquet bytes half written
    ("topics.io.ingestion:IngestReport.to_csv", 1, "after"),  # corpus and report staged
    ("topics.outputs:Outputs.manifest", 1, "before"),  # everything but the manifest staged
]


@pytest.mark.parametrize(("spec", "when", "mode"), INGEST_POINTS)
def test_killed_ingest_leaves_previous_output(tmp_path, corpora, spec, when, mode):
    a, b = corpora
    out, report = tmp_path / "corpus.parquet", tmp_path / "report.csv"
    assert main(["ingest", str(a), "-o", str(out), "--report", str(report)]) == 0
    before = _snapshot(tmp_path)
    _run_killed(["ingest", b, "-o", out, "--report", report], spec, when, mode)
    assert _settled(tmp_path) == []
    assert _snapshot(tmp_path) == before
    assert verify_outputs(tmp_path / "corpus.manifest.json") == []


def test_ingest_killed_during_the_commit_is_finished_by_the_watcher(tmp_path, corpora):
    """Killed after the first file was moved into place: the new output is completed, whole."""
    a, b = corpora
    out, report = tmp_path / "corpus.parquet", tmp_path / "report.csv"
    assert main(["ingest", str(a), "-o", str(out), "--report", str(report)]) == 0
    _run_killed(["ingest", b, "-o", out, "--report", report], "topics.outputs:_rename", 1, "after")
    assert _settled(tmp_path) == []
    assert verify_outputs(tmp_path / "corpus.manifest.json") == []
    manifest = json.loads((tmp_path / "corpus.manifest.json").read_text())
    assert manifest["data_fingerprint"] == Corpus.read_parquet(out).fingerprint()
    assert manifest["counts"]["kept"] == 3  # the new run's corpus (folder b), complete


FIT_POINTS = [
    ("topics.models._base:TopicModel.save", 1, "after"),  # model saved, tables not yet
    ("pandas:DataFrame.to_parquet", 1, "before"),  # doc_topics.parquet about to be written
    ("topics.outputs:Outputs.manifest", 1, "before"),
]


@pytest.mark.parametrize(("spec", "when", "mode"), FIT_POINTS)
def test_killed_fit_leaves_previous_model_folder(tmp_path, corpora, spec, when, mode):
    a, _ = corpora
    corpus, model = tmp_path / "c.parquet", tmp_path / "model"
    assert main(["ingest", str(a), "-o", str(corpus), "--segment", "paragraphs"]) == 0
    assert main(["fit", str(corpus), "--model", "nmf", "--n-topics", "3", "-o", str(model)]) == 0
    before = _snapshot(model)
    args = ["fit", corpus, "--model", "lda", "--backend", "sklearn", "--n-topics", "2", "-o", model]
    _run_killed(args, spec, when, mode)
    assert _settled(tmp_path) == []
    assert _snapshot(model) == before
    assert json.loads((model / "model.json").read_text())["class"] == "NMF"
    assert verify_outputs(model / "manifest.json") == []


@pytest.mark.parametrize(
    ("spec", "when", "mode"),
    [("pandas:DataFrame.to_csv", 1, "before"), ("topics.outputs:Outputs.manifest", 1, "before")],
)
def test_killed_trends_leaves_previous_csv(tmp_path, corpora, spec, when, mode):
    a, b = corpora
    themes = data_dir() / "themes.toml"
    corpus_a, corpus_b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    assert main(["ingest", str(a), "-o", str(corpus_a), "--segment", "paragraphs"]) == 0
    assert main(["ingest", str(b), "-o", str(corpus_b), "--segment", "paragraphs"]) == 0
    out = tmp_path / "trends.quarter.csv"
    common = ["--themes", str(themes), "--freq", "quarter", "--boot", "50", "-o", str(out)]
    assert main(["trends", str(corpus_a), *common]) == 0
    before = _snapshot(tmp_path)
    _run_killed(["trends", corpus_b, *common], spec, when, mode)
    assert _settled(tmp_path) == []
    assert _snapshot(tmp_path) == before
    assert verify_outputs(tmp_path / "trends.quarter.manifest.json") == []


def _report_config(tmp_path: Path, corpus: Path, folder: str = "report") -> Path:
    path = tmp_path / f"{folder}.toml"
    path.write_text(
        f"""[corpus]
path = "{corpus.as_posix()}"
segment = "paragraphs"

[themes]
codebook = "{(data_dir() / "themes.toml").as_posix()}"

[trends]
n_boot = 50
n_perm = 19

[output]
folder = "{folder}"
""",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("spec", "when", "mode"),
    [
        ("topics.plots:save_figure", 2, "after"),  # tables and two figures staged
        ("topics.app.report:dumps", 1, "before"),  # the report manifest about to be written
    ],
)
def test_killed_report_leaves_previous_folder(tmp_path, corpora, spec, when, mode):
    a, b = corpora
    assert main(["report", str(_report_config(tmp_path, a))]) == 0
    folder = tmp_path / "report"
    before = _snapshot(folder)
    _run_killed(["report", _report_config(tmp_path, b)], spec, when, mode)
    assert _settled(tmp_path) == []
    assert _snapshot(folder) == before
    assert verify_outputs(folder / "manifest.json") == []


def test_report_killed_after_the_swap_is_the_new_report(tmp_path, corpora):
    a, b = corpora
    assert main(["report", str(_report_config(tmp_path, a))]) == 0
    old = json.loads((tmp_path / "report" / "manifest.json").read_text())
    _run_killed(["report", _report_config(tmp_path, b)], "topics.outputs:_rename", 1, "after")
    assert _settled(tmp_path) == []
    new = json.loads((tmp_path / "report" / "manifest.json").read_text())
    assert new["data_fingerprint"] != old["data_fingerprint"]
    assert verify_outputs(tmp_path / "report" / "manifest.json") == []


def test_failure_after_model_save_leaves_old_folder_untouched(tmp_path, corpora, monkeypatch):
    """A failure after ``model.save`` into an existing folder (here: writing the tables)."""
    a, _ = corpora
    corpus, model = tmp_path / "c.parquet", tmp_path / "model"
    assert main(["ingest", str(a), "-o", str(corpus), "--segment", "paragraphs"]) == 0
    assert main(["fit", str(corpus), "--model", "nmf", "--n-topics", "3", "-o", str(model)]) == 0
    before = _snapshot(model)
    import pandas as pd

    def broken(*args, **kwargs):
        raise RuntimeError("planted failure after the model was saved")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    args = [
        "fit",
        str(corpus),
        "--model",
        "lda",
        "--backend",
        "sklearn",
        "--n-topics",
        "2",
        "-o",
        model,
    ]
    with pytest.raises(RuntimeError, match="planted"):
        main([str(x) for x in args])
    assert _snapshot(model) == before
    assert _temporaries(tmp_path) == []


def test_concurrent_ingests_to_one_target_end_consistent(tmp_path, corpora):
    a, b = corpora
    out = tmp_path / "corpus.parquet"
    for _ in range(2):
        children = [
            subprocess.Popen(
                [sys.executable, "-m", "topics", "ingest", str(src), "-o", str(out)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for src in (a, b)
        ]
        for child in children:
            assert child.wait(timeout=300) == 0, child.stderr.read() if child.stderr else ""
            if child.stderr:
                child.stderr.close()
        assert _settled(tmp_path) == []
        assert verify_outputs(tmp_path / "corpus.manifest.json") == []
        manifest = json.loads((tmp_path / "corpus.manifest.json").read_text())
        assert manifest["data_fingerprint"] == Corpus.read_parquet(out).fingerprint()
        assert manifest["counts"]["kept"] in (3, 5)


def test_full_disk_at_the_manifest_step_leaves_old_output(tmp_path, corpora, monkeypatch, capsys):
    """The corpus is written, then the manifest cannot be: nothing of the new run appears."""
    from pathlib import Path

    a, b = corpora
    out = tmp_path / "corpus.parquet"
    assert main(["ingest", str(a), "-o", str(out)]) == 0
    before = _snapshot(tmp_path)
    real = Path.write_text

    def full(self, *args, **kwargs):
        if ".manifest.json" in self.name:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full)
    capsys.readouterr()
    assert main(["ingest", str(b), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "corpus.manifest.json: No space left on device; the previous output is unchanged" in err
    assert _snapshot(tmp_path) == before
    assert _temporaries(tmp_path) == []


@pytest.mark.parametrize("command", ["ingest", "fit", "report"])
def test_full_disk_leaves_old_output_and_prints_one_line(
    tmp_path, corpora, monkeypatch, capsys, command
):
    a, b = corpora
    corpus = tmp_path / "c.parquet"
    assert main(["ingest", str(a), "-o", str(corpus), "--segment", "paragraphs"]) == 0
    if command == "ingest":
        args, folder = ["ingest", str(b), "-o", str(corpus)], tmp_path
    elif command == "fit":
        folder = tmp_path / "model"
        args = ["fit", str(corpus), "--model", "nmf", "--n-topics", "2", "-o", str(folder)]
        assert main(args) == 0
    else:
        config = _report_config(tmp_path, a)
        assert main(["report", str(config)]) == 0
        args, folder = ["report", str(config)], tmp_path / "report"
    before = _snapshot(folder)
    capsys.readouterr()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    import pandas as pd

    monkeypatch.setattr(pd.DataFrame, "to_csv", full)  # fit and report write CSV tables
    monkeypatch.setattr(Corpus, "to_parquet", full)  # ingest writes the corpus
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("error: cannot write ")
    assert "No space left on device; the previous output is unchanged" in err
    assert _snapshot(folder) == before
    assert _temporaries(tmp_path) == []
