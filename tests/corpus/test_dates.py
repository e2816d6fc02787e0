from __future__ import annotations

import pandas as pd
import pytest

from topics.corpus.dates import best_body_date, find_dates, parse_date_value
from topics.io.articles import parse_article


def test_header_date_is_not_overridden_by_body_dates():
    text = " date 2022-03-27 A title\n\nOn 7 November 2021 something happened (2 February 1993)."
    article = parse_article(text)
    assert article.date == pd.Timestamp("2022-03-27")
    assert article.date_source == "header"
    assert article.title == "A title"


def test_dateline_with_view_counter():
    article = parse_article("Some title\n\n24 January 2023, 11:08 747\n\nBody of the story.")
    assert (article.date, article.date_precision, article.date_source) == (
        pd.Timestamp("2023-01-24"),
        "day",
        "dateline",
    )
    assert "747" not in article.body


def test_body_date_prefers_lead_over_parenthesised_history():
    text = (
        "On November 2022 the envoy visited, on the eve of the anniversary of relations "
        "(2 February 1993). A memorandum was signed on 7 November in Sharm el-Sheikh."
    )
    mention = best_body_date(text)
    assert mention is not None
    assert (mention.date, mention.precision) == (pd.Timestamp("2022-11-01"), "month")


def test_body_date_day_precision_when_written():
    mention = best_body_date("The talks were held on 18 May 2023 in Brussels.")
    assert mention is not None
    assert (mention.date, mention.precision) == (pd.Timestamp("2023-05-18"), "day")


def test_body_year_only_gives_year_precision():
    article = parse_article("Cooperation grew strongly in 2021 according to officials.")
    assert (article.date, article.date_precision, article.date_source) == (
        pd.Timestamp("2021-01-01"),
        "year",
        "body",
    )


def test_no_date_anywhere():
    article = parse_article("No dates here at all, only words.")
    assert article.date is None
    assert (article.date_precision, article.date_source) == ("none", "none")


def test_filename_date_rule_and_hashes_are_not_dates():
    assert parse_article("Text without dates.", "2023-05-18_story.txt").date_source == "filename"
    assert parse_article("Text without dates.", "004_3f52f74236c4d950.txt").date is None


def test_overlapping_mentions_keep_the_most_precise():
    mentions = find_dates("signed on 2 February 1993 in Almaty")
    assert [(m.date, m.precision) for m in mentions] == [(pd.Timestamp("1993-02-02"), "day")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2015, (pd.Timestamp("2015-01-01"), "year")),
        ("2015", (pd.Timestamp("2015-01-01"), "year")),
        ("2022-11", (pd.Timestamp("2022-11-01"), "month")),
        ("2023-05-18", (pd.Timestamp("2023-05-18"), "day")),
        ("18 May 2023", (pd.Timestamp("2023-05-18"), "day")),
        (None, (None, "none")),
        ("", (None, "none")),
    ],
)
def test_parse_date_value(value, expected):
    assert parse_date_value(value) == expected


@pytest.mark.parametrize("value", ["not a date", "2023-13", True, 12.5])
def test_parse_date_value_rejects(value):
    with pytest.raises(ValueError, match="not"):
        parse_date_value(value)
