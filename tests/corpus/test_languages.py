"""Each document's language, detected offline, on real sentences in the languages we support."""

from __future__ import annotations

import json

import pytest

from topics.corpus.languages import check_language, detect_language, detect_languages
from topics.errors import ConfigError
from topics.paths import shared_path

SENTENCES = {
    "en": "The European Union and Kazakhstan signed a memorandum on critical raw materials, "
    "batteries and renewable hydrogen.",
    "ru": "Европейский союз ввёл новые санкции против России из-за войны в Украине, включая "
    "эмбарго на нефть.",
    "uk": "Європейський Союз запровадив нові санкції проти Росії через війну в Україні, "
    "зокрема нафтове ембарго.",
    "kk": "Қазақстан мен Еуропалық Одақ арасындағы сауда-экономикалық ынтымақтастық жыл сайын "
    "нығайып келеді.",
}


@pytest.mark.parametrize("lang", sorted(SENTENCES))
def test_each_supported_language_is_recognised_from_one_sentence(lang):
    assert detect_language(SENTENCES[lang]) == lang


def test_russian_and_ukrainian_are_told_apart_on_the_same_news():
    assert detect_languages([SENTENCES["ru"], SENTENCES["uk"]]) == ["ru", "uk"]


def test_a_mixed_document_takes_the_language_with_most_letters():
    mixed = f"{SENTENCES['kk']}\n\n{SENTENCES['kk']}\n\n{SENTENCES['ru']}"
    assert detect_language(mixed) == "kk"
    assert detect_language(f"{SENTENCES['en']}\n\nСанкции.") == "en"  # a short aside is ignored


def test_too_short_to_tell_is_none_not_a_guess():
    assert detect_language("Санкции!") is None
    assert detect_language("12 345 678") is None
    assert detect_language("In pictures: Storm Doris") is None  # Latin at 7 %: a guess
    assert detect_language("China and US: face-to-face") is None
    assert detect_language("The European Union adopted new sanctions against Russia.") == "en"


def test_candidates_restrict_the_choice_and_unknown_codes_are_refused():
    assert detect_language(SENTENCES["uk"], candidates=["en", "ru"]) == "ru"
    with pytest.raises(ConfigError, match="unknown language 'ua'"):
        check_language("ua")
    with pytest.raises(ConfigError, match="unknown language"):
        detect_languages(["text"], candidates=["en", "xx"])


def test_the_parallel_corpus_versions_are_recognised():
    """The shared Ukrainian/English addresses: each version in its own language (≥ 98 %)."""
    folder = shared_path("corpora", "resistinua")
    if folder is None:
        pytest.skip("../shared/corpora/resistinua is absent (the shared parallel corpus)")
    for lang in ("uk", "en"):
        with (folder / f"addresses_{lang}.jsonl").open(encoding="utf-8") as lines:
            texts = [json.loads(line)["text"] for line in lines]
        found = detect_languages(texts)
        assert sum(f == lang for f in found) / len(found) >= 0.98, lang


def _mixed_table(folder):
    import pandas as pd

    rows = [
        {"id": f"{lang}{i}", "date": f"2022-0{i + 1}-15", "text": SENTENCES[lang]}
        for lang in sorted(SENTENCES)
        for i in range(2)
    ]
    rows.append({"id": "short", "date": "2022-03-01", "text": "OK!"})
    rows.append({"id": "tagged", "date": "2022-03-02", "text": SENTENCES["ru"], "lang": "russian"})
    path = folder / "press.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_ingest_records_each_documents_language_and_reports_them(tmp_path, capsys):
    import topics
    from topics.app.cli import main

    table = _mixed_table(tmp_path)
    result = topics.ingest(table)
    frame = result.corpus.to_frame().set_index("id")
    assert frame.loc["kk0", "lang"] == "kk"
    assert frame.loc["ru1", "lang"] == "ru"
    assert frame.loc["uk0", "lang"] == "uk"
    assert frame.loc["en1", "lang"] == "en"
    assert pd_isna(frame.loc["short", "lang"])
    assert frame.loc["tagged", "lang_input"] == "russian"  # the input's own column, kept
    assert result.summary["languages"] == {"ru": 3, "en": 2, "kk": 2, "uk": 2, "none": 1}
    assert result.settings["lang"] == "detected"

    imposed = topics.ingest(table, lang="ru")
    assert set(imposed.corpus.to_frame()["lang"]) == {"ru"}
    assert imposed.settings["lang"] == "ru"
    with pytest.raises(ConfigError, match="unknown language 'ua'"):
        topics.ingest(table, lang="ua")

    out = tmp_path / "c.parquet"
    assert main(["ingest", str(table), "-o", str(out), "--segment", "sentences"]) == 0
    assert "languages: ru 3, en 2, kk 2, uk 2, none 1" in capsys.readouterr().out
    segments = topics.Corpus.read_parquet(out).to_frame()
    assert (segments.groupby("parent_id")["lang"].nunique(dropna=False) == 1).all()


def test_a_dataset_records_the_same_languages_as_memory(tmp_path):
    import topics
    from topics.scale import CorpusDataset, Engine

    table = _mixed_table(tmp_path)
    memory = topics.ingest(table)
    with Engine(workers=1, processes=False) as engine:
        streamed = topics.ingest(table, tmp_path / "ds", dataset=True, chunk_rows=3, engine=engine)
    assert streamed.summary["languages"] == memory.summary["languages"]
    chunks = CorpusDataset.open(tmp_path / "ds")
    parts = [chunks.read(i, ["id", "lang"]) for i in range(len(chunks.chunks))]
    got = {d: lang for part in parts for d, lang in zip(part["id"], part["lang"], strict=True)}
    expected = memory.corpus.to_frame().set_index("id")["lang"]
    assert {k: (None if pd_isna(v) else v) for k, v in got.items()} == {
        k: (None if pd_isna(v) else v) for k, v in expected.items()
    }


def pd_isna(value):
    import pandas as pd

    return bool(pd.isna(value))


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_short_kazakh_and_russian_news_sentences_are_recognised(lang):
    from short_sentences import KAZAKH, RUSSIAN

    sentences = KAZAKH if lang == "kk" else RUSSIAN
    found = detect_languages(sentences)
    right = sum(code == lang for code in found) / len(sentences)
    assert right >= 0.95, [s for s, code in zip(sentences, found, strict=True) if code != lang]
