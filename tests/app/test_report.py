"""`topics report CONFIG.toml`: tables, figures and a manifest from a config, byte-stable."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from topics import ConfigError
from topics.app.cli import main
from topics.app.report import ReportConfig
from topics.manifest import file_sha256
from topics.paths import data_dir


def _config(tmp_path, seeds_dir, folder="out", extra=""):
    text = f"""
[corpus]
path = "{seeds_dir.as_posix()}"
segment = "paragraphs"

[themes]
codebook = "{(data_dir() / "themes.toml").as_posix()}"
headline = ["sanctions", "connectivity"]

[periods]
freq = "quarter"

[trends]
n_boot = 200
n_perm = 99

[topics]
family = "nmf"
n_topics = 3

[output]
folder = "{folder}"
seed = 1
{extra}"""
    path = tmp_path / f"{folder}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_report_writes_tables_figures_and_manifest(tmp_path, seeds_dir, capsys):
    assert main(["report", str(_config(tmp_path, seeds_dir))]) == 0
    out = tmp_path / "out"
    manifest = json.loads((out / "manifest.json").read_text())
    names = {f["path"] for f in manifest["files"]}
    assert {"trends.csv", "changes.csv", "passages.csv", "prevalence.svg", "top_terms.png"} <= names
    for entry in manifest["files"]:
        assert file_sha256(out / entry["path"]) == entry["sha256"]
    assert manifest["random_state"] == 1
    assert manifest["config"]["output"] == "out"  # recorded relative to the config file
    trends = pd.read_csv(out / "trends.csv")
    assert trends["period"].iloc[0] == "2021Q4"
    assert trends.groupby("period")["n_docs"].first().sum() == manifest["ingest"]["units"]
    passages = pd.read_csv(out / "passages.csv")
    assert set(passages["theme"]) <= {"sanctions", "connectivity"}
    assert "files written" in capsys.readouterr().out


def test_report_is_byte_identical_on_rerun(tmp_path, seeds_dir):
    config = str(_config(tmp_path, seeds_dir, "a"))
    main(["report", config])
    first = json.loads((tmp_path / "a" / "manifest.json").read_text())["files"]
    main(["report", config])  # the same folder again: every file, figure manifests included
    assert json.loads((tmp_path / "a" / "manifest.json").read_text())["files"] == first
    main(["report", str(_config(tmp_path, seeds_dir, "b"))])
    second = json.loads((tmp_path / "b" / "manifest.json").read_text())["files"]
    # elsewhere, only the figures' manifests differ: they record the output folder's name
    assert [f for f in first if not f["path"].endswith(".manifest.json")] == [
        f for f in second if not f["path"].endswith(".manifest.json")
    ]
    folder = tmp_path / "a"
    written = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert {f["path"] for f in first} == written - {"manifest.json"}
    assert "model/model.npz" in written  # the report's topic model, saved whole


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("[extra]\nx = 1\n", "unknown section"),
        ("", None),
    ],
)
def test_config_errors_name_the_field(tmp_path, seeds_dir, extra, message):
    path = _config(tmp_path, seeds_dir, extra=extra)
    if message is None:
        assert ReportConfig.from_toml(path).n_topics == 3
        bad = path.read_text().replace('freq = "quarter"', 'freq = "decade"')
        path.write_text(bad)
        with pytest.raises(ConfigError, match=r"periods\.freq must be one of 'week'"):
            ReportConfig.from_toml(path)
        bad = bad.replace('freq = "decade"', 'freq = "quarter"').replace(
            "n_boot = 200", 'n_boot = "many"'
        )
        path.write_text(bad)
        with pytest.raises(ConfigError, match=r"trends\.n_boot must be int, got 'many'"):
            ReportConfig.from_toml(path)
    else:
        with pytest.raises(ConfigError, match=message):
            ReportConfig.from_toml(path)


def test_unknown_headline_theme_is_named(tmp_path, seeds_dir, capsys):
    path = _config(tmp_path, seeds_dir)
    path.write_text(path.read_text().replace('"connectivity"]', '"corridors"]'))
    assert main(["report", str(path)]) != 0
    assert "themes.headline names ['corridors']" in capsys.readouterr().err


def test_old_topics_names_still_read_with_a_deprecation_warning(tmp_path, seeds_dir):
    text = _config(tmp_path, seeds_dir).read_text(encoding="utf-8")
    old = text.replace('family = "nmf"\nn_topics = 3', 'model = "nmf"\nk = 3')
    assert old != text
    (tmp_path / "old.toml").write_text(old, encoding="utf-8")
    with pytest.warns(DeprecationWarning, match=r"topics\.k is now called topics\.n_topics"):
        config = ReportConfig.from_toml(tmp_path / "old.toml")
    assert (config.family, config.n_topics) == ("nmf", 3)
    both = text.replace("n_topics = 3", "n_topics = 3\nk = 3")
    (tmp_path / "both.toml").write_text(both, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"give topics\.n_topics only, not also topics\.k"):
        ReportConfig.from_toml(tmp_path / "both.toml")
