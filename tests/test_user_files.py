"""Never touch what the user owns; no input makes the package crash, hang or lie (issue 25).

One test per case the adversarial probe found: each asserts the exit status, the one-line
message, and that the user's file (an input, a device, a FIFO, a socket, a foreign file in an
output folder, another output's manifest) is byte-identical or still what it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import stat
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from topics import ConfigError, PersistenceError
from topics.app.cli import main
from topics.corpus import Corpus
from topics.files import atomic_write_bytes
from topics.io.encodings import decode_bytes
from topics.limits import SEED_MAX
from topics.models import NMF, load_model
from topics.outputs import Outputs, verify_outputs
from topics.paths import data_dir
from topics.spreadsheet import read_csv

THEMES = data_dir() / "themes.toml"


def _fails(capsys, args, *fragments):
    assert main([str(a) for a in args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: "), err
    assert err.count("\n") == 1, err
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    return err


def _digest(folder: Path) -> dict[str, str]:
    """Every entry under ``folder``: files by content, others by kind."""
    found = {}
    for path in sorted(folder.rglob("*")):
        mode = path.lstat().st_mode
        name = path.relative_to(folder).as_posix()
        if stat.S_ISREG(mode):
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif not stat.S_ISDIR(mode):
            found[name] = stat.filemode(mode)[0]
    return found


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text(
        "id,date,text\n1,2022-01-02,Sanctions on Russia.\n2,2022-02-03,Transport corridor.\n"
    )
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, seeds_dir):
    path = tmp_path_factory.mktemp("corpus") / "c.parquet"
    assert main(["ingest", str(seeds_dir), "-o", str(path), "--segment", "paragraphs"]) == 0
    return path


# -- 1. the output rules --------------------------------------------------------------------
def test_the_output_is_never_the_input(tmp_path, table, capsys):
    before = _digest(tmp_path)
    _fails(capsys, ["ingest", table, "-o", table], "is an input of this run", "another name")
    os.link(table, tmp_path / "same.csv")  # a second name for the same file
    before = _digest(tmp_path)
    _fails(capsys, ["ingest", table, "-o", tmp_path / "same.csv"], "is an input of this run")
    _fails(capsys, ["ingest", table, "-o", "c.parquet", "--report", table], "is an input")
    assert _digest(tmp_path) == before


def test_no_output_inside_an_input_folder_or_holding_an_input(tmp_path, seeds_dir, capsys):
    articles = tmp_path / "articles"
    shutil.copytree(seeds_dir, articles)
    before = _digest(tmp_path)
    _fails(capsys, ["ingest", articles, "-o", articles / "c.parquet"], "inside the input folder")
    corpus = tmp_path / "c.parquet"
    assert main(["ingest", str(articles), "-o", str(corpus)]) == 0
    capsys.readouterr()
    before = _digest(tmp_path)
    _fails(capsys, ["fit", corpus, "--n-topics", "2", "-o", tmp_path], "holds the input")
    assert _digest(tmp_path) == before


def test_special_files_are_never_replaced(tmp_path, table, capsys):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    _fails(capsys, ["ingest", table, "-o", fifo], "is a FIFO", "regular file")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "sock"))
    try:
        _fails(capsys, ["ingest", table, "-o", tmp_path / "sock"], "is a socket")
    finally:
        server.close()
    (tmp_path / "link").symlink_to(fifo)
    _fails(capsys, ["ingest", table, "-o", tmp_path / "link"], "through a symbolic link")
    if os.geteuid() == 0:  # only root makes device nodes: a copy of /dev/null's
        null = tmp_path / "null"
        os.mknod(null, 0o666 | stat.S_IFCHR, os.stat("/dev/null").st_rdev)
        _fails(capsys, ["ingest", table, "-o", null], "is a character device")
        assert stat.S_ISCHR(null.lstat().st_mode)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert stat.S_ISSOCK((tmp_path / "sock").lstat().st_mode)
    assert not list(tmp_path.glob("*.manifest.json"))
    with pytest.raises(PersistenceError, match="is a FIFO"):  # the library's one write path too
        atomic_write_bytes(fifo, b"data")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_folders_holding_files_of_yours_are_never_replaced(tmp_path, corpus, capsys):
    model = tmp_path / "m"
    assert main(["fit", str(corpus), "--n-topics", "2", "-o", str(model)]) == 0
    assert (
        main(["fit", str(corpus), "--n-topics", "2", "-o", str(model)]) == 0
    )  # an earlier output: ok
    capsys.readouterr()
    for name in ("notes.txt", "sub/keep.txt", ".hidden", "my_notes.md"):
        mine = model / name
        mine.parent.mkdir(exist_ok=True)
        mine.write_text(f"mine: {name}")
        before = _digest(model)
        _fails(
            capsys,
            ["fit", corpus, "--n-topics", "3", "-o", model],
            "holds files this command did not write",
            name,
        )
        assert _digest(model) == before
        assert verify_outputs(model / "manifest.json") == []
        mine.unlink()


def test_report_folder_with_notes_is_kept(tmp_path, seeds_dir, capsys):
    config = tmp_path / "r.toml"
    config.write_text(
        f'[corpus]\npath = "{seeds_dir.as_posix()}"\n[themes]\ncodebook = "{THEMES.as_posix()}"\n'
        '[trends]\nn_boot = 20\nn_perm = 99\nalpha = 0.05\n[output]\nfolder = "out"\n'
    )
    assert main(["report", str(config)]) == 0
    assert main(["report", str(config)]) == 0  # its own files only: replaced
    capsys.readouterr()
    out = tmp_path / "out"
    assert verify_outputs(out / "manifest.json") == []
    (out / "my_notes.md").write_text("what I saw")
    before = _digest(out)
    _fails(capsys, ["report", config], "my_notes.md")
    assert _digest(out) == before


def test_another_outputs_manifest_or_sidecar_is_never_overwritten(tmp_path, table, capsys):
    corpus = tmp_path / "c.parquet"
    assert main(["ingest", str(table), "-o", str(corpus)]) == 0
    trends = tmp_path / "t.csv"
    args = ["trends", str(corpus), "--themes", str(THEMES), "--boot", "20"]
    assert main([*args, "-o", str(trends)]) == 0
    assert main([*args, "-o", str(trends)]) == 0  # rerunning one output is allowed
    capsys.readouterr()
    before = _digest(tmp_path)
    _fails(capsys, ["ingest", table, "-o", tmp_path / "c.manifest.json"], "is the manifest of")
    _fails(capsys, [*args, "-o", tmp_path / "t.shares.parquet"], "t.manifest.json records it")
    _fails(
        capsys,
        ["ingest", table, "-o", tmp_path / "d.parquet", "--report", tmp_path / "d.manifest.json"],
        "writes a manifest",
    )
    assert _digest(tmp_path) == before
    assert verify_outputs(tmp_path / "c.manifest.json") == []
    assert verify_outputs(tmp_path / "t.manifest.json") == []
    with Outputs() as out:
        out.file(tmp_path / "x.csv")
        with pytest.raises(PersistenceError, match="named twice"):
            out.file(tmp_path / "x.csv")
        out.manifest(tmp_path / "x.csv", "example", config={})


# -- 2. input columns are never overwritten -------------------------------------------------
def test_input_columns_the_package_writes_are_renamed_not_overwritten(tmp_path, capsys):
    path = tmp_path / "t.csv"
    path.write_text(
        'id,date,text,segment,start,end,parent_id\n1,2022-01-02,"One.\n\nTwo.",intro,a,b,p\n'
    )
    out = tmp_path / "c.parquet"
    assert main(["ingest", str(path), "-o", str(out), "--segment", "paragraphs"]) == 0
    assert "'segment' → 'segment_input'" in capsys.readouterr().out
    frame = pd.read_parquet(out)
    assert frame["segment"].tolist() == [1, 2]
    assert frame["segment_input"].tolist() == ["intro", "intro"]
    assert frame["start_input"].tolist() == ["a", "a"]
    assert frame["end_input"].tolist() == ["b", "b"]
    assert frame["parent_id_input"].tolist() == ["p", "p"]
    assert frame["parent_id"].tolist() == [
        "1",
        "1",
    ]
    notes: list[str] = []
    library = Corpus.from_texts(["A.\n\nB."], segment=["mine"]).segment(notes=notes)
    assert library.to_frame()["segment_input"].tolist() == ["mine", "mine"]
    assert notes


def test_a_text_column_named_twice_is_one_line(tmp_path, table, capsys):
    _fails(
        capsys,
        ["ingest", table, "-o", tmp_path / "c.parquet", "--text-col", "text", "text"],
        "named twice",
    )
    assert not (tmp_path / "c.parquet").exists()


# -- 3. UTF-8 first ------------------------------------------------------------------------------
def test_a_short_utf8_file_with_stray_bytes_stays_utf8(tmp_path, capsys):
    note = tmp_path / "note.txt"
    note.write_bytes("Café au lait, ".encode() + b"\xff" + b" merci.")
    decoded = decode_bytes(note.read_bytes())
    assert decoded.encoding == "utf-8"
    assert decoded.text == "Café au lait, \ufffd merci."
    assert decode_bytes("Café ".encode() + b"\xff x \xfe").text == "Café \ufffd x \ufffd"
    assert main(["ingest", str(note), "-o", str(tmp_path / "c.parquet")]) == 0
    assert pd.read_parquet(tmp_path / "c.parquet")["text"].tolist() == [
        "Café au lait, \ufffd merci."
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Міжнародні санкції проти Росії посилюються щодня.",  # Ukrainian: Мі is a valid pair
        "Нафтове ембарго — це питання часу. Ні, ми не здамося.",
        "Санкции против России усиливаются. Нефтяное эмбарго вступило в силу.",
    ],
)
def test_cyrillic_code_page_text_is_not_taken_for_broken_utf8(text):
    decoded = decode_bytes(text.encode("cp1251"))
    assert (decoded.encoding, decoded.text) == ("cp1251", text)


def test_encodings_that_do_not_fit_are_one_line(tmp_path, table, capsys):
    out = tmp_path / "c.parquet"
    _fails(
        capsys,
        ["ingest", table, "-o", out, "--encoding", "rot13"],
        "'rot13' is not a text encoding",
    )
    _fails(capsys, ["ingest", table, "-o", out, "--encoding", "base64"], "not a text encoding")
    for wide in ("utf-16", "utf-32"):
        _fails(
            capsys,
            ["ingest", table, "-o", out, "--encoding", wide],
            f"--encoding {wide}",
            "no NUL byte",
        )
    assert not out.exists()
    decoded = decode_bytes("Hi".encode("utf-16-le") + b"\x00", "utf-16-le")  # odd length
    assert decoded.text == "Hi\ufffd"
    assert "1 invalid byte" in decoded.detail


# -- 4. numeric options ----------------------------------------------------------------------
def test_seeds_have_one_range_for_every_command(tmp_path, table, corpus, capsys):
    big = str(SEED_MAX + 1)
    range_text = f"from 0 to {SEED_MAX:,}"
    _fails(capsys, ["ingest", table, "-o", tmp_path / "c.parquet", "--seed", big], range_text)
    _fails(
        capsys, ["fit", corpus, "--n-topics", "2", "--seed", big, "-o", tmp_path / "m"], range_text
    )
    _fails(
        capsys,
        ["trends", corpus, "--themes", THEMES, "--seed", big, "-o", tmp_path / "t.csv"],
        range_text,
    )
    _fails(
        capsys,
        ["sweep", corpus, "--n-topics", "2", "--seeds", f"0,{big}", "-o", tmp_path / "s.csv"],
        range_text,
    )
    _fails(capsys, ["dynamic", corpus, "--seed", big, "-o", tmp_path / "d.csv"], range_text)
    _fails(capsys, ["ingest", table, "-o", tmp_path / "c.parquet", "--seed", "-1"], range_text)
    with pytest.raises(ConfigError, match=str(SEED_MAX)):
        NMF(2, random_state=SEED_MAX + 1).fit(sp.csr_matrix(np.ones((3, 3))))
    assert (
        main(["ingest", str(table), "-o", str(tmp_path / "c.parquet"), "--seed", str(SEED_MAX)])
        == 0
    )


def test_permutations_and_draws_are_bounded_by_memory(tmp_path, monkeypatch, capsys):
    months = pd.date_range("2022-01-01", periods=12, freq="MS").repeat(12)  # testable segments
    table = tmp_path / "months.csv"
    pd.DataFrame(
        {"date": months, "text": ["EU sanctions on Russia.", "Trade talks.", "Rail corridor."] * 48}
    ).to_csv(table, index=False)
    corpus = tmp_path / "c.parquet"
    assert main(["ingest", str(table), "-o", str(corpus)]) == 0
    trends = tmp_path / "t.csv"
    assert (
        main(["trends", str(corpus), "--themes", str(THEMES), "--boot", "20", "-o", str(trends)])
        == 0
    )
    capsys.readouterr()
    changes = ["changes", trends, "-o", tmp_path / "ch.csv"]
    _fails(
        capsys,
        [*changes, "--permutations", "99999999999"],
        "--permutations must be",
        "at most 1,000,000",
    )
    _fails(capsys, [*changes, "--boot", "10000000"], "--boot must be")
    from topics import limits

    monkeypatch.setattr(limits, "available_memory", lambda: 1 << 16)  # a machine of 64 KiB
    _fails(capsys, [*changes, "--permutations", "9999"], "n_perm 9,999", "of memory", "at most")
    trend = ["trends", corpus, "--themes", THEMES, "-o", tmp_path / "t2.csv", "--boot", "90000"]
    _fails(capsys, trend, "n_boot 90,000", "64.0 KiB is available", "at most")
    assert not (tmp_path / "ch.csv").exists()
    assert not (tmp_path / "t2.csv").exists()


# -- 5. models validated on load -------------------------------------------------------------
@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    rng = np.random.default_rng(0)
    matrix = sp.csr_matrix(rng.poisson(1.0, (40, 12)).astype(float))
    folder = tmp_path_factory.mktemp("model") / "nmf"
    NMF(3, random_state=0).fit(matrix).save(folder)
    return folder


def _nested(depth: int) -> list[object]:
    value: list[object] = [1]
    for _ in range(depth):
        value = [value]
    return value


def _tampered(saved, tmp_path, *, arrays=None, meta=None, raw_json=None):
    folder = tmp_path / "m"
    shutil.copytree(saved, folder)
    if arrays is not None:
        with np.load(folder / "model.npz") as archive:
            content = {name: archive[name] for name in archive.files}
        content.update(arrays)
        np.savez_compressed(folder / "model.npz", **content)
    if meta is not None:
        data = json.loads((folder / "model.json").read_text())
        meta(data)
        (folder / "model.json").write_text(json.dumps(data))
    if raw_json is not None:
        (folder / "model.json").write_text(raw_json)
    return folder


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"arrays": {"topic_word": np.full((3, 12), np.nan)}}, "'topic_word' holds NaN"),
        ({"arrays": {"components_": -np.ones((3, 12))}}, "'components_' holds negative"),
        ({"arrays": {"term_frequency": np.ones(7)}}, "'term_frequency' has shape (7,)"),
        ({"arrays": {"vocabulary": np.array(["a", "b"])}}, "'vocabulary' has shape (2,)"),
        ({"meta": lambda m: m["params"].update(n_topics=-3)}, "params: The 'n_topics'"),
        ({"meta": lambda m: m.update(n_topics=-3)}, "n_topics must be a positive integer"),
        ({"meta": lambda m: m["params"].update(colour=1)}, "params.colour is not a parameter"),
        ({"raw_json": "[" * 100_000 + "]" * 100_000}, "nested deeper"),
        ({"meta": lambda m: m["attributes"].update(x=_nested(40))}, "nested deeper"),
        ({"arrays": {"topic_word": np.zeros((3, 12 * 4000))}}, "expands to"),
    ],
)
def test_a_model_file_is_checked_on_load(saved, tmp_path, change, message):
    folder = _tampered(saved, tmp_path, **change)
    with pytest.raises(PersistenceError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_model(folder)


def test_arrays_a_model_does_not_have_are_never_read(saved, tmp_path):
    folder = _tampered(saved, tmp_path)
    with zipfile.ZipFile(folder / "model.npz", "a") as archive:  # garbage, not even an .npy
        archive.writestr("huge.npy", b"\x93NUMPY garbage that would fail to parse" * 1000)
    assert load_model(folder).topic_word_.shape == (3, 12)


# -- 6. linear segmentation --------------------------------------------------------------------
def test_sentence_splitting_looks_back_a_bounded_distance(monkeypatch):
    from topics.corpus import segment

    seen: list[int] = []
    real = segment.ends_with_abbreviation

    def spy(text: str) -> bool:
        seen.append(len(text))
        return real(text)

    monkeypatch.setattr(segment, "ends_with_abbreviation", spy)
    text = " ".join(["Mr. Smith met the U.S. envoy. They agreed on trade."] * 2000)
    spans = segment.sentence_spans(text)
    assert len(spans) == 4000
    assert max(seen) <= 24
    assert [text[a:b] for a, b in spans[:2]] == [
        "Mr. Smith met the U.S. envoy.",
        "They agreed on trade.",
    ]
    windows = Corpus.from_texts([text]).segment("paragraphs", notes=[])
    assert len(windows) == 4000 // 3 + 1  # no blank line: windows of three sentences


# -- 7. CSV cells neutralised against formula injection --------------------------------------
def test_csv_cells_holding_corpus_text_are_neutralised(tmp_path, capsys):
    hostile = '=HYPERLINK("http://evil.example","sanctions")'
    table = tmp_path / "h.csv"
    pd.DataFrame(
        {"id": ["@1", "2"], "date": ["2022-01-02", "2022-04-03"],
         "text": [hostile + " Sanctions on Russia.", "-Sanctions again, and sanctions."]}
    ).to_csv(table, index=False)  # fmt: skip
    config = tmp_path / "r.toml"
    config.write_text(
        f'[corpus]\npath = "{table.as_posix()}"\n[themes]\ncodebook = "{THEMES.as_posix()}"\n'
        '[trends]\nn_boot = 20\nn_perm = 99\n[output]\nfolder = "out"\n'
    )
    assert main(["report", str(config)]) == 0
    raw = (tmp_path / "out" / "passages.csv").read_text(encoding="utf-8")
    cells = [c for line in raw.splitlines() for c in line.split(",")]
    assert not any(c.lstrip('"').startswith(("=", "+", "-", "@")) for c in cells), raw
    assert "'=HYPERLINK" in raw
    assert "'@1" in raw
    passages = read_csv(tmp_path / "out" / "passages.csv")
    assert any(t.startswith("=HYPERLINK") for t in passages["left"])  # restored on reading
    assert all(d.startswith(("@1", "2")) for d in passages["doc_id"])
    from topics.themes import ThemeAnalysis

    loaded = ThemeAnalysis.load(tmp_path / "out")  # reads its own neutralised CSVs back
    assert set(loaded.trends["theme"]) == set(pd.read_csv(tmp_path / "out" / "trends.csv")["theme"])
    report = tmp_path / "report.csv"
    assert (
        main(["ingest", str(table), "-o", str(tmp_path / "c.parquet"), "--report", str(report)])
        == 0
    )
    assert "'@1" in report.read_text()
    assert read_csv(report)["id"].tolist() == ["@1", "2"]
