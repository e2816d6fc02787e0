"""The package's architecture as promised: light import, one pipeline, plug-ins, one registry."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
from planted import PLANTED_THEMES as THEMES
from planted import planted_theme_corpus

import topics
from topics import ConfigError
from topics.app.cli import main
from topics.paths import data_dir


def test_import_topics_is_light():
    code = (
        "import sys, topics\n"
        "heavy = [m for m in ('sklearn', 'gensim', 'pandas', 'scipy', 'matplotlib') "
        "if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "from topics.app.cli import build_parser; build_parser()\n"
        "assert 'sklearn' not in sys.modules and 'pandas' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_public_name_loads_lazily():
    for name in topics.__all__:
        assert getattr(topics, name) is not None, name
    assert topics.vectorize is topics.text.vectorize  # a function, found through the package
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        topics.nonsense  # noqa: B018


def test_no_module_is_shadowed_by_a_name_of_its_package():
    """`import topics.a.b as m` must give the module b, never a function called b."""
    for info in pkgutil.walk_packages(topics.__path__, "topics."):
        if info.name.endswith("__main__"):
            continue  # running it would run the command line
        module = importlib.import_module(info.name)
        parent = sys.modules[info.name.rsplit(".", 1)[0]]
        attribute = getattr(parent, info.name.rsplit(".", 1)[1], module)
        assert attribute is module, f"{info.name} is shadowed by {attribute!r}"


@dataclass(frozen=True)
class _Share:
    """A toy measure from outside the package: a theme's share is its name's length, constant."""

    scale: float = 1.0

    def measure(self, corpus, compiled, *, tokens, random_state):
        from topics.themes import MeasureResult
        from topics.tidy import long_frame

        values = np.tile([len(n) / 100 * self.scale for n in compiled.names], (len(corpus), 1))
        lengths = [len(t) for t in tokens]
        frame = long_frame(values, corpus.ids, compiled.names, per_row={"weight": lengths})
        return MeasureResult(frame, {"toy": True})


def test_a_measure_registered_from_outside_works_everywhere(tmp_path, seeds_dir, capsys):
    topics.MEASURES.add("toy_length", _Share)
    corpus, _ = planted_theme_corpus(months=6, docs_per_month=5)
    analysis = topics.analyze_themes(
        corpus, THEMES, measure="toy_length", measure_options={"scale": 2.0}, n_boot=20, n_perm=19
    )
    shares = analysis.trends.groupby("theme")["share"].first()
    assert shares["sanctions"] == pytest.approx(len("sanctions") / 50)
    assert analysis.config["toy"] is True
    assert analysis.settings.measure == "toy_length"
    with pytest.raises(ConfigError, match=r"unknown settings \['size'\]"):
        topics.analyze_themes(corpus, THEMES, measure="toy_length", measure_options={"size": 3})
    parquet = tmp_path / "c.parquet"
    corpus.to_parquet(parquet)
    themes = tmp_path / "t.toml"
    themes.write_text(
        "".join(f"[themes.{t.name}]\nterms = {list(t.terms)!r}\n" for t in THEMES.themes).replace(
            "'", '"'
        )
    )
    out = tmp_path / "trends.csv"
    args = ["trends", str(parquet), "--themes", str(themes), "--measure", "toy_length",
            "--freq", "month", "--boot", "20", "-o", str(out)]  # fmt: skip
    assert main(args) == 0
    assert pd.read_csv(out)["share"].dropna().round(4).isin([0.09, 0.08, 0.06]).all()
    assert main([*args[:-2], "--n-topics", "3", "-o", str(out)]) == 2
    assert "--n-topics does not apply" in capsys.readouterr().err


def test_a_model_family_registered_from_outside_is_found_by_name():
    from topics.evaluation import ModelSpec
    from topics.models import MODELS, NMF, register_model

    @register_model("nmf_counts")
    class CountNMF(NMF):
        """NMF on raw counts, as a family of its own."""

        def __init__(self, n_topics=10, *, random_state=0, **params):
            super().__init__(n_topics, random_state=random_state, weighting="counts", **params)

    assert MODELS.get("nmf_counts") is CountNMF
    model = ModelSpec("nmf_counts").build(3, 0)
    assert isinstance(model, CountNMF)
    assert model.family == "nmf_counts"
    with pytest.raises(ConfigError, match="unknown model family 'nope'; known: cooc, dmm, lda"):
        MODELS.get("nope")


@pytest.mark.parametrize("family", ["lda", "nmf"])
def test_seeded_models_keep_theme_names_and_seed_mass_through_save_and_load(tmp_path, family):
    from topics.themes import seeded_model

    corpus, _ = planted_theme_corpus(months=6, docs_per_month=15)
    compiled = THEMES.compile()
    matrix = compiled.vectorizer(min_df=1).fit_transform(corpus)
    model = seeded_model(matrix, compiled, n_free=2, family=family, random_state=0, max_iter=60)
    model.save(tmp_path / "m")
    loaded = topics.load_model(tmp_path / "m")
    assert loaded.topic_names_ == model.topic_names_ == [*THEMES.names, "free_0", "free_1"]
    assert loaded.seed_mass_ == model.seed_mass_
    assert set(loaded.seed_mass_) == set(THEMES.names)
    np.testing.assert_allclose(loaded.transform(matrix), model.transform(matrix))


def _report_toml(tmp_path, seeds_dir, measure: str, options: str) -> str:
    path = tmp_path / f"report_{measure}.toml"
    path.write_text(
        f'[corpus]\npath = "{seeds_dir}"\nsegment = "paragraphs"\ndedupe = false\nmin_chars = 1\n'
        f'[themes]\ncodebook = "{data_dir() / "themes.toml"}"\nmeasure = "{measure}"\n{options}'
        '[periods]\nfreq = "quarter"\n[trends]\nn_boot = 60\nn_perm = 99\n'
        f'[output]\nfolder = "{tmp_path / ("report_" + measure)}"\nseed = 0\n'
    )
    return str(path)


@pytest.mark.parametrize(("measure", "size"), [("dictionary", None), ("seeded", 3), ("mapped", 4)])
def test_cli_report_and_library_give_identical_trends(tmp_path, seeds_dir, measure, size):
    """One pipeline behind every front door: the same inputs give the same numbers."""
    corpus_path = tmp_path / "c.parquet"
    assert main(["ingest", str(seeds_dir), "-o", str(corpus_path), "--segment", "paragraphs"]) == 0
    corpus = topics.Corpus.read_parquet(corpus_path)
    codebook = topics.Codebook.from_toml(data_dir() / "themes.toml")
    key = {"seeded": "n_free", "mapped": "n_topics"}.get(measure)
    options = {key: size} if key else {}
    library = topics.analyze_themes(
        corpus, codebook, measure=measure, measure_options=options, freq="quarter", n_boot=60
    ).trends.assign(period=lambda f: f["period"].astype(str))
    csv = tmp_path / "trends.csv"
    args = ["trends", str(corpus_path), "--themes", str(data_dir() / "themes.toml"),
            "--measure", measure, "--freq", "quarter", "--boot", "60", "-o", str(csv)]  # fmt: skip
    assert main(args + (["--n-topics", str(size)] if size else [])) == 0
    toml = _report_toml(tmp_path, seeds_dir, measure, f"{key} = {size}\n" if key else "")
    assert main(["report", toml]) == 0
    reported = pd.read_csv(tmp_path / f"report_{measure}" / "trends.csv")
    command = pd.read_csv(csv)
    columns = ["period", "theme", "share", "lo", "hi", "n_docs"]
    expected = library[columns].reset_index(drop=True)
    pd.testing.assert_frame_equal(command[columns], expected, check_dtype=False)
    pd.testing.assert_frame_equal(reported[columns], expected, check_dtype=False)


def _shipped_defaults() -> dict[str, dict[str, object]]:
    """What each setting of the shipped report.toml would be if the file did not state it."""
    import dataclasses

    from topics.app.report import CorpusSettings, ReportConfig

    def of(cls: type) -> dict[str, object]:
        return {f.name: f.default for f in dataclasses.fields(cls)
                if f.default is not dataclasses.MISSING}  # fmt: skip

    analysis = of(topics.ThemeSettings)
    topic = {"family": None, "n_topics": of(ReportConfig)["n_topics"]}
    return {"corpus": of(CorpusSettings), "themes": {"measure": analysis["measure"]},
            "periods": analysis, "trends": analysis, "topics": topic,
            "output": {"seed": analysis["random_state"]}}  # fmt: skip


def test_shipped_report_toml_marks_every_setting_that_differs_from_the_defaults():
    import tomllib

    text = (data_dir() / "report.toml").read_text(encoding="utf-8")
    values = tomllib.loads(text)
    known = _shipped_defaults()
    marked = {line.split("=")[0].strip() for line in text.splitlines()
              if "≠ default" in line and not line.lstrip().startswith("#")}  # fmt: skip
    differing = set()
    for section, table in values.items():
        for key, value in table.items() if isinstance(table, dict) else []:
            if key in known.get(section, {}) and known[section][key] != value:
                differing.add(key)
    assert differing == marked, "mark each setting that differs with '≠ default (…)'"
    assert {"segment", "dedupe", "min_chars"} <= differing  # the reading choices are stated


def test_shipped_report_equals_ingest_and_trends_with_its_stated_settings(
    tmp_path, seeds_dir, capsys
):
    """`topics report data/report.toml` pointed at a corpus = `topics ingest` + `topics trends`
    with the settings the TOML marks as differing; the report prints the change summary."""
    import tomllib

    shipped = tomllib.loads((data_dir() / "report.toml").read_text(encoding="utf-8"))
    text = (data_dir() / "report.toml").read_text(encoding="utf-8")
    text = text.replace('path = "seeds"', f'path = "{seeds_dir.as_posix()}"')
    text = text.replace(
        'codebook = "themes.toml"', f'codebook = "{(data_dir() / "themes.toml").as_posix()}"'
    )
    text = text.replace(
        'folder = "../build/report"', f'folder = "{(tmp_path / "report").as_posix()}"'
    )
    config = tmp_path / "report.toml"
    config.write_text(text, encoding="utf-8")
    assert main(["report", str(config)]) == 0
    printed = capsys.readouterr().out
    assert "not testable here" in printed or "no change at family-wise level" in printed
    corpus = tmp_path / "c.parquet"
    reading = shipped["corpus"]
    assert main(["ingest", str(seeds_dir), "-o", str(corpus), "--segment", reading["segment"],
                 "--min-chars", str(reading["min_chars"]),
                 *(["--dedupe"] if reading["dedupe"] else [])]) == 0  # fmt: skip
    csv = tmp_path / "trends.csv"
    assert main(["trends", str(corpus), "--themes", str(data_dir() / "themes.toml"),
                 "--freq", shipped["periods"]["freq"], "--boot", str(shipped["trends"]["n_boot"]),
                 "-o", str(csv)]) == 0  # fmt: skip
    reported = pd.read_csv(tmp_path / "report" / "trends.csv")
    pd.testing.assert_frame_equal(reported, pd.read_csv(csv))


def test_theme_analysis_saves_and_loads_whole(tmp_path):
    corpus, _ = planted_theme_corpus(months=8, docs_per_month=6)
    analysis = topics.analyze_themes(corpus, THEMES, freq="month", n_boot=40, n_perm=99)
    written = analysis.save(tmp_path / "a")
    assert {p.name for p in written} >= {"trends.csv", "changes.csv", "analysis.json"}
    loaded = topics.ThemeAnalysis.load(tmp_path / "a")
    assert loaded.settings == analysis.settings
    assert loaded.codebook == analysis.codebook
    pd.testing.assert_frame_equal(loaded.trends, analysis.trends, check_dtype=False)
    pd.testing.assert_frame_equal(loaded.changes, analysis.changes, check_dtype=False)
    assert loaded.trends["period"].dtype == analysis.trends["period"].dtype
    with pytest.raises(topics.PersistenceError, match=r"analysis\.json"):
        topics.ThemeAnalysis.load(tmp_path)


def test_settings_come_from_literal_types_and_name_the_field():
    from topics.themes import ThemeSettings

    with pytest.raises(ConfigError, match="x: freq must be one of 'week', 'month'"):
        ThemeSettings.from_mapping({"freq": "fortnight"}, "x")
    with pytest.raises(ConfigError, match="x: unknown setting 'frequency'"):
        ThemeSettings.from_mapping({"frequency": "week"}, "x")
    with pytest.raises(ConfigError, match=r"periods\.freq must be"):
        ThemeSettings.from_mapping({"freq": 3}, "x", {"freq": "periods.freq"})
    with pytest.raises(ConfigError, match=r"x: alpha must be in \(0, 1\), got 1"):
        ThemeSettings.from_mapping({"alpha": 1}, "x")
