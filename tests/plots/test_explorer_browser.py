"""The explorer in a real browser: Debian's headless Chromium, driven by Playwright.

Each page is opened from disk with every non-file request aborted and recorded; the tests
assert no console error, no page error and no request, and that the interactions work.
Screenshots go to ``build/explorer-test/``. Without Chromium the tests skip with the reason,
except under CI (``CI`` set), where they fail: there `make test` installs it.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from browser import browser_missing, open_page
from planted import PLANTED_THEMES, planted_theme_corpus

import topics
from topics.app.cli import main
from topics.paths import data_dir, project_root
from topics.plots import write_explorer
from topics.themes import analyze_themes

SHOTS = project_root() / "build" / "explorer-test"


@pytest.fixture(scope="module", autouse=True)
def chromium():
    reason = browser_missing()
    if reason and os.environ.get("CI"):
        pytest.fail(f"the browser test must run in CI: {reason}")
    if reason:
        pytest.skip(reason)
    SHOTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    corpus, _truth = planted_theme_corpus(months=18, docs_per_month=20)
    analysis = analyze_themes(corpus, PLANTED_THEMES, freq="month", n_boot=200, n_perm=199)
    matrix, _ = topics.vectorize(corpus, min_df=2)
    model = topics.NMF(n_topics=4, random_state=0).fit(matrix)
    path = tmp_path_factory.mktemp("explorer") / "explorer.html"
    write_explorer(analysis, path, model=model, matrix=matrix, title="Planted themes")
    return analysis, model, path


def assert_clean(log):
    assert log.console_errors == []
    assert log.page_errors == []
    assert log.blocked == []  # nothing but the file itself was requested
    assert all(url.startswith("file:") for url in log.requests)


def texts(page, selector):
    return page.locator(selector).all_inner_texts()


def point_position(page, theme_label, period):
    """Pixel position of a theme's point in a period on the trend plot (Plotly's own axes)."""
    return page.evaluate(
        """([label, period]) => {
            const gd = document.getElementById("trend-plot");
            const trace = gd.data.find((t) => t.name === label);
            const i = trace.x.indexOf(period);
            const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
            const box = gd.getBoundingClientRect();
            return [box.left + xa._offset + xa.d2p(period),
                    box.top + ya._offset + ya.d2p(trace.y[i])];
        }""",
        [theme_label, period],
    )


def test_planted_explorer_interactions(planted):
    analysis, model, path = planted
    with open_page(path) as (page, log):
        summary = page.inner_text("#summary")
        assert summary.startswith(f"{len(analysis.corpus)} documents, 18 periods (month), ")
        assert "themes measured by dictionary." in summary  # the measure is named
        page.screenshot(path=str(SHOTS / "planted-start.png"), full_page=True)
        # choosing a period lists every shown theme's key passages in it
        page.select_option("#period", "2022-03")
        assert "2022-03" in page.inner_text("#passage-title")
        expected = analysis.passages("sanctions", "2022-03", n=3, width=70)
        shown = " ".join(texts(page, "#passages .cell[data-theme=sanctions] .passage"))
        first = expected.iloc[0]
        assert f"{first['keyword']}{first['right']}" in shown
        cells = page.locator("#passages .cell").evaluate_all("(c) => c.map((x) => x.dataset.theme)")
        assert set(cells) == {"sanctions", "corridor", "minerals"}
        page.screenshot(path=str(SHOTS / "planted-period.png"), full_page=True)
        # a row of the changes table focuses its theme and period
        page.locator("#changes tbody tr", has_text="Sanctions").first.click()
        assert page.inner_text("#passage-title") == "Key passages — 2021-10 · Sanctions"
        assert page.locator("#passages .cell").count() == 1
        # clicking a point of the trend plot focuses that theme × period
        page.locator("#trend-plot").scroll_into_view_if_needed()
        x, y = point_position(page, "Connectivity", "2022-01")
        page.mouse.move(x, y)
        page.wait_for_selector("#trend-plot .hoverlayer .hovertext", timeout=5_000)
        hover = page.text_content("#trend-plot .hoverlayer") or ""
        assert "Connectivity" in hover
        assert "click for its key passages" in hover
        page.mouse.click(x, y)
        page.wait_for_function(
            "document.getElementById('passage-title').textContent.endsWith('Connectivity')"
        )
        assert page.inner_text("#passage-title") == "Key passages — 2022-01 · Connectivity"
        page.screenshot(path=str(SHOTS / "planted-point.png"), full_page=True)
        # unticking a theme removes its line
        lines = "document.getElementById('trend-plot').data.filter((t) => t.name).length"
        assert page.evaluate(lines) == 3
        page.uncheck("#themes input[value=minerals]")
        assert page.evaluate(lines) == 2
        page.check("#log-scale")
        assert (
            page.evaluate("document.getElementById('trend-plot')._fullLayout.yaxis.type") == "log"
        )
        # the relevance slider reorders a topic's terms
        slider = page.locator("#lambda")
        slider.focus()
        page.keyboard.press("End")
        assert page.inner_text("#lambda-value") == "1.00"
        by_probability = texts(page, "#term-list li")
        page.keyboard.press("Home")
        assert page.inner_text("#lambda-value") == "0.00"
        by_lift = texts(page, "#term-list li")
        assert by_probability != by_lift
        assert sorted(by_probability) != by_probability or by_probability[0] != by_lift[0]
        topic = int(page.input_value("#topic"))
        beta = model.topic_word_[topic]
        assert by_probability[0] == model.vocabulary_[int(beta.argmax())]
        page.screenshot(path=str(SHOTS / "planted-topics.png"), full_page=True)
        # choosing another topic on the map
        page.select_option("#topic", "2")
        assert (page.text_content("#topic-terms .gtitle") or "").startswith("Top terms at λ = 0.00")
        assert_clean(log)


def _report_config(tmp_path: Path, corpus: Path, folder: Path, extra: str = "") -> Path:
    text = (data_dir() / "report.toml").read_text(encoding="utf-8")
    text = text.replace('path = "seeds"', f'path = "{corpus.as_posix()}"')
    text = text.replace(
        'codebook = "themes.toml"', f'codebook = "{(data_dir() / "themes.toml").as_posix()}"'
    )
    text = text.replace('folder = "../build/report"', f'folder = "{folder.as_posix()}"')
    path = tmp_path / "report.toml"
    path.write_text(text + extra, encoding="utf-8")
    return path


def test_shipped_report_explorer_opens_clean(tmp_path):
    out = tmp_path / "report"
    assert main(["report", str(_report_config(tmp_path, data_dir() / "seeds", out))]) == 0
    with open_page(out / "explorer.html") as (page, log):
        assert page.is_visible("#topic-section")  # the shipped config fits an NMF
        assert page.locator("#themes input").count() == 10
        checked = page.locator("#themes input:checked").evaluate_all("(i) => i.map((x) => x.value)")
        assert checked == ["sanctions", "ukraine", "connectivity", "raw_materials"]  # headline
        page.screenshot(path=str(SHOTS / "report.png"), full_page=True)
        assert_clean(log)


def _ungd_report(ungd_path, tmp_path: Path, every: int) -> Path:
    """Run the shipped report config on the UN speeches (every ``every``-th), yearly."""
    speeches = pd.read_json(ungd_path, lines=True)
    subset = tmp_path / "ungd.jsonl"
    speeches.iloc[::every].to_json(subset, orient="records", lines=True, force_ascii=False)
    out = SHOTS / f"ungd-{every}"
    shutil.rmtree(out, ignore_errors=True)
    config = _report_config(tmp_path, subset, out)
    text = config.read_text(encoding="utf-8")
    text = text.replace('# columns = { text = "body", date = "published", id = "url" }',
                        'columns = { date = "year", id = "id" }')  # fmt: skip
    text = text.replace('freq = "quarter"', 'freq = "year"').replace(
        "n_topics = 6", "n_topics = 12"
    )
    config.write_text(text.replace("n_boot = 1000", "n_boot = 200\nn_perm = 199"), "utf-8")
    assert main(["report", str(config)]) == 0
    return out / "explorer.html"


def _check_ungd(path: Path, name: str) -> None:
    with open_page(path) as (page, log):
        summary = page.inner_text("#summary")  # paragraphs are counted as what they are
        assert re.search(r"^\d+ paragraphs of \d+ articles, 25 periods \(year\), themes "
                         r"measured by dictionary\.", summary), summary  # fmt: skip
        assert page.locator("#period option").count() == 25  # 2000 … 2024
        assert page.locator("#topic option").count() == 12
        assert page.locator("#changes tbody tr").count() >= 1
        page.select_option("#period", "2022")
        assert page.locator("#passages .passage").count() > 0
        page.screenshot(path=str(SHOTS / name), full_page=True)
        assert_clean(log)


def test_ungd_explorer_opens_clean(ungd_path, tmp_path):
    _check_ungd(_ungd_report(ungd_path, tmp_path, every=24), "ungd.png")


@pytest.mark.slow
def test_full_ungd_explorer_opens_clean(ungd_path, tmp_path):
    _check_ungd(_ungd_report(ungd_path, tmp_path, every=1), "ungd-full.png")


def test_explorer_split_by_language_and_corrected_by_a_validation(tmp_path):
    """Groups draw their own lines and keep the theme's passages; corrected pages say so."""
    rng = np.random.default_rng(0)
    about = {"en": "New sanctions and an oil embargo were agreed.",
             "ru": "Приняты новые санкции и нефтяное эмбарго."}  # fmt: skip
    other = {"en": "Farmers harvested wheat in the north.",
             "ru": "Фермеры собрали пшеницу на севере."}  # fmt: skip
    texts_, dates, langs = [], [], []
    for month in range(1, 10):
        for _ in range(30):
            story = rng.random() < 0.1 * month
            for lang in ("en", "ru"):
                texts_.append((about if story else other)[lang])
                dates.append(f"2022-{month:02d}-10")
                langs.append(lang)
    corpus = topics.Corpus.from_texts(texts_, dates=dates, lang=langs)
    codebook = topics.Codebook((topics.Theme("sanctions", "Sanctions", ("sanction", "embargo"),
                                             {"ru": ("санкци*", "эмбарго")}),))  # fmt: skip
    analysis = analyze_themes(corpus, codebook, freq="month", n_boot=100, n_perm=99)
    grouped = write_explorer(analysis, tmp_path / "by_lang.html", by="lang")[0]
    with open_page(grouped) as (page, log):
        names = page.evaluate(
            "document.getElementById('trend-plot').data.filter((t) => t.name).map((t) => t.name)"
        )
        assert names == ["Sanctions — en", "Sanctions — ru"]
        assert "split by lang (en, ru)" in page.inner_text("#summary")
        page.locator("#trend-plot").scroll_into_view_if_needed()
        x, y = point_position(page, "Sanctions — ru", "2022-06")
        page.mouse.click(x, y)
        page.wait_for_function(
            "document.getElementById('passage-title').textContent.endsWith('Sanctions — ru')"
        )
        lines = texts(page, "#passages .passage")
        assert lines  # the group's own passages: Russian documents for the Russian line
        assert all(re.search("[а-я]", line) for line in lines), lines
        assert_clean(log)

    from topics.validation import corrected_trends, validate_gold

    corpus_l = topics.Corpus.from_texts(
        texts_, dates=dates, lang=langs,
        labels=["sanctions" if t in about.values() else "other" for t in texts_],
    )  # fmt: skip
    analysis_l = analyze_themes(corpus_l, codebook, freq="month", n_boot=100, n_perm=99)
    validation = validate_gold(analysis_l, "labels:sanctions=sanctions", n_boot=200)
    table = corrected_trends(analysis_l, validation, n_boot=200)
    page_path = write_explorer(
        analysis_l, tmp_path / "corrected.html", corrected=table,
        corrected_by=validation.settings["source"],
    )[0]  # fmt: skip
    with open_page(page_path) as (page, log):
        summary = page.inner_text("#summary")
        assert "corrected for the measure's errors (Rogan–Gladen) by gold labels" in summary
        markers = page.evaluate(
            "document.getElementById('trend-plot').data"
            ".filter((t) => t.hovertemplate && t.hovertemplate.includes('change')).length"
        )
        assert markers == 0  # change points belong to the measured shares
        title = page.evaluate("document.getElementById('trend-plot')._fullLayout.yaxis.title.text")
        assert title == "share of documents"
        assert_clean(log)


