"""Property tests: arbitrary input never escapes as anything but the package's own error."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import topics
from topics import TopicsError
from topics.io.encodings import decode_bytes

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _ingest_quietly(path: Path, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", topics.IngestWarning)
        return topics.ingest(path, **kwargs)


@SETTINGS
@given(files=st.lists(st.binary(max_size=400), min_size=1, max_size=4))
def test_arbitrary_bytes_in_articles(files):
    with tempfile.TemporaryDirectory() as tmp:
        for i, data in enumerate(files):
            Path(tmp, f"f{i}.txt").write_bytes(data)
        try:
            result = _ingest_quietly(Path(tmp), dedupe=True, segment="paragraphs")
        except TopicsError:
            return
        assert result.report.n_inputs == len(files)
        assert sum(result.report.counts().values()) == len(files)


@SETTINGS
@given(texts=st.lists(st.text(max_size=300), min_size=1, max_size=5))
def test_arbitrary_text_articles(texts):
    with tempfile.TemporaryDirectory() as tmp:
        for i, text in enumerate(texts):
            Path(tmp, f"t{i}.txt").write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            result = _ingest_quietly(Path(tmp), dedupe=True, segment="sentences")
        except TopicsError:
            return
        assert sum(result.report.counts().values()) == len(texts)


cell = st.one_of(st.text(max_size=60), st.integers(-5000, 5000).map(str), st.just(""))


@SETTINGS
@given(rows=st.lists(st.tuples(cell, cell, cell), min_size=1, max_size=8))
def test_arbitrary_csv_rows(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["text", "date", "extra"])
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "rows.csv")
        path.write_text(buffer.getvalue(), encoding="utf-8", errors="surrogatepass")
        try:
            result = _ingest_quietly(path, dedupe=True)
        except TopicsError:
            return
        assert result.report.n_inputs == len(rows)
        assert sum(result.report.counts().values()) == len(rows)


# -- dates: a column agrees on one day/month order ---------------------------------------------
day = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31))


def _numeric(value: dt.date, dayfirst: bool, sep: str) -> str:
    first, second = (value.day, value.month) if dayfirst else (value.month, value.day)
    return f"{first:02d}{sep}{second:02d}{sep}{value.year}"


def _column_csv(tmp: str, values: list[str]) -> Path:
    path = Path(tmp, "d.csv")
    lines = ["text,date", *(f"story number {i},{v}" for i, v in enumerate(values))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@SETTINGS
@given(
    dates=st.lists(day, min_size=1, max_size=12),
    dayfirst=st.booleans(),
    sep=st.sampled_from(["/", ".", "-"]),
    iso=st.lists(day, max_size=3),
)
def test_a_date_column_is_read_in_one_order(dates, dayfirst, sep, iso):
    values = [_numeric(d, dayfirst, sep) for d in dates] + [d.isoformat() for d in iso]
    unambiguous = any(d.day > 12 for d in dates)
    with tempfile.TemporaryDirectory() as tmp:
        result = _ingest_quietly(_column_csv(tmp, values))
    got = [d.date() for d in result.documents.to_frame()["date"]]
    if unambiguous or dayfirst:
        assert got == [*dates, *iso]  # every value, ambiguous ones too, in the column's order
    else:  # nothing says month/day: read as day/month, and the report says so
        assert got == [dt.date(d.year, d.day, d.month) if d.day <= 12 else d for d in dates] + iso
    ambiguous = any(d.day <= 12 and d.day != d.month for d in dates)
    noted = any("could be day/month or month/day" in n for n in result.report.notes)
    assert noted == (ambiguous and not unambiguous)


@SETTINGS
@given(
    day_first=st.lists(day, min_size=1, max_size=5),
    month_first=st.lists(day, min_size=1, max_size=5),
)
def test_a_column_showing_both_orders_is_one_error(day_first, month_first):
    values = [_numeric(d, True, "/") for d in day_first]
    values += [_numeric(d, False, "/") for d in month_first]
    evidence_both = any(d.day > 12 for d in day_first) and any(d.day > 12 for d in month_first)
    with tempfile.TemporaryDirectory() as tmp:
        path = _column_csv(tmp, values)
        if evidence_both:
            with pytest.raises(TopicsError, match="mixes day/month and month/day dates"):
                _ingest_quietly(path)
        else:
            _ingest_quietly(path)


# -- metadata of any JSON type is stored, as itself or as text --------------------------------
json_value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**62), 2**62),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.lists(st.integers(-100, 100), max_size=3),
    st.dictionaries(st.sampled_from(["a", "b"]), st.integers(-9, 9), max_size=2),
)


@SETTINGS
@given(values=st.lists(json_value, min_size=1, max_size=6))
def test_metadata_of_any_type_is_stored(values):
    rows = [{"text": f"story {i}", "meta": v} for i, v in enumerate(values)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "t.jsonl")
        path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
        result = _ingest_quietly(path)
        result.corpus.to_parquet(Path(tmp, "c.parquet"))
        back = topics.Corpus.read_parquet(Path(tmp, "c.parquet")).to_frame()
    assert len(back) == len(values)
    noted = any("metadata column 'meta'" in n for n in result.report.notes)
    stored = back["meta"].tolist()
    for value, got in zip(values, stored, strict=True):
        if value is None:
            continue
        if noted:
            assert isinstance(got, str)
        elif isinstance(value, dict):
            assert {k: v for k, v in dict(got).items() if v is not None} == value
        elif isinstance(value, list):
            assert list(got) == value
        else:
            assert got == value


# -- encodings: realistic sentences round-trip ----------------------------------------------
ENGLISH = ["the", "minister", "said", "trade", "sanctions", "corridor", "talks", "energy", "and"]
WESTERN = {
    "fr": [
        "café",
        "naïve",
        "déjà",
        "à",
        "très",
        "élève",
        "façade",
        "où",
        "garçon",
        "hôtel",
        "Noël",
    ],
    "de": ["Müller", "Straße", "über", "Zürich", "schön", "Größe", "Äpfel", "Öl"],
    "es": ["año", "niño", "señor", "información", "está", "después", "qué"],
    "pt": ["não", "ação", "coração", "você", "três", "órgão"],
    "it": ["città", "perché", "più", "così", "università"],
    "da": ["København", "søster", "være", "blåbær"],
}
RUSSIAN = ["Санкции", "против", "России", "обсуждались", "Брюсселе", "министр", "торговля",
           "энергетика", "Казахстан", "коридор", "переговоры"]  # fmt: skip


@st.composite
def sentence(draw, words, english=True):
    chosen = draw(st.lists(st.sampled_from(words), min_size=1, max_size=6))
    if english:
        chosen += draw(st.lists(st.sampled_from(ENGLISH), max_size=6))
    order = draw(st.permutations(chosen))
    return " ".join(order) + draw(st.sampled_from([".", "!", "?", ""]))


@SETTINGS
@given(
    data=st.data(),
    language=st.sampled_from(sorted(WESTERN)),
    encoding=st.sampled_from(["cp1252", "latin-1", "utf-8"]),
)
def test_western_sentences_round_trip(data, language, encoding):
    text = data.draw(sentence(WESTERN[language]))
    assert decode_bytes(text.encode(encoding)).text == text


@SETTINGS
@given(data=st.data(), encoding=st.sampled_from(["cp1251", "utf-8"]))
def test_russian_sentences_round_trip(data, encoding):
    words = data.draw(st.lists(st.sampled_from(RUSSIAN), min_size=2, max_size=8))
    text = " ".join(words) + "."
    assert decode_bytes(text.encode(encoding)).text == text
