"""The explorer of the whole UN General Debate corpus in a real browser (slow: ``make slow``).

Issue 17 asks that the explorer opens with no console error for the shipped report *and* for the
UN corpus: 146,000 paragraphs, 25 yearly periods, every codebook theme, passages for each.
"""

from __future__ import annotations

import pytest
from browser import browser_missing, open_page

import topics
from topics.paths import data_dir
from topics.plots import write_explorer
from topics.themes import Codebook, analyze_themes

pytestmark = pytest.mark.slow


def test_the_un_corpus_explorer_opens_clean_and_answers(ungd_path, tmp_path):
    reason = browser_missing()
    if reason:
        pytest.skip(reason)
    paragraphs = topics.ingest(
        ungd_path, columns={"date": "year", "id": "id"}, segment="paragraphs", min_chars=40
    ).corpus
    codebook = Codebook.from_toml(data_dir() / "themes.toml")
    analysis = analyze_themes(paragraphs, codebook, freq="year", n_boot=200, random_state=0)
    path = tmp_path / "un.html"
    write_explorer(analysis, path, title="UN General Debate")
    with open_page(path) as (page, log):
        assert log.console_errors == []
        assert log.page_errors == []
        assert log.blocked == []
        periods = page.locator("#period option").all_inner_texts()
        assert "2022" in periods
        page.select_option("#period", "2022")
        assert "2022" in page.inner_text("#passage-title")
        themes = page.locator("#passages .cell").evaluate_all(
            "(c) => c.map((x) => x.dataset.theme)"
        )
        assert "ukraine" in themes
        assert log.console_errors == []
        assert log.page_errors == []
