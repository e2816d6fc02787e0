"""Outputs that commit whole: staging, manifests named from the whole output name, clean-up."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from topics import PersistenceError
from topics.app.cli import main
from topics.files import atomic_write_bytes, manifest_path
from topics.outputs import Outputs, verify_outputs
from topics.paths import data_dir


def test_manifest_names_keep_the_whole_output_name(tmp_path):
    assert manifest_path(tmp_path / "trends.week.csv").name == "trends.week.manifest.json"
    assert manifest_path(tmp_path / "trends.month.csv").name == "trends.month.manifest.json"
    assert manifest_path(tmp_path / "corpus.parquet").name == "corpus.manifest.json"
    assert manifest_path(tmp_path / "corpus").name == "corpus.manifest.json"
    assert manifest_path(tmp_path / "model", folder=True) == tmp_path / "model" / "manifest.json"


def test_trends_per_frequency_each_keep_their_manifest(tmp_path, seeds_dir):
    corpus = tmp_path / "c.parquet"
    assert main(["ingest", str(seeds_dir), "-o", str(corpus), "--segment", "paragraphs"]) == 0
    themes = str(data_dir() / "themes.toml")
    for freq in ("quarter", "year"):
        out = tmp_path / f"trends.{freq}.csv"
        args = ["trends", str(corpus), "--themes", themes, "--freq", freq, "--boot", "20"]
        assert main([*args, "-o", str(out)]) == 0
    for freq in ("quarter", "year"):
        manifest = json.loads((tmp_path / f"trends.{freq}.manifest.json").read_text())
        assert manifest["artefact"] == f"trends.{freq}.csv"
        assert manifest["config"]["freq"] == freq
        assert verify_outputs(tmp_path / f"trends.{freq}.manifest.json") == []


def test_outputs_commit_together_or_not_at_all(tmp_path):
    target, extra = tmp_path / "a.csv", tmp_path / "sub" / "b.csv"
    target.write_text("old\n")

    def fail() -> None:
        with Outputs() as out:
            out.file(target).write_text("new\n")
            out.file(extra).write_text("new b\n")
            raise RuntimeError("the work failed")

    with pytest.raises(RuntimeError):
        fail()
    assert target.read_text() == "old\n"
    assert not extra.exists()
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.csv", "sub"]
    with Outputs() as out:
        out.file(target).write_text("new\n")
        out.file(extra).write_text("new b\n")
        out.manifest(target, "example", config={"x": 1})
    manifest = json.loads((tmp_path / "a.manifest.json").read_text())
    assert [o["path"] for o in manifest["outputs"]] == ["a.csv", "sub/b.csv"]
    assert verify_outputs(tmp_path / "a.manifest.json") == []
    extra.write_text("changed\n")
    assert verify_outputs(tmp_path / "a.manifest.json") == [f"{extra} differs from its manifest"]


def test_a_manifest_describes_one_output(tmp_path):
    with Outputs() as out:
        out.file(tmp_path / "x.parquet").write_bytes(b"data")
        out.manifest(tmp_path / "x.parquet", "corpus", config={})

    def other() -> None:
        with Outputs() as out:
            out.file(tmp_path / "x.csv").write_text("a\n")
            out.manifest(tmp_path / "x.csv", "trends", config={})

    with pytest.raises(PersistenceError, match=r"x.manifest.json already describes x.parquet"):
        other()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.manifest.json", "x.parquet"]


def test_a_folder_output_is_replaced_whole(tmp_path):
    folder = tmp_path / "model"
    with Outputs() as out:
        staged = out.folder(folder, "model")
        (staged / "old_only.npz").write_bytes(b"old")
        out.manifest(folder, "model", config={})
    with Outputs() as out:
        staged = out.folder(folder, "model")
        (staged / "model.json").write_text("{}")
        out.manifest(folder, "model", config={})
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json", "model.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]
    with pytest.raises(PersistenceError, match="is not an earlier report output"), Outputs() as out:
        out.folder(folder, "report")


def test_temporaries_of_dead_runs_are_swept_by_the_next_commit(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    pid = int(dead.stdout)
    stale = tmp_path / f".a.csv.topics-tmp-{pid}-0000"
    stale.write_text("left by a run that died")
    alive = tmp_path / f".a.csv.topics-tmp-{os.getpid()}-1111"
    alive.write_text("a run still going")
    with Outputs() as out:
        out.file(tmp_path / "a.csv").write_text("x\n")
    assert not stale.exists()
    assert alive.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX signals")
def test_a_killed_atomic_write_leaves_no_temporary(tmp_path):
    """Killed after writing, just before the file gets its name: nothing is left."""
    code = (
        "import os, signal, sys\n"
        "from topics.files import atomic_write_bytes\n"
        "os.link = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"
        "atomic_write_bytes(sys.argv[1], b'x' * 100000)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "f.bin")], check=False)
    assert done.returncode == -signal.SIGKILL
    assert list(tmp_path.iterdir()) == []
    atomic_write_bytes(tmp_path / "f.bin", b"data")
    assert [p.name for p in tmp_path.iterdir()] == ["f.bin"]
    assert oct((tmp_path / "f.bin").stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def test_atomic_file_appears_whole_or_not_at_all(tmp_path):
    from topics.files import atomic_file

    target = tmp_path / "out.bin"
    target.write_bytes(b"previous")

    def fail_mid_write() -> None:
        with atomic_file(target) as handle:
            handle.write(b"half of the new")
            raise RuntimeError("failed mid-write")

    with pytest.raises(RuntimeError, match="mid-write"):
        fail_mid_write()
    assert target.read_bytes() == b"previous"
    with atomic_file(target) as handle:
        handle.write(b"new ")
        handle.write(b"bytes")
        assert target.read_bytes() == b"previous"  # nothing visible before the block ends
    assert target.read_bytes() == b"new bytes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]


def test_the_watcher_loads_the_outputs_module_alone():
    """The watcher runs this file without the package (-I -S): only the standard library at
    module level, or a killed run's temporaries are never cleaned."""
    import topics.outputs

    code = (
        "import importlib.util as u, sys; s = u.spec_from_file_location('w', sys.argv[1]); "
        "m = u.module_from_spec(s); s.loader.exec_module(m); print(callable(m._watch))"
    )
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", code, topics.outputs.__file__],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-1000:]
    assert done.stdout.strip() == "True"
