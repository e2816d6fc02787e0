"""The explorer page: one offline, deterministic file whose data agree with the analysis."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from planted import PLANTED_THEMES, planted_theme_corpus

import topics
from topics.plots import write_explorer
from topics.plots._explorer_data import _js_distances, topic_map
from topics.themes import analyze_themes


@pytest.fixture(scope="module")
def planted():
    corpus, _truth = planted_theme_corpus(months=18, docs_per_month=20)
    analysis = analyze_themes(corpus, PLANTED_THEMES, freq="month", n_boot=200, n_perm=199)
    matrix, _ = topics.vectorize(corpus, min_df=2)
    model = topics.NMF(n_topics=4, random_state=0).fit(matrix)
    return analysis, model, matrix


def page_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="explorer-data">(.*?)</script>', html)
    assert match
    return json.loads(match.group(1))


def test_explorer_is_one_offline_deterministic_file(planted, tmp_path):
    analysis, model, matrix = planted
    one = write_explorer(analysis, tmp_path / "a" / "explorer", model=model, matrix=matrix)[0]
    two = write_explorer(analysis, tmp_path / "b" / "explorer.html", model=model, matrix=matrix)
    assert one.name == "explorer.html"
    assert one.read_bytes() == two[0].read_bytes()
    html = one.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html
    assert "default-src 'none'" in html  # the browser itself refuses any request
    assert not re.search(r"<script[^>]*\bsrc=", html)
    assert "<link" not in html
    assert one.stat().st_size < 6_000_000
    manifest = json.loads((tmp_path / "a" / "explorer.manifest.json").read_text())
    assert manifest["kind"] == "explorer"
    assert manifest["files"] == ["explorer.html"]
    assert f"plotly.js v{manifest['plotly.js']}" in html


def test_passages_are_those_of_the_analysis(planted, tmp_path):
    analysis, _model, _matrix = planted
    path = write_explorer(analysis, tmp_path / "explorer.html", n_passages=3, width=50)[0]
    data = page_data(path.read_text(encoding="utf-8"))["trends"]
    for theme in ("sanctions", "corridor"):
        for period in ("2021-03", "2021-10", "2022-06"):
            expected = analysis.passages(theme, period, n=3, width=50)
            cell = data["passages"][f"{theme}|{period}"]
            assert [d["doc"] for d in cell] == list(dict.fromkeys(expected["doc_id"]))
            first = expected[expected["doc_id"] == cell[0]["doc"]].head(3)
            assert cell[0]["lines"] == first[["left", "keyword", "right"]].to_numpy().tolist()


def test_trends_changes_and_flags_agree_with_the_analysis(planted, tmp_path):
    analysis, _model, _matrix = planted
    path = write_explorer(analysis, tmp_path / "explorer.html", shown=["corridor"])[0]
    data = page_data(path.read_text(encoding="utf-8"))["trends"]
    assert data["periods"] == [str(p) for p in analysis.axis]
    assert data["shown"] == ["corridor"]
    sanctions = next(t for t in data["themes"] if t["name"] == "sanctions")
    rows = analysis.trends[analysis.trends["theme"] == "sanctions"]
    assert sanctions["share"] == pytest.approx(rows["share"].tolist(), rel=1e-5)
    assert sanctions["label"] == "Sanctions"
    steps = [(c["theme"], c["date"]) for c in data["changes"]]
    assert ("sanctions", "2021-10") in steps  # the planted step
    assert len({t["colour"] for t in data["themes"]}) == len(data["themes"])
    with pytest.raises(topics.InputError, match="shown"):
        write_explorer(analysis, tmp_path / "x.html", themes=["corridor"], shown=["sanctions"])


def test_topic_browser_ranks_terms_by_relevance(planted, tmp_path):
    analysis, model, matrix = planted
    path = write_explorer(analysis, tmp_path / "explorer.html", model=model, matrix=matrix)[0]
    data = page_data(path.read_text(encoding="utf-8"))["topics"]
    assert len(data["topics"]) == 4
    assert sum(t["size"] for t in data["topics"]) == pytest.approx(1.0, abs=1e-3)
    beta = model.topic_word_ / model.topic_word_.sum(axis=1, keepdims=True)
    lift = np.log(np.maximum(beta, 1e-300) / model.term_frequency_)
    for topic in data["topics"]:
        k = topic["id"]
        terms = topic["terms"]

        def top(lam, terms=terms):
            return max(terms, key=lambda t: lam * t[1] + (1 - lam) * t[2])[0]

        assert top(1.0) == model.vocabulary_[int(np.argmax(beta[k]))]
        assert top(0.0) == model.vocabulary_[int(np.argmax(lift[k]))]
        assert topic["label"].startswith(f"{k}: ")
    assert data["lambda"] == pytest.approx(model.relevance_lambda)
    # a word's count in a topic never exceeds its count in the corpus, which is the real one
    corpus_counts = dict(zip(matrix.vocabulary, np.asarray(matrix.counts.sum(axis=0)).ravel(),
                             strict=True))  # fmt: skip
    in_topics: dict[str, float] = {}
    for topic in data["topics"]:
        for term, _, _, in_topic, in_corpus in topic["terms"]:
            assert in_topic <= in_corpus * (1 + 1e-4), (term, in_topic, in_corpus)
            assert in_corpus == pytest.approx(corpus_counts[term], rel=1e-4)
            in_topics[term] = in_topics.get(term, 0.0) + in_topic
    assert all(total <= corpus_counts[t] * (1 + 1e-3) for t, total in in_topics.items())


def test_topic_map_keeps_distant_topics_apart():
    rng = np.random.default_rng(0)
    topic_word = rng.dirichlet(np.full(40, 0.3), size=6)
    topic_word[:3, 20:] *= 0.02  # two families of topics: words 0–19 and words 20–39
    topic_word[3:, :20] *= 0.02
    coords = topic_map(topic_word)
    mapped = np.linalg.norm(coords[:, None] - coords[None], axis=2)
    true = _js_distances(topic_word)
    upper = np.triu_indices(6, 1)
    assert np.corrcoef(mapped[upper], true[upper])[0, 1] > 0.9
    assert mapped[:3, 3:].min() > mapped[:3, :3].max()
    assert np.array_equal(coords, topic_map(topic_word))
    assert coords[0, 0] >= 0  # signs fixed, so the map never flips
    assert topic_map(topic_word[:2]).shape == (2, 2)


def test_corpus_text_cannot_break_out_of_the_page(tmp_path):
    texts = [
        "Sanctions </script><script>alert(1)</script> were imposed <!-- on exports.",
        "The railway corridor opened.",
        "Lithium mining grew.",
    ]
    corpus = topics.Corpus.from_texts(texts, dates=["2022-01-10", "2022-02-10", "2022-02-11"])
    analysis = analyze_themes(corpus, PLANTED_THEMES, freq="month", n_boot=20, n_perm=19)
    html = write_explorer(analysis, tmp_path / "explorer.html")[0].read_text(encoding="utf-8")
    data_part = html.split('id="explorer-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data_part
    assert "alert(1)" in json.dumps(page_data(html), ensure_ascii=False)
