"""Every mistake a user can make on the command line is one line, exit status 2, files untouched.

One test per case reported in issue 14 ("tracebacks where the README promises one line").
"""

from __future__ import annotations

import os

import pytest

from topics.app.cli import main
from topics.paths import data_dir

THEMES = data_dir() / "themes.toml"


def _fails(capsys, args, *fragments):
    assert main([str(a) for a in args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: "), err
    assert err.count("\n") == 1, err
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    return err


def _files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, seeds_dir):
    path = tmp_path_factory.mktemp("corpus") / "c.parquet"
    assert main(["ingest", str(seeds_dir), "-o", str(path), "--segment", "paragraphs"]) == 0
    return path


def test_output_that_is_a_folder_or_a_file(tmp_path, seeds_dir, corpus, capsys):
    folder = tmp_path / "existing"
    folder.mkdir()
    _fails(capsys, ["ingest", seeds_dir, "-o", folder], f"{folder} is a folder; give the name")
    afile = tmp_path / "model.txt"
    afile.write_text("not a folder")
    _fails(
        capsys, ["fit", corpus, "--n-topics", "2", "-o", afile], f"{afile} is a file; give a folder"
    )
    assert _files(tmp_path) == ["existing", "model.txt"]
    assert afile.read_text() == "not a folder"


def test_output_folder_of_other_files_is_never_replaced(tmp_path, corpus, capsys):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    _fails(
        capsys, ["fit", corpus, "--n-topics", "2", "-o", folder], "is not an earlier model output"
    )
    assert (folder / "notes.txt").read_text() == "keep me"
    assert _files(tmp_path) == ["mine", "mine/notes.txt"]


def test_output_folder_not_writable(tmp_path, seeds_dir, capsys, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    if os.geteuid() == 0:  # root writes anywhere: make the folder refuse new files instead
        from pathlib import Path

        real = Path.touch

        def refuse(self, *args, **kwargs):
            if self.parent == locked:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self, *args, **kwargs)

        monkeypatch.setattr(Path, "touch", refuse)
    else:
        locked.chmod(0o500)
    try:
        _fails(
            capsys,
            ["ingest", seeds_dir, "-o", locked / "c.parquet"],
            "cannot write",
            "Permission denied",
            "choose a folder you can write to",
        )
    finally:
        locked.chmod(0o700)
    assert _files(locked) == []


def test_negative_seed(tmp_path, seeds_dir, corpus, capsys):
    _fails(capsys, ["ingest", seeds_dir, "-o", tmp_path / "c.parquet", "--seed", "-1"], "--seed")
    model = [
        "fit",
        corpus,
        "--model",
        "lda",
        "--n-topics",
        "2",
        "--seed",
        "-1",
        "-o",
        tmp_path / "m",
    ]
    _fails(capsys, model, "--seed must be an integer from 0 to 4,294,967,295", "got -1")
    sweep = ["sweep", corpus, "--n-topics", "2", "--seeds", "0,-1", "-o", tmp_path / "s.csv"]
    _fails(capsys, sweep, "--seeds must be an integer from 0")
    trends = ["trends", corpus, "--themes", THEMES, "--seed", "-3", "-o", tmp_path / "t.csv"]
    _fails(capsys, trends, "--seed")
    assert _files(tmp_path) == []


def test_sweep_jobs_zero_and_top_beyond_vocabulary(tmp_path, corpus, capsys):
    out = tmp_path / "s.csv"
    _fails(capsys, ["sweep", corpus, "--n-topics", "2", "--jobs", "0", "-o", out], "--jobs must be")
    args = ["sweep", corpus, "--n-topics", "2", "--min-df", "9", "--top", "500", "-o", out]
    _fails(capsys, args, "--top 500 is more than the", "terms in the vocabulary")
    _fails(capsys, ["fit", corpus, "--n-topics", "2", "--top", "0", "-o", tmp_path / "m"], "--top")
    assert _files(tmp_path) == []


def test_codebook_not_utf8_a_folder_or_too_deep(tmp_path, corpus, capsys):
    base = ["trends", corpus, "-o", tmp_path / "t.csv", "--themes"]
    latin = tmp_path / "latin.toml"
    latin.write_bytes('[themes.café]\nterms = ["naïve"]\n'.encode("cp1252"))
    _fails(capsys, [*base, latin], "latin.toml is not UTF-8", "saved as UTF-8")
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    _fails(capsys, [*base, folder], "folder.toml is a folder")
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    _fails(capsys, [*base, deep], "deep.toml")
    assert _files(tmp_path) == ["deep.toml", "folder.toml", "latin.toml"]


def test_codebook_unknown_keys_and_themes_without_tokens(tmp_path, corpus, capsys):
    base = ["trends", corpus, "-o", tmp_path / "t.csv", "--themes"]
    typo = tmp_path / "typo.toml"
    typo.write_text('[themes.trade]\nterms = ["trade"]\nlable = "Trade"\n')
    _fails(capsys, [*base, typo], "[themes.trade]: unknown key 'lable'")
    top = tmp_path / "top.toml"
    top.write_text('version = 2\n[themes.trade]\nterms = ["trade"]\n')
    _fails(capsys, [*base, top], "unknown key 'version'")
    empty = tmp_path / "empty.toml"
    empty.write_text('[themes.trade]\nterms = ["trade"]\n[themes.filler]\nterms = ["the", "of"]\n')
    _fails(capsys, [*base, empty], "theme 'filler': its terms ['the', 'of'] give no tokens")
    assert not (tmp_path / "t.csv").exists()


def test_changes_on_parquet_binary_or_non_numeric_shares(tmp_path, corpus, capsys):
    out = tmp_path / "changes.csv"
    _fails(capsys, ["changes", corpus, "-o", out], "is not a CSV (binary content")
    binary = tmp_path / "x.csv"
    binary.write_bytes(bytes(range(256)) * 4)
    _fails(capsys, ["changes", binary, "-o", out], "is not a CSV")
    words = tmp_path / "words.csv"
    words.write_text("period,theme,share\n2022Q1,a,0.5\n2022Q2,a,high\n")
    _fails(capsys, ["changes", words, "-o", out], "row 3: column 'share' holds 'high'")
    assert not out.exists()


def test_report_folder_that_is_a_file_fails_before_the_analysis(tmp_path, seeds_dir, capsys):
    (tmp_path / "out").write_text("a file")
    config = tmp_path / "r.toml"
    config.write_text(
        f'[corpus]\npath = "{seeds_dir.as_posix()}"\n[themes]\ncodebook = "{THEMES.as_posix()}"\n'
        '[output]\nfolder = "out"\n'
    )
    _fails(capsys, ["report", config], "output.folder", "is a file")
    assert (tmp_path / "out").read_text() == "a file"


def test_report_config_negative_seed_and_unknown_key(tmp_path, seeds_dir, capsys):
    config = tmp_path / "r.toml"
    head = (
        f'[corpus]\npath = "{seeds_dir.as_posix()}"\n[themes]\ncodebook = "{THEMES.as_posix()}"\n'
    )
    config.write_text(head + '[output]\nfolder = "out"\nseed = -1\n')
    _fails(capsys, ["report", config], "output.seed must be an integer from 0 to")
    config.write_text(head + '[output]\nfolder = "out"\nsed = 1\n')
    _fails(capsys, ["report", config], "unknown field output.sed")
    assert not (tmp_path / "out").exists()


def test_unknown_encoding(tmp_path, seeds_dir, capsys):
    args = ["ingest", seeds_dir, "-o", tmp_path / "c.parquet", "--encoding", "klingon"]
    _fails(capsys, args, "unknown encoding 'klingon'")
    assert _files(tmp_path) == []


def test_interrupt_is_one_line_and_leaves_nothing(tmp_path, seeds_dir, capsys, monkeypatch):
    import sys

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(sys.modules["topics.scale.front"], "ingest_in_memory", interrupted)
    assert main(["ingest", str(seeds_dir), "-o", str(tmp_path / "c.parquet")]) == 130
    assert capsys.readouterr().err == "error: interrupted; the previous outputs are unchanged\n"
    assert _files(tmp_path) == []