def test_isolated_points_have_intervals_and_the_toolbar_leaves_partial_readable(tmp_path):
    texts_ = ["New sanctions on oil.", "Sanctions and an embargo.", "A railway corridor opened."]
    dates = ["2022-01-10", "2022-03-10", "2022-05-10"]  # February and April are gaps
    texts_ += texts_ * 3
    dates += ["2022-01-12", "2022-03-12", "2022-05-12"] * 3
    corpus = topics.Corpus.from_texts([*texts_, "Sanctions again."], dates=[*dates, "2022-05-14"])
    analysis = analyze_themes(corpus, PLANTED_THEMES, freq="month", n_boot=100, n_perm=99)
    path = write_explorer(analysis, tmp_path / "gaps.html")[0]
    with open_page(path) as (page, log):
        bars = page.evaluate(
            """() => {
                const t = document.getElementById('trend-plot').data
                    .find((d) => d.name === 'Sanctions');
                return [t.error_y.visible, t.error_y.array, t.error_y.arrayminus];
            }"""
        )
        visible, upper, lower = bars
        assert visible
        assert [u is not None for u in upper] == [True, False, True, False, True]
        assert all(v >= 0 for v in [*upper, *lower] if v is not None)
        assert any(v > 0 for v in upper if v is not None)  # a real interval, not a dot
        page.locator("#trend-plot").hover()  # the toolbar shows on hover
        overlap = page.evaluate(
            """() => {
                const bar = document.querySelector('#trend-plot .modebar');
                const label = [...document.querySelectorAll('#trend-plot text')]
                    .find((t) => t.textContent === 'partial');
                if (!bar || !label) { return null; }
                const a = bar.getBoundingClientRect(), b = label.getBoundingClientRect();
                return !(a.right < b.left || b.right < a.left ||
                         a.bottom < b.top || b.bottom < a.top);
            }"""
        )
        assert overlap is False
        assert_clean(log)


