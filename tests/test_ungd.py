"""The real UN General Debate corpus (read from ../shared; skipped with a reason when absent)."""

from __future__ import annotations

import pytest

import topics


@pytest.fixture(scope="module")
def ungd(ungd_path):
    return topics.ingest(ungd_path, columns={"date": "year", "id": "id"}, segment="paragraphs")


def test_all_speeches_load_with_year_precision(ungd):
    docs = ungd.documents.to_frame()
    assert len(docs) == 4793
    assert ungd.report.counts()["kept"] == 4793
    assert set(docs["date_precision"]) == {"year"}
    assert docs["date"].dt.year.min() == 2000
    assert docs["date"].dt.year.max() == 2024
    assert {"country_iso3", "session", "year"} <= set(docs.columns)


def test_speeches_segment_into_paragraphs_without_page_headers(ungd):
    paragraphs = ungd.corpus.to_frame()
    assert 120_000 <= len(paragraphs) <= 160_000
    assert not paragraphs["text"].str.contains(r"^\d{1,2}/\d{1,2}/\d{4} A/\d+/PV", regex=True).any()
    assert not paragraphs["text"].str.contains(r"\n").any()  # hard line breaks re-joined
    assert paragraphs["parent_id"].nunique() == 4793
    assert (paragraphs["text"].str.len() > 0).all()
