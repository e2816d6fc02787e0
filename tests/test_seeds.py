"""The five shipped seed articles ingest with the right dates, titles and no page furniture."""

from __future__ import annotations

import pandas as pd
import pytest

import topics

EXPECTED = {
    "000_e44d9e434b5bdf5b": ("2022-03-27", "day", "header"),
    "001_b9b2a1f356df666f": ("2023-01-24", "day", "dateline"),
    "002_e835382812cbf804": ("2023-05-18", "day", "header"),
    "003_8272772d937ef946": ("2021-11-22", "day", "header"),
    "004_3f52f74236c4d950": ("2022-11-01", "month", "body"),
}


@pytest.fixture(scope="module")
def seeds(seeds_dir):
    return topics.ingest(seeds_dir)


def test_seed_dates_precision_and_source(seeds):
    frame = seeds.documents.to_frame().set_index("id")
    assert set(frame.index) == set(EXPECTED)
    for doc_id, (date, precision, source) in EXPECTED.items():
        assert frame.loc[doc_id, "date"] == pd.Timestamp(date), doc_id
        assert frame.loc[doc_id, "date_precision"] == precision, doc_id
        assert frame.loc[doc_id, "date_source"] == source, doc_id


def test_seed_titles_only_where_the_article_has_one(seeds):
    titles = seeds.documents.to_frame().set_index("id")["title"]
    assert titles["000_e44d9e434b5bdf5b"].startswith("Kazakhstan and EU debated perspectives")
    assert titles["001_b9b2a1f356df666f"] == (
        "Kazakhstan and EU mark 30th anniversary of diplomatic relations"
    )
    # "Images | gov.kz" is a gallery page title, not the article's; 003 and 004 have none.
    for doc_id in ("002_e835382812cbf804", "003_8272772d937ef946", "004_3f52f74236c4d950"):
        assert pd.isna(titles[doc_id]), doc_id


def test_no_view_counter_or_page_furniture_in_text(seeds):
    frame = seeds.documents.to_frame().set_index("id")
    for text in frame["text"]:
        assert "747" not in text
        assert "11:08" not in text
        assert "Images | gov.kz" not in text
        assert "KAZINFORM" not in text
    # raw_text keeps everything as read
    assert "24 January 2023, 11:08 747" in frame.loc["001_b9b2a1f356df666f", "raw_text"]


def test_outlets_and_places_from_leads(seeds):
    frame = seeds.documents.to_frame().set_index("id")
    assert frame.loc["000_e44d9e434b5bdf5b", "outlet"] == "Kazinform"
    assert frame.loc["000_e44d9e434b5bdf5b", "place"] == "Doha"
    assert frame.loc["003_8272772d937ef946", "place"] == "Dushanbe"
    assert frame.loc["002_e835382812cbf804", "outlet"] == "gov.kz"


def test_homoglyph_and_missing_space_repaired(seeds):
    text = seeds.documents.to_frame().set_index("id").loc["002_e835382812cbf804", "text"]
    assert "Minister Nurtleu briefed" in text  # typed with a Cyrillic "М" in the source
    other = seeds.documents.to_frame().set_index("id").loc["003_8272772d937ef946", "text"]
    assert "Central Asia. The participants" in other


def test_seed_report_counts_equal_inputs(seeds):
    counts = seeds.report.counts()
    assert counts["kept"] == 5
    assert sum(counts.values()) == seeds.report.n_inputs == 5


def test_seed_paragraphs_inherit_metadata(seeds_dir):
    result = topics.ingest(seeds_dir, segment="paragraphs")
    paragraphs = result.corpus.to_frame()
    assert 35 <= len(paragraphs) <= 80
    parents = result.documents.to_frame().set_index("id")
    for row in paragraphs.itertuples():
        parent = parents.loc[row.parent_id]
        assert row.date == parent["date"]
        assert row.date_precision == parent["date_precision"]
        assert parent["text"][row.start : row.end] == row.text
    assert paragraphs["id"].is_unique
