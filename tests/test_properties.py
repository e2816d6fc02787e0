"""Property tests: arbitrary input never escapes as anything but the package's own error."""

from __future__ import annotations

import csv
import io
import tempfile
import warnings
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import topics
from topics import TopicsError

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
