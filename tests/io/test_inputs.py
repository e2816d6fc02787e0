"""Nothing misread: dates a column agrees on, encodings, types, every input accounted for.

One test per case of issue 14's "silently wrong data" and "crashes on ordinary data" lists,
through the command line (message, exit status, files left) or the library.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import warnings

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import topics
from topics import IngestWarning, InputError
from topics.app.cli import main


def _ingest(path, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IngestWarning)
        return topics.ingest(path, **kwargs)


def _csv(tmp_path, rows, name="t.csv"):
    path = tmp_path / name
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _dates(result):
    frame = result.documents.to_frame().set_index("id")
    return {k: (v.strftime("%Y-%m-%d") if pd.notna(v) else None) for k, v in frame["date"].items()}


# -- dates ---------------------------------------------------------------------------------------
def test_us_dates_are_read_month_first_for_the_whole_column(tmp_path, capsys):
    path = _csv(tmp_path, {"text": ["a one", "b two", "c three"],
                           "date": ["02/24/2022", "03/04/2022", "01/02/2022"]})  # fmt: skip
    out = tmp_path / "c.parquet"
    assert main(["ingest", str(path), "-o", str(out)]) == 0
    dates = pd.read_parquet(out)["date"].dt.strftime("%Y-%m-%d").tolist()
    assert dates == ["2022-02-24", "2022-03-04", "2022-01-02"]


def test_mixed_day_and_month_first_is_one_error_with_examples(tmp_path, capsys):
    path = _csv(
        tmp_path, {"text": ["a", "b", "c"], "date": ["24/02/2022", "03/04/2022", "02/24/2022"]}
    )
    out = tmp_path / "c.parquet"
    assert main(["ingest", str(path), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "column 'date' mixes day/month and month/day dates" in err
    assert "row 1 has '24/02/2022'" in err
    assert "row 3 has '02/24/2022'" in err
    assert "--dayfirst or --monthfirst" in err
    assert list(tmp_path.iterdir()) == [path]
    # an order given: the dates that do not fit it are kept undated, and say so
    assert main(["ingest", str(path), "-o", str(out), "--dayfirst"]) == 0
    assert pd.read_parquet(out)["date"].isna().tolist() == [False, False, True]
    assert "not a valid date as day/month" in capsys.readouterr().err


def test_all_ambiguous_column_is_reported_with_count_and_order(tmp_path):
    path = _csv(tmp_path, {"text": ["a", "b"], "date": ["03/04/2022", "01/02/2022"]})
    with pytest.warns(IngestWarning, match=r"all 2 numeric dates .* read as day/month"):
        result = topics.ingest(path)
    assert _dates(result) == {"t:1": "2022-04-03", "t:2": "2022-02-01"}
    assert any("use --monthfirst" in note for note in result.report.notes)
    monthfirst = _ingest(path, dayfirst=False)
    assert _dates(monthfirst) == {"t:1": "2022-03-04", "t:2": "2022-01-02"}
    assert not monthfirst.report.notes


def test_month_only_strings_get_month_precision(tmp_path):
    path = _csv(tmp_path, {"text": ["a", "b", "c"], "date": ["06/2022", "2022/07", "2022-08"]})
    frame = _ingest(path).documents.to_frame()
    assert frame["date_precision"].tolist() == ["month"] * 3
    assert frame["date"].dt.month.tolist() == [6, 7, 8]


def test_time_zone_offsets_are_converted_to_utc_and_said(tmp_path):
    dates = ["2022-03-01T23:30:00-08:00", "2022-03-01T23:30:00"]
    path = _csv(tmp_path, {"text": ["a", "b"], "date": dates})
    result = _ingest(path)
    assert _dates(result) == {"t:1": "2022-03-02", "t:2": "2022-03-01"}
    assert any("1 date with a time-zone offset converted to UTC" in n for n in result.report.notes)


def test_numeric_datelines_agree_per_folder(tmp_path):
    us, eu = tmp_path / "us", tmp_path / "eu"
    us.mkdir()
    eu.mkdir()
    (us / "a.txt").write_text("Title one\n\n02/24/2022\n\nBody about trade.")
    (us / "b.txt").write_text("Title two\n\n03/04/2022\n\nBody about energy.")
    (eu / "c.txt").write_text("Title three\n\n24.02.2022\n\nBody about trade.")
    (eu / "d.txt").write_text("Title four\n\n03.04.2022\n\nBody about energy.")
    result = _ingest(tmp_path)
    assert _dates(result) == {
        "us/a": "2022-02-24", "us/b": "2022-03-04", "eu/c": "2022-02-24", "eu/d": "2022-04-03",
    }  # fmt: skip
    (us / "e.txt").write_text("Title five\n\n24/02/2022\n\nBody.")
    with pytest.raises(InputError, match=r"folder .*us mixes day/month and month/day"):
        _ingest(tmp_path)


def test_parquet_timestamps_zone_aware_and_out_of_range(tmp_path, capsys):
    path = tmp_path / "ts.parquet"
    zone = pa.timestamp("us", tz="America/Los_Angeles")
    stamps = [
        dt.datetime(2022, 3, 2, 7, 30, tzinfo=dt.UTC),
        dt.datetime(2022, 3, 1, 12, tzinfo=dt.UTC),
    ]
    pq.write_table(pa.table({"text": ["aa", "bb"], "date": pa.array(stamps, zone)}), path)
    assert _dates(_ingest(path)) == {"ts:1": "2022-03-02", "ts:2": "2022-03-01"}
    far = tmp_path / "far.parquet"
    values = [dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31), dt.datetime(2020, 5, 5)]
    pq.write_table(
        pa.table({"text": ["a", "b", "c"], "date": pa.array(values, pa.timestamp("us"))}), far
    )
    out = tmp_path / "far_corpus.parquet"
    assert main(["ingest", str(far), "-o", str(out), "--report", str(tmp_path / "r.csv")]) == 0
    report = pd.read_csv(tmp_path / "r.csv")
    assert report["status"].tolist() == ["kept_undated", "kept_undated", "kept"]
    assert "outside 1678–2261" in report["detail"].iloc[0]


# -- encodings -----------------------------------------------------------------------------------
def test_legacy_encodings_are_decoded_and_recorded_per_file(tmp_path):
    texts = {
        "western.txt": ("A naïve Café owner said: à bientôt, déjà vu.", "cp1252"),
        "russian.txt": ("Санкции против России обсуждались в Брюсселе.", "cp1251"),
        "polish.txt": ("Zażółć gęślą jaźń, powiedział minister.", "cp1250"),
    }
    for name, (text, encoding) in texts.items():
        (tmp_path / name).write_bytes(text.encode(encoding))
    result = _ingest(tmp_path)
    frame = result.documents.to_frame().set_index("id")
    report = result.report.frame.set_index("id")
    for name, (text, encoding) in texts.items():
        assert frame.loc[name[:-4], "text"] == text
        assert report.loc[name[:-4], "encoding"] == encoding
        assert 0 < report.loc[name[:-4], "encoding_confidence"] <= 1


def test_utf8_with_one_stray_byte_stays_utf8_and_says_where(tmp_path):
    (tmp_path / "a.txt").write_bytes("Санкции — naïve.\nSecond line ".encode() + b"\xe9 here.")
    result = _ingest(tmp_path)
    text = result.documents.to_frame()["text"].iloc[0]
    assert text.startswith("Санкции — naïve.")
    assert "\ufffd" in text
    line = result.report.frame.iloc[0]
    assert line["encoding"] == "utf-8"
    assert "1 invalid byte replaced by U+FFFD (line 2, column 13)" in line["detail"]


def test_encoding_option_overrides_detection(tmp_path):
    (tmp_path / "a.txt").write_bytes("Café crème".encode("cp1252"))
    out = tmp_path / "c.parquet"
    assert main(["ingest", str(tmp_path / "a.txt"), "-o", str(out), "--encoding", "cp1250"]) == 0
    assert pd.read_parquet(out)["text"].iloc[0] == "Café crčme"  # what the user asked for
    manifest = json.loads((tmp_path / "c.manifest.json").read_text())
    assert manifest["config"]["encoding"] == "cp1250"


def test_csv_in_cp1252_records_its_encoding_on_every_row(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("text,place\nnaïve café,Zürich\nà bientôt,Besançon\n".encode("cp1252"))
    result = _ingest(path)
    assert result.documents.to_frame()["place"].tolist() == ["Zürich", "Besançon"]
    assert set(result.report.frame["encoding"]) == {"cp1252"}


# -- types ---------------------------------------------------------------------------------------
def test_jsonl_text_that_is_not_text_is_invalid_per_row(tmp_path):
    path = tmp_path / "t.jsonl"
    rows = [{"text": {"a": "sanctions"}}, {"text": ["x"]}, {"text": True}, {"text": 7},
            {"text": "real text"}, {"text": None}]  # fmt: skip
    path.write_text("\n".join(json.dumps(r) for r in rows))
    report = _ingest(path).report.frame
    assert report["status"].tolist() == ["invalid"] * 4 + ["kept_undated", "empty"]
    assert "a JSON object, not text" in report["detail"].iloc[0]
    assert "true/false, not text" in report["detail"].iloc[2]


def test_parquet_integer_text_column_is_one_error(tmp_path, capsys):
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"text": [1, 2], "body": ["a", "b"]}), path)
    assert main(["ingest", str(path), "-o", str(tmp_path / "c.parquet")]) == 2
    err = capsys.readouterr().err
    assert "the text column 'text' holds int64 values, not text" in err
    assert "--text-col" in err
    assert not (tmp_path / "c.parquet").exists()


def test_repeated_column_names_are_an_error_or_a_note(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("text,date,text\na,2022-01-01,b\n")
    with pytest.raises(InputError, match=r"the column name 'text' \(the text column\) occurs"):
        _ingest(path)
    path.write_text("text,tag,tag\nsome text,x,y\n")
    result = _ingest(path)
    assert result.documents.to_frame()[["tag", "tag.2"]].iloc[0].tolist() == ["x", "y"]
    assert any("'tag' repeats; the repeat is kept as 'tag.2'" in n for n in result.report.notes)


def test_csv_rows_with_missing_or_extra_fields_are_invalid(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,text,outlet\n1,first,x\n2,short row\n3,third,y,extra\n4,fourth,z\n")
    result = _ingest(path)
    report = result.report.frame
    assert report["status"].tolist() == ["kept_undated", "invalid", "invalid", "kept_undated"]
    assert report["detail"].iloc[1] == "row 2 (line 3) has 2 fields, the header has 3"
    assert result.documents.ids == ["1", "4"]


def test_mixed_type_metadata_is_kept_as_text_with_a_warning(tmp_path):
    path = tmp_path / "t.jsonl"
    rows = [{"text": "first", "score": 1}, {"text": "second", "score": "high"},
            {"text": "third", "score": None}, {"text": "fourth", "score": {"a": [1]}}]  # fmt: skip
    path.write_text("\n".join(json.dumps(r) for r in rows))
    out = tmp_path / "c.parquet"
    with pytest.warns(IngestWarning, match="metadata column 'score' mixes"):
        result = topics.ingest(path)
    result.corpus.to_parquet(out)
    score = pd.read_parquet(out)["score"]
    assert score.isna().tolist() == [False, False, True, False]
    assert score.dropna().tolist() == ["1", "high", '{"a": [1]}']


# -- inputs --------------------------------------------------------------------------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and symbolic links")
def test_every_folder_entry_gets_a_report_line(tmp_path):
    root = tmp_path / "arts"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("Visible story about sanctions.")
    (root / ".hidden.txt").write_text("hidden")
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("x")
    (root / "sub" / "b.txt").write_text("A story in a folder.")
    os.symlink("nowhere.txt", root / "broken.txt")
    os.symlink("loop2", root / "loop1")
    os.symlink("loop1", root / "loop2")
    os.mkfifo(root / "pipe.txt")
    os.symlink("sub", root / "linked")
    os.symlink("..", root / "sub" / "up")
    os.symlink("a.txt", root / "again.txt")
    result = _ingest(root)
    report = result.report.frame.set_index("input")["detail"]
    assert result.report.n_inputs == 11
    assert sum(result.report.counts().values()) == 11
    assert "hidden file" in report[f"{root.as_posix()}/.hidden.txt"]
    assert "hidden folder (not searched)" in report[f"{root.as_posix()}/.git"]
    assert "a broken symbolic link to nowhere.txt" in report[f"{root.as_posix()}/broken.txt"]
    assert "a symbolic link loop" in report[f"{root.as_posix()}/loop1"]
    assert "not a regular file: a FIFO" in report[f"{root.as_posix()}/pipe.txt"]
    assert "already searched as" in report[f"{root.as_posix()}/linked"]
    assert "loop back to" in report[f"{root.as_posix()}/sub/up"]
    assert "the same file as" in report[f"{root.as_posix()}/again.txt"]
    assert sorted(result.documents.ids) == ["a", "sub/b"]
    # files under a symbolic link to a folder are read (the link is followed once)
    stories, other = tmp_path / "stories", tmp_path / "other"
    stories.mkdir()
    other.mkdir()
    (stories / "c.txt").write_text("A story reached through a link.")
    os.symlink(stories, other / "via_link")
    assert _ingest(other).documents.ids == ["via_link/c"]


def test_unreadable_input_is_reported_and_the_manifest_says_why(tmp_path, monkeypatch, capsys):
    from pathlib import Path

    import topics.manifest

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text("A readable story.")
    secret = folder / "secret.txt"
    secret.write_text("A story nobody may read.")
    real_read, real_hash = Path.read_bytes, topics.manifest.file_sha256

    def read_bytes(self):
        if self == secret:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    def sha(path, *args):
        if Path(path) == secret:
            raise PermissionError(13, "Permission denied", str(path))
        return real_hash(path, *args)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(topics.manifest, "file_sha256", sha)
    out = tmp_path / "c.parquet"
    assert main(["ingest", str(folder), "-o", str(out)]) == 0
    assert "secret.txt: unreadable — cannot read: Permission denied" in capsys.readouterr().out
    inputs = json.loads((tmp_path / "c.manifest.json").read_text())["inputs"]
    assert {"path": secret.as_posix(), "sha256": None, "error": "Permission denied"} in inputs


def test_gzip_bomb_is_refused_in_bounded_memory(tmp_path, capsys):
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb") as handle:
        block = b"0" * (1 << 20)
        for _ in range(40):
            handle.write(block)
    assert main(["ingest", str(path), "-o", str(tmp_path / "c.parquet")]) == 2
    err = capsys.readouterr().err
    assert "bomb.jsonl.gz expands more than 200 times" in err
    assert "decompression bomb" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bomb.jsonl.gz"]


def test_truncated_and_multi_member_gzip(tmp_path):
    rows = [json.dumps({"text": f"story {i}"}) + "\n" for i in range(4)]
    path = tmp_path / "t.jsonl.gz"
    path.write_bytes(
        gzip.compress("".join(rows[:2]).encode()) + gzip.compress("".join(rows[2:]).encode())
    )
    assert len(_ingest(path).documents) == 4
    path.write_bytes(gzip.compress("".join(rows).encode())[:-12])
    with pytest.raises(InputError, match="truncated"):
        _ingest(path)
