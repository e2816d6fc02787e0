"""Tables with a column mapping, bad input with clear messages, and nothing lost silently."""

from __future__ import annotations

import gzip
import json
import warnings

import pandas as pd
import pytest

import topics
from topics import IngestWarning, InputError

ROWS = [
    {
        "doc": "a1",
        "body": "EU sanctions against Russia were discussed.",
        "when": "2022-03-01",
        "country": "KAZ",
    },
    {"doc": "a2", "body": "The Middle Corridor carries freight.", "when": 2023, "country": "EU"},
    {
        "doc": "a3",
        "body": "Critical raw materials and batteries.",
        "when": "2022-11",
        "country": "KAZ",
    },
]
MAPPING = {"text": "body", "date": "when", "id": "doc"}


def _write(tmp_path, kind):
    frame = pd.DataFrame(ROWS)
    if kind == "csv":
        path = tmp_path / "t.csv"
        frame.to_csv(path, index=False)
    elif kind == "parquet":
        path = tmp_path / "t.parquet"
        frame.astype({"when": str}).to_parquet(path)
    else:
        path = tmp_path / ("t.jsonl.gz" if kind == "jsonl.gz" else "t.jsonl")
        data = "\n".join(json.dumps(r) for r in ROWS).encode()
        path.write_bytes(gzip.compress(data) if kind == "jsonl.gz" else data)
    return path


@pytest.mark.parametrize("kind", ["csv", "jsonl", "jsonl.gz", "parquet"])
def test_tables_with_column_mapping(tmp_path, kind):
    result = topics.ingest(_write(tmp_path, kind), columns=MAPPING)
    frame = result.documents.to_frame().set_index("id")
    assert list(frame.index) == ["a1", "a2", "a3"]
    assert frame.loc["a1", "date"] == pd.Timestamp("2022-03-01")
    assert frame.loc["a1", "date_precision"] == "day"
    assert frame.loc["a2", "date_precision"] == "year"
    assert frame.loc["a3", "date_precision"] == "month"
    assert set(frame["date_source"]) == {"column"}
    assert list(frame["country"]) == ["KAZ", "EU", "KAZ"]  # extra columns kept as metadata
    assert "when" in frame.columns  # the original date column is kept too
    assert result.report.counts()["kept"] == 3


def test_missing_mapped_column_names_file_and_column(tmp_path):
    path = _write(tmp_path, "csv")
    with pytest.raises(InputError, match=r"t\.csv.*'headline'.*available columns: doc, body"):
        topics.ingest(path, columns={"text": "headline"})


def test_duplicate_ids_name_rows(tmp_path):
    path = tmp_path / "dup.csv"
    pd.DataFrame({"id": ["x", "y", "x"], "text": ["a b", "c d", "e f"]}).to_csv(path, index=False)
    with pytest.raises(InputError, match=r"dup\.csv: duplicate id 'x' in rows 1 and 3"):
        topics.ingest(path)


def test_ids_repeated_across_inputs_are_an_error(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "story.txt").write_text("One story.")
    (tmp_path / "b" / "story.txt").write_text("Another story.")
    with pytest.raises(InputError, match="occurs in both"):
        topics.ingest([tmp_path / "a", tmp_path / "b"])
    # read as one folder, the relative paths keep the ids distinct
    result = topics.ingest(tmp_path)
    assert sorted(result.documents.ids) == ["a/story", "b/story"]


def test_unparseable_date_is_reported_and_kept_undated(tmp_path):
    path = tmp_path / "d.csv"
    pd.DataFrame({"text": ["one text", "two text"], "date": ["2022-01-05", "next Tuesday"]}).to_csv(
        path, index=False
    )
    with pytest.warns(
        IngestWarning, match=r"1 row with an unparseable date in column .date.*row 2"
    ):
        result = topics.ingest(path)
    report = result.report.frame.set_index("id")
    assert report.loc["d:2", "status"] == "kept_undated"
    assert "unparseable date" in report.loc["d:2", "detail"]
    assert result.report.counts()["kept"] == 1


def test_missing_path(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        topics.ingest(tmp_path / "nope")


def test_folder_problems_each_get_a_report_line(tmp_path):
    (tmp_path / "good.txt").write_text("Kazakhstan and the EU met on 5 May 2022 in Astana.")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("   \n\n ")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00\xff" * 20)
    (tmp_path / "latin1.txt").write_bytes(
        "Communiqué on the café talks in Brüssel.".encode("cp1252")
    )
    (tmp_path / "notes.md").write_text("# not an article")
    with pytest.warns(IngestWarning, match="not UTF-8"):
        result = topics.ingest(tmp_path)
    status = result.report.frame.set_index("input")["status"].rename(lambda p: p.rsplit("/", 1)[-1])
    assert status.to_dict() == {
        "binary.txt": "undecodable",
        "blank.txt": "empty",
        "empty.txt": "empty",
        "good.txt": "kept",
        "latin1.txt": "kept_undated",
        "notes.md": "skipped",
    }
    text = result.documents.to_frame().set_index("id").loc["latin1", "text"]
    assert text == "Communiqué on the café talks in Brüssel."
    assert sum(result.report.counts().values()) == 6


def test_malformed_jsonl_names_the_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "fine"}\n{"text": broken\n')
    with pytest.raises(InputError, match=r"bad\.jsonl, line 2: not valid JSON"):
        topics.ingest(path)


def test_corrupt_gzip_and_parquet(tmp_path):
    gz = tmp_path / "x.jsonl.gz"
    gz.write_bytes(b"not gzip at all")
    with pytest.raises(InputError, match=r"x\.jsonl\.gz"):
        topics.ingest(gz)
    pq = tmp_path / "x.parquet"
    pq.write_bytes(b"PAR1 garbage")
    with pytest.raises(InputError, match=r"x\.parquet"):
        topics.ingest(pq)


def test_line_separator_inside_jsonl_string(tmp_path):
    path = tmp_path / "u.jsonl"
    path.write_text(
        json.dumps({"text": "first\u2028second part", "id": "u1"}, ensure_ascii=False) + "\n"
    )
    result = topics.ingest(path)
    assert result.documents.ids == ["u1"]


@pytest.mark.parametrize(("unit", "scale"), [("milliseconds", 1000), ("seconds", 1)])
def test_epoch_dates_a_pandas_user_writes_are_read_per_column(tmp_path, unit, scale):
    """``DataFrame.to_json`` writes dates as epoch milliseconds by default."""
    days = pd.date_range("2022-01-01", periods=300, freq="D")
    epochs = (days - pd.Timestamp("1970-01-01")) // pd.Timedelta(seconds=1) * scale
    path = tmp_path / "export.jsonl"
    rows = [
        {"id": f"a{i}", "date": int(e), "text": "Sanctions on oil."} for i, e in enumerate(epochs)
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # not one warning
        result = topics.ingest(path)
    dates = result.corpus.dates
    assert (dates.to_numpy() == days.to_numpy()).all()
    assert f"300 integers read as Unix epoch {unit} (UTC)" in " ".join(result.report.notes)


def test_many_unparseable_dates_are_one_warning_with_examples(tmp_path):
    rows = [{"id": f"r{i}", "date": f"someday {i}", "text": "A text."} for i in range(300)]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    with pytest.warns(IngestWarning) as caught:
        result = topics.ingest(path)
    said = [str(w.message) for w in caught if "unparseable" in str(w.message)]
    assert len(said) == 1
    assert "300 rows with an unparseable date in column 'date' kept undated: row 1" in said[0]
    assert "… 297 more" in said[0]
    assert result.report.frame["detail"].str.contains("unparseable date").sum() == 300
