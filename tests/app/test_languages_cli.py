"""The ``lang`` column through ingest → trends → changes → figures, on a planted mixed corpus.

Russian and English press, one article of each a day for twelve weeks, both telling the day's
news; from the seventh week most days' news is about sanctions (the planted change), written
in each language's own words. The shipped codebook must find the same change in both.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from topics.app.cli import main
from topics.paths import data_dir
from topics.plots import plot_prevalence_by_group

SANCTIONS = {
    "en": "The European Union adopted new sanctions and an oil embargo against Russia.",
    "ru": "Европейский союз принял новые санкции и нефтяное эмбарго против России.",
}
QUIET = {
    "en": [
        "Kazakhstan and the European Union discussed trade and investment in Astana.",
        "The ministers opened a new railway terminal at the port of Aktau.",
        "Farmers reported a good harvest in the northern regions this autumn.",
    ],
    "ru": [
        "Казахстан и Европейский союз обсудили торговлю и инвестиции в Астане.",
        "Министры открыли новый железнодорожный терминал в порту Актау.",
        "Фермеры сообщили о хорошем урожае в северных регионах этой осенью.",
    ],
}


def _planted(path, seed: int = 0):
    rng = np.random.default_rng(seed)
    rows = []
    for day in pd.date_range("2022-01-03", periods=84, freq="D"):
        after = day >= pd.Timestamp("2022-02-14")
        about = rng.random() < (0.7 if after else 0.05)  # the day's news, told in both
        other = int(rng.integers(3))
        for lang in ("en", "ru"):
            text = SANCTIONS[lang] if about else QUIET[lang][other]
            rows.append({"id": f"{lang}-{day.date()}", "date": str(day.date()), "text": text})
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def test_trends_and_changes_by_language_find_the_planted_change_in_both(tmp_path, capsys):
    source = _planted(tmp_path / "press.jsonl")
    corpus = tmp_path / "press.parquet"
    assert main(["ingest", str(source), "-o", str(corpus)]) == 0
    assert "languages: en 84, ru 84" in capsys.readouterr().out

    trends_csv = tmp_path / "trends.csv"
    themes = str(data_dir() / "themes.toml")
    argv = ["trends", str(corpus), "--themes", themes, "--freq", "week", "--boot", "200"]
    assert main([*argv, "--by", "lang", "-o", str(trends_csv)]) == 0
    assert "groups by lang: en 84, ru 84" in capsys.readouterr().out
    trends = pd.read_csv(trends_csv)
    assert set(trends["group"]) == {"en", "ru"}
    sanctions = trends[trends["theme"] == "sanctions"].pivot(
        index="period", columns="group", values="share"
    )
    # one definition across languages: the two series are the same measure of the same news
    assert np.corrcoef(sanctions["en"], sanctions["ru"])[0, 1] > 0.9
    assert sanctions.iloc[-6:].mean().min() > 5 * sanctions.iloc[:6].mean().max()
    manifest = json.loads((tmp_path / "trends.manifest.json").read_text(encoding="utf-8"))
    assert manifest["config"]["by"] == "lang"

    changes_csv = tmp_path / "changes.csv"
    assert main(["changes", str(trends_csv), "--permutations", "199", "-o", str(changes_csv)]) == 0
    out = capsys.readouterr().out
    assert "group en (tested on its own" in out
    assert "group ru (tested on its own" in out
    changes = pd.read_csv(changes_csv)
    found = changes[(changes["theme"] == "sanctions") & (changes["kind"] == "step")]
    assert set(found["group"]) == {"en", "ru"}
    for _, row in found.iterrows():
        assert row["date"].startswith("2022-02-14"), row.to_dict()  # the planted week
    event = ["event", str(trends_csv), "--date", "2022-02-14", "-o", str(tmp_path / "e.csv")]
    assert main(event) != 0  # one series per test: the error says how to choose one
    assert "topics trends --where COLUMN=VALUE" in capsys.readouterr().err

    figure = plot_prevalence_by_group(trends, themes=["sanctions"])
    drawn = {
        tuple(np.round(np.asarray(line.get_ydata(), dtype=float), 6))
        for line in figure.axes[0].get_lines()
    }
    for lang in ("en", "ru"):  # each language's own series is drawn
        assert tuple(np.round(sanctions[lang].to_numpy(), 6)) in drawn, lang


def test_trends_by_a_column_the_corpus_lacks_names_it(tmp_path, capsys):
    source = _planted(tmp_path / "press.jsonl")
    corpus = tmp_path / "press.parquet"
    assert main(["ingest", str(source), "-o", str(corpus)]) == 0
    capsys.readouterr()
    status = main(
        ["trends", str(corpus), "--themes", str(data_dir() / "themes.toml"), "--boot", "50",
         "--by", "outlet_country", "-o", str(tmp_path / "t.csv")]
    )  # fmt: skip
    assert status != 0
    assert "no column 'outlet_country'" in capsys.readouterr().err


def test_where_keeps_one_language_and_agrees_with_its_group(tmp_path, capsys):
    source = _planted(tmp_path / "press.jsonl")
    corpus = tmp_path / "press.parquet"
    assert main(["ingest", str(source), "-o", str(corpus)]) == 0
    themes = str(data_dir() / "themes.toml")
    argv = ["trends", str(corpus), "--themes", themes, "--freq", "week", "--boot", "200"]
    assert main([*argv, "--by", "lang", "-o", str(tmp_path / "by.csv")]) == 0
    assert main([*argv, "--where", "lang=ru", "-o", str(tmp_path / "ru.csv")]) == 0
    assert "analysing 84 documents where lang=ru" in capsys.readouterr().out
    grouped = pd.read_csv(tmp_path / "by.csv")
    russian = grouped[grouped["group"] == "ru"].drop(columns="group").reset_index(drop=True)
    alone = pd.read_csv(tmp_path / "ru.csv")
    pd.testing.assert_series_equal(alone["share"], russian["share"])
    assert main([*argv, "--where", "lang=de", "-o", str(tmp_path / "de.csv")]) != 0
    assert "no document has lang = de; its values: en (84), ru (84)" in capsys.readouterr().err


def test_a_report_can_keep_one_language(tmp_path):
    from topics.app.report import ReportConfig, run_report

    source = _planted(tmp_path / "press.jsonl")
    toml = tmp_path / "report.toml"
    toml.write_text(
        f'[corpus]\npath = "{source.name}"\nwhere = {{ lang = "ru" }}\n'
        f'[themes]\ncodebook = "{data_dir() / "themes.toml"}"\nheadline = ["sanctions"]\n'
        '[periods]\nfreq = "week"\n[trends]\nn_boot = 100\n[output]\nfolder = "out"\n',
        encoding="utf-8",
    )
    run_report(ReportConfig.from_toml(toml))
    shares = pd.read_parquet(tmp_path / "out" / "corpus.parquet")
    assert set(shares["lang"]) == {"ru"}
    assert len(shares) == 84
