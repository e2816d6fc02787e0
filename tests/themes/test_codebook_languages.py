"""One codebook, several languages: per-language terms, stems, and a theme measured alike."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest
from short_sentences import KAZAKH, RUSSIAN, THEMES

import topics
from topics.errors import ConfigError
from topics.paths import data_dir
from topics.themes.codebook import Codebook, Theme
from topics.themes.health import theme_health
from topics.themes.measures.dictionary import dictionary_shares

EN = "The EU adopted a sixth package of sanctions against Russia, including an oil embargo."
RU = "Евросоюз принял шестой пакет санкций против России, включая нефтяное эмбарго."
UK = "Євросоюз ухвалив шостий пакет санкцій проти Росії, включно з нафтовим ембарго."
KK = "Еуропалық Одақ Ресейге қарсы санкциялардың алтыншы пакетін қабылдады."
OTHER = {
    "en": "The harvest in the north of the country was better than last year.",
    "ru": "Урожай на севере страны оказался лучше прошлогоднего.",
    "uk": "Урожай на півночі країни виявився кращим, ніж торік.",
    "kk": "Елдің солтүстігіндегі астық өнімі былтырғыдан жақсы болды.",
}


def _book(tmp_path, body: str) -> Codebook:
    path = tmp_path / "themes.toml"
    path.write_text(body, encoding="utf-8")
    return Codebook.from_toml(path)


def _sanctions(book: Codebook, texts: list[str], langs: list[str | None]) -> list[float]:
    compiled = book.compile()
    tokens = compiled.tokenize(texts, langs=langs)
    shares = dictionary_shares(tokens, [str(i) for i in range(len(texts))], compiled)
    return shares[shares["theme"] == "sanctions"]["share"].tolist()


def test_terms_given_per_language_measure_one_theme_in_every_language(tmp_path):
    book = _book(
        tmp_path,
        '[themes.sanctions]\nlabel = "Sanctions"\n[themes.sanctions.terms]\n'
        'en = ["sanction", "embargo"]\nru = ["санкция", "эмбарго"]\n'
        'uk = ["санкція", "ембарго"]\nkk = ["санкция*"]\n',
    )
    assert book.languages == ["en", "kk", "ru", "uk"]
    texts = [EN, RU, UK, KK, *OTHER.values()]
    langs = ["en", "ru", "uk", "kk", *OTHER]
    shares = _sanctions(book, texts, langs)
    assert all(s > 0 for s in shares[:4])  # "санкций" → санкция, "санкциялардың" ⊃ санкция
    assert shares[4:] == [0.0, 0.0, 0.0, 0.0]


def test_a_plain_list_stays_english_and_finds_no_russian(tmp_path):
    book = _book(tmp_path, '[themes.sanctions]\nterms = ["sanction", "embargo"]\n')
    assert book.themes[0].terms == ("sanction", "embargo")
    assert book.themes[0].by_language == {}
    assert book.languages == ["en"]
    en, ru = _sanctions(book, [EN, RU], ["en", "ru"])
    assert en > 0
    assert ru == 0.0


def test_stems_match_every_word_of_the_family_and_nothing_shorter():
    theme = Theme("sanctions", "Sanctions", (), {"ru": ("санкци*",)})
    book = Codebook((theme,)).compile()
    vocabulary = ["санкция", "санкционный", "антисанкционный", "санк", "сан", "sanction"]
    expanded = book.expand(vocabulary)
    assert set(expanded.tokens["sanctions"]) == {"санкция", "санкционный"}
    assert set(expanded.tokens["sanctions"].values()) == {"санкци*"}
    # a stem that meets no word keeps a visible placeholder, never a token of text
    assert book.expand(["war"]).tokens["sanctions"] == {"санкци*": "санкци*"}
    assert book.seed_tokens == []  # the vectoriser is never told to keep a placeholder


def test_stems_are_applied_after_the_languages_normalisation():
    theme = Theme("sanctions", "Sanctions", ("sanction*",), {"uk": ("санкці*",)})
    shares = _sanctions(Codebook((theme,)), [EN, UK, OTHER["uk"]], ["en", "uk", "uk"])
    assert shares[0] > 0
    assert shares[1] > 0
    assert shares[2] == 0.0


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        ('en = ["san*"]', "at least 4"),
        ('ru = ["санк*ция"]', r"one '\*', at its end"),
        ('ru = ["ограничительные мер*"]', "a stem is one word"),
        ('russian = ["санкция"]', "not an ISO 639-1"),
        ("ru = [1]", "themes.sanctions.terms.ru must be a list of strings"),
    ],
)
def test_malformed_terms_are_one_line_errors_naming_the_theme(tmp_path, terms, message):
    with pytest.raises(ConfigError, match=message):
        _book(tmp_path, f"[themes.sanctions]\n[themes.sanctions.terms]\n{terms}\n")


def test_a_codebook_with_languages_round_trips_through_its_manifest_form():
    book = Codebook.from_toml(data_dir() / "themes.toml")
    again = Codebook.from_dict(json.loads(json.dumps(book.to_dict(), ensure_ascii=False)))
    assert again == book
    assert again.themes[0].term_lists.keys() == {"en", "kk", "ru", "uk"}


def test_the_shipped_codebook_finds_the_same_themes_in_kazakh_and_russian_sentences():
    compiled = Codebook.from_toml(data_dir() / "themes.toml").compile()
    ids = [str(i) for i in range(len(THEMES))]
    found = {}
    for lang, sentences in (("kk", KAZAKH), ("ru", RUSSIAN)):
        tokens = compiled.tokenize(sentences, langs=[lang] * len(sentences))
        shares = dictionary_shares(tokens, ids, compiled)
        hits = shares[shares["share"] > 0].groupby("doc_id")["theme"].apply(set)
        found[lang] = [hits.get(i, set()) for i in ids]
    for i, theme in enumerate(THEMES):
        if theme is not None:
            assert theme in found["kk"][i], (i, KAZAKH[i])
            assert theme in found["ru"][i], (i, RUSSIAN[i])
    agree = sum(a == b for a, b in zip(found["kk"], found["ru"], strict=True))
    assert agree >= 18, list(zip(found["kk"], found["ru"], strict=True))


def test_health_lists_a_stems_words_and_leaves_other_languages_unlisted():
    theme = Theme("sanctions", "Sanctions", ("sanction",), {"ru": ("санкци*",), "uk": ("санкці*",)})
    compiled = Codebook((theme,)).compile()
    tokens = compiled.tokenize([RU, EN], langs=["ru", "en"])
    health = theme_health(tokens, ["2022Q1", "2022Q1"], compiled, languages={"en", "ru"})
    assert set(health["token"]) == {"санкция", "sanction"}  # no Ukrainian row
    assert health.set_index("token").loc["санкция", "term"] == "санкци*"
    # in an English-only corpus the Russian stem is not reported as unseen, term by term
    english = compiled.tokenize([EN])
    quiet = theme_health(english, ["2022Q1"], compiled, languages={"en"})
    assert list(quiet["token"]) == ["sanction"]
    every = theme_health(english, ["2022Q1"], compiled)  # languages unknown: all listed
    assert {"санкци*", "санкці*"} <= set(every["token"])


def test_an_english_corpus_measures_exactly_what_the_english_codebook_did(tmp_path):
    shipped = Codebook.from_toml(data_dir() / "themes.toml")
    english = Codebook(tuple(Theme(t.name, t.label, t.terms) for t in shipped.themes))
    corpus = topics.Corpus.from_texts(
        [EN, OTHER["en"], "Kazakhstan and the EU discussed the Middle Corridor and lithium."],
        dates=["2022-01-10", "2022-02-10", "2022-03-10"],
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", topics.TopicsWarning)  # some themes never occur here
        ours = topics.analyze_themes(corpus, shipped)
        before = topics.analyze_themes(corpus, english)
    pd.testing.assert_frame_equal(ours.shares, before.shares)
    pd.testing.assert_frame_equal(ours.trends, before.trends)
    pd.testing.assert_frame_equal(ours.health, before.health)


def test_key_passages_come_from_every_language_and_bounded_endings():
    from topics.themes.passages import keyword_in_context

    corpus = topics.Corpus.from_texts(
        [EN, UK, "The portrait hung by the port."],
        dates=["2022-01-10", "2022-01-11", "2022-01-12"],
    )
    theme = Theme("sanctions", "Sanctions", ("sanction", "port"), {"uk": ("санкці*",)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", topics.TopicsWarning)
        analysis = topics.analyze_themes(corpus, Codebook((theme,)), n_boot=20)
    lines = analysis.passages("sanctions", n=5)
    assert {"санкцій", "sanctions"} <= set(lines["keyword"])  # the Ukrainian one too
    kwic = keyword_in_context(pd.Series({"d": "The portrait hung by the port."}), ["port"])
    assert list(kwic["keyword"]) == ["port"]  # not "portrait"
    plural = keyword_in_context(pd.Series({"d": "Batteries, then a battery."}), ["battery"])
    assert list(plural["keyword"]) == ["Batteries"]  # the lemma the measure counted
    assert list(plural["term"]) == ["battery"]


def test_kazakh_traffic_is_not_a_transport_corridor():
    compiled = Codebook.from_toml(data_dir() / "themes.toml").compile()
    jam = "Қалада көлік кептелісі болды, ауруханалар жұмыс істеді."
    corridor = "Орта дәліз арқылы көліктік тасымал өсті."
    tokens = compiled.tokenize([jam, corridor], langs=["kk", "kk"])
    shares = dictionary_shares(tokens, ["jam", "corridor"], compiled)
    found = shares[(shares["theme"] == "connectivity")].set_index("doc_id")["share"]
    assert found["jam"] == 0.0
    assert found["corridor"] > 0
