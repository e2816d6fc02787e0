"""Preprocessing per language: each token gets its own language's stop words and lemmas."""

from __future__ import annotations

import pytest

from topics.errors import ConfigError
from topics.text.lexicons import KAZAKH_STOP_WORDS, cyrillic_language, stop_words_of
from topics.text.preprocess import PreprocessConfig, Preprocessor

RU = "Евросоюз ввёл новые санкции против России, и это затронуло экспорт нефти."
UK = "Євросоюз запровадив нові санкції проти Росії, і це вплинуло на експорт нафти."
KK = "Бұл шешім Қазақстан мен Еуропалық Одақ үшін өте маңызды болды және санкциялар туралы."
EN = "The sanctions on Russia were discussed by the ministers."


def test_russian_and_ukrainian_words_are_lemmatised_and_their_stop_words_dropped():
    pre = Preprocessor()
    ru = pre.tokenize(RU, "ru")
    uk = pre.tokenize(UK, "uk")
    assert {"санкция", "россия", "экспорт", "нефть"} <= set(ru)
    assert {"санкція", "росія", "експорт", "нафта"} <= set(uk)
    assert not {"и", "это", "против"} & set(ru)
    assert not {"і", "це", "проти", "на"} & set(uk)


def test_kazakh_keeps_its_words_unlemmatised_without_its_function_words():
    tokens = Preprocessor().tokenize(KK, "kk")
    assert tokens == ["шешім", "қазақстан", "еуропалық", "одақ", "маңызды", "санкциялар"]
    assert {"және", "мен", "үшін", "туралы", "бұл", "болды", "өте"} <= KAZAKH_STOP_WORDS


def test_english_tokens_are_what_the_english_pipeline_gave():
    auto = Preprocessor().tokenize(EN)
    english = Preprocessor(PreprocessConfig(stop_words="english")).tokenize(EN)
    assert auto == english == ["sanction", "russia", "discuss", "minister"]


def test_a_mixed_document_reads_latin_words_as_english_and_cyrillic_by_its_language():
    text = "Министры обсудили Global Gateway и санкции; the sanctions were on the agenda."
    tokens = Preprocessor(PreprocessConfig(protected_terms=("Global Gateway",))).tokenize(text)
    assert tokens == ["министр", "обсудить", "global_gateway", "санкция", "sanction", "agenda"]


def test_the_cyrillic_language_comes_from_lang_or_is_detected():
    assert cyrillic_language(UK, "uk") == "uk"
    assert cyrillic_language(UK) == "uk"
    assert cyrillic_language(RU) == "ru"
    assert cyrillic_language(KK) == "kk"
    assert cyrillic_language("Қазақстан", None) == "kk"  # too short to detect: its letters
    assert cyrillic_language(RU, "en") == "ru"  # an English document's Cyrillic quote


def test_stop_word_modes_and_the_manifests_description():
    assert Preprocessor(PreprocessConfig(stop_words="english")).tokenize(RU, "ru")[:2] == [
        "евросоюз",
        "ввести",
    ]
    assert "против" in Preprocessor(PreprocessConfig(stop_words="english")).tokenize(RU, "ru")
    assert "против" not in Preprocessor(PreprocessConfig(stop_words="auto")).tokenize(RU, "ru")
    assert "и" in Preprocessor(PreprocessConfig(stop_words="none", min_token_length=1)).tokenize(
        RU, "ru"
    )
    described = PreprocessConfig().to_dict()["languages"]
    assert described["kk"]["lemmas"].startswith("none")
    assert described["ru"]["n_stop_words"] == len(stop_words_of("ru")) > 300
    assert PreprocessConfig.from_dict(PreprocessConfig().to_dict()) == PreprocessConfig()
    with pytest.raises(ConfigError, match="stop_words must be one of"):
        PreprocessConfig(stop_words="russian")


def test_a_stop_word_list_keeps_the_words_our_themes_need():
    # stopwords-iso lists «война» and «москва» as Russian stop words; ours must not
    for lang, words in {"ru": ["война", "москва", "санкции"], "uk": ["війна", "санкції"]}.items():
        assert not set(words) & stop_words_of(lang), lang


def test_a_lemma_that_does_not_begin_as_the_word_is_refused():
    # simplemma maps «Киев» and «Київ» onto «кий», a billiard cue
    tokens = Preprocessor().tokenize("В Киеве и в Киев, а не кий; Київ і Києва.", "ru")
    assert "кий" in tokens  # the cue itself stays a cue
    assert tokens.count("кий") == 1
    assert "киев" in tokens
    assert Preprocessor().tokenize("Київ", "uk") == ["київ"]
    assert Preprocessor().tokenize("санкций ввёл", "ru") == ["санкция", "ввести"]