def test_weekly_period_labels_are_not_cut_off(tmp_path):
    """Weekly periods ("2022-01-03/2022-01-09") are long labels: they must fit the page."""
    rng = np.random.default_rng(0)
    base = pd.Timestamp("2022-01-03")
    words = ["New sanctions on oil.", "A railway corridor opened.", "Lithium and rare earths."]
    dates = [base + pd.Timedelta(days=int(d)) for d in rng.integers(0, 7 * 20, size=200)]
    corpus = topics.Corpus.from_texts(
        [words[i % 3] for i in range(200)], dates=[d.strftime("%Y-%m-%d") for d in dates]
    )
    analysis = analyze_themes(corpus, PLANTED_THEMES, freq="week", n_boot=50, n_perm=49)
    path = write_explorer(analysis, tmp_path / "weekly.html")[0]
    with open_page(path) as (page, log):
        boxes = page.evaluate(
            """() => {
                const plot = document.getElementById('trend-plot');
                const frame = plot.querySelector('.main-svg').getBoundingClientRect();
                const ticks = [...plot.querySelectorAll('.xtick text')]
                    .map((t) => t.getBoundingClientRect());
                const legend = plot.querySelector('.legend').getBoundingClientRect();
                return {frame: [frame.top, frame.bottom, frame.left, frame.right],
                        ticks: ticks.map((b) => [b.top, b.bottom, b.left, b.right]),
                        legend: [legend.top, legend.bottom, legend.left, legend.right]};
            }"""
        )
        top, bottom, left, right = boxes["frame"]
        page.screenshot(path=str(SHOTS / "weekly.png"), full_page=True)
        assert len(boxes["ticks"]) >= 5
        for t_top, t_bottom, t_left, t_right in boxes["ticks"]:
            assert top <= t_top
            assert t_bottom <= bottom + 0.5
            assert left - 0.5 <= t_left
            assert t_right <= right + 0.5
            l_top, l_bottom, l_left, l_right = boxes["legend"]
            apart = t_bottom <= l_top or l_bottom <= t_top or t_right <= l_left or l_right <= t_left
            assert apart  # the legend does not sit on the labels
        assert_clean(log)
