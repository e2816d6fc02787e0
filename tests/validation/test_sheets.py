"""Coding sheets, gold labels and corrected trends, on a corpus whose truth is planted.

Each document either is about sanctions or not (the truth, also its ``labels`` column). The
dictionary measure errs in planted ways: a document about sanctions says "penalties" instead of
"sanctions" with probability 0.2 (a miss: sensitivity 0.8), and one not about them mentions a
"sanction" in passing with probability 0.1 (a false hit: specificity 0.9). The share of
documents about sanctions rises from 0.1 to 0.5 across six months.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import topics
from topics.app.cli import main
from topics.errors import InputError
from topics.plots import plot_prevalence_by_group
from topics.spreadsheet import read_csv, write_csv
from topics.themes import Codebook, Theme
from topics.validation import (
    SHEET_COLUMNS,
    Validation,
    coding_sheet,
    corrected_series,
    corrected_trends,
    validate_gold,
    validate_scores,
)

BOOK = Codebook((Theme("sanctions", "Sanctions", ("sanction",)),))
PREVALENCE = [0.1, 0.1, 0.2, 0.3, 0.4, 0.5]
ABOUT = "The ministers agreed new {} against the regime and its banks."
OTHER = "Farmers in the north harvested wheat and barley this autumn{}."


def _planted(seed: int = 0, per_month: int = 300) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for month, share in enumerate(PREVALENCE):
        for i in range(per_month):
            about = rng.random() < share
            if about:
                text = ABOUT.format("penalties" if rng.random() < 0.2 else "sanctions")
            else:
                text = OTHER.format(", despite the sanction talk" if rng.random() < 0.1 else "")
            rows.append({"id": f"m{month}-{i}", "date": f"2022-{month + 1:02d}-15", "text": text,
                         "labels": "sanctions" if about else "other"})  # fmt: skip
    return pd.DataFrame(rows)


def _analysis(frame: pd.DataFrame) -> topics.ThemeAnalysis:
    corpus = topics.Corpus.from_texts(
        frame["text"], ids=list(frame["id"]), dates=list(frame["date"]),
        labels=list(frame["labels"]),
    )  # fmt: skip
    return topics.analyze_themes(corpus, BOOK, freq="month", n_boot=50)


@pytest.fixture(scope="module")
def planted() -> tuple[pd.DataFrame, topics.ThemeAnalysis]:
    frame = _planted()
    return frame, _analysis(frame)


def _truth_by_month(frame: pd.DataFrame) -> np.ndarray:
    about = frame["labels"] == "sanctions"
    return about.groupby(frame["date"]).mean().to_numpy()


def _code(sheet_path, frame: pd.DataFrame, *, flip: set[str] = frozenset(), bom: bool = True):
    """Code a sheet as a careful person would (the truth), as Excel saves it (BOM)."""
    sheet = read_csv(sheet_path, encoding="utf-8-sig", dtype={"doc_id": str})
    truth = frame.set_index("id")["labels"].eq("sanctions").astype(int)
    codes = truth.reindex(sheet["doc_id"]).to_numpy()
    sheet["code"] = [1 - c if d in flip else c for c, d in zip(codes, sheet["doc_id"], strict=True)]
    write_csv(sheet, sheet_path)
    if bom:
        sheet_path.write_bytes(b"\xef\xbb\xbf" + sheet_path.read_bytes())


def test_the_sheet_is_stratified_reproducible_and_its_design_recorded(planted, tmp_path):
    _, analysis = planted
    sheet = coding_sheet(analysis, per_theme=40, random_state=3)
    assert list(sheet.sheet.columns) == list(SHEET_COLUMNS)
    assert sheet.sheet["code"].isna().all()
    assert sheet.sheet["stratum"].value_counts().to_dict() == {"hit": 20, "miss": 20}
    hits = sheet.sheet[sheet.sheet["stratum"] == "hit"]
    assert (hits["share"] > 0).all()
    assert hits["text"].str.contains(r"\[sanction", regex=True).all()  # the term, in context
    measured = analysis.shares["share"] > 0
    strata = sheet.strata.set_index("stratum")
    assert strata.loc["hit", "N"] == measured.sum()
    assert strata.loc["miss", "N"] == (~measured).sum()
    again = coding_sheet(analysis, per_theme=40, random_state=3)
    pd.testing.assert_frame_equal(sheet.sheet, again.sheet)
    other = coding_sheet(analysis, per_theme=40, random_state=4)
    assert set(other.sheet["doc_id"]) != set(sheet.sheet["doc_id"])
    # shuffled: the strata do not come in blocks
    assert sheet.sheet["stratum"].iloc[:20].nunique() == 2

    path = tmp_path / "coding.csv"
    sheet.save(path, bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    manifest = json.loads((tmp_path / "coding.manifest.json").read_text(encoding="utf-8"))
    assert manifest["config"]["per_theme"] == 40
    assert {s["stratum"]: s["N"] for s in manifest["strata"]} == strata["N"].to_dict()


def test_cells_stay_safe_and_round_trip_through_a_spreadsheet(tmp_path):
    frame = _planted(per_month=40)
    frame.loc[0, "text"] = '=HYPERLINK("http://x") and sanctions on exports.'
    frame.loc[0, "labels"] = "sanctions"
    analysis = _analysis(frame)
    sheet = coding_sheet(analysis, per_theme=400, random_state=0)
    path = tmp_path / "coding.csv"
    sheet.save(path)
    raw = path.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in raw  # a spreadsheet shows it as text, never runs it
    _code(path, frame)
    read = read_csv(path, encoding="utf-8-sig", dtype={"doc_id": str}).set_index("doc_id")
    assert read.loc["m0-0", "full_text"].startswith("=HYPERLINK")
    result = validate_scores(path, n_boot=200)
    assert result.scores.loc[0, "n"] == len(sheet.sheet)


def test_scores_from_a_coded_sheet_cover_the_planted_errors(planted, tmp_path):
    frame, analysis = planted
    path = tmp_path / "coding.csv"
    coding_sheet(analysis, per_theme=300, random_state=1).save(path)
    _code(path, frame)
    scores = validate_scores(path, n_boot=500).scores.iloc[0]
    about = frame["labels"] == "sanctions"
    hit = analysis.shares.set_index("doc_id")["share"].reindex(frame["id"]).to_numpy() > 0
    truth = {"recall": (hit & about).sum() / about.sum(),
             "specificity": (~hit & ~about).sum() / (~about).sum(),
             "precision": (hit & about).sum() / hit.sum(), "prevalence": about.mean()}  # fmt: skip
    for name, value in truth.items():
        assert scores[f"{name}_lo"] <= value <= scores[f"{name}_hi"], (name, value, scores)
    assert 0.7 < truth["recall"] < 0.9  # the planted sensitivity, as the corpus drew it


def test_corrected_trends_recover_the_planted_prevalence(planted, tmp_path):
    frame, analysis = planted
    path = tmp_path / "coding.csv"
    coding_sheet(analysis, per_theme=300, random_state=2).save(path)
    _code(path, frame)
    corrected = corrected_trends(analysis, validate_scores(path, n_boot=1000), n_boot=1000)
    truth = _truth_by_month(frame)
    inside = (corrected["corrected_lo"] <= truth) & (truth <= corrected["corrected_hi"])
    assert inside.sum() >= 5, corrected.assign(truth=truth)
    # the measure alone is biased (false hits lift the low months, misses sink the high ones)
    assert corrected["detected"].iloc[0] > truth[0] + 0.03
    assert abs(corrected["corrected"] - truth).mean() < abs(corrected["detected"] - truth).mean()
    series = corrected_series(corrected)
    figure = plot_prevalence_by_group(series, ylabel="share of documents")
    assert figure.axes[0].get_ylabel() == "share of documents"
    assert len(series) == 2 * len(corrected)


def test_gold_labels_validate_without_hand_coding(planted, tmp_path):
    frame, analysis = planted
    result = validate_gold(analysis, "labels:sanctions=sanctions", n_boot=500)
    row = result.scores.iloc[0]
    assert row["n"] == len(frame)
    assert row["recall_lo"] < 0.8 < row["recall_hi"] + 0.02
    assert "gold labels" in result.describe()
    result.save(tmp_path / "gold.csv")
    again = Validation.load(tmp_path / "gold.csv")
    pd.testing.assert_frame_equal(again.draws.draws, result.draws.draws, check_dtype=False)
    with pytest.raises(InputError, match="occur in no 'labels'"):
        validate_gold(analysis, "labels:sanctions=Sanctions policy")
    toml = tmp_path / "gold.toml"
    toml.write_text('column = "labels"\n[themes]\nsanctions = ["sanctions"]\n', "utf-8")
    from_file = validate_gold(analysis, str(toml), n_boot=500)
    pd.testing.assert_frame_equal(from_file.scores, result.scores)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda s: s.assign(code=s["code"].astype(object).where(s.index != 3, "")),
         r"row 5 .*: no code; write 1"),
        (lambda s: s.assign(code=s["code"].astype(object).where(s.index != 0, "2")),
         r"row 2 .*: code '2' is not 0 or 1"),
        (lambda s: s.assign(theme=s["theme"].where(s.index != 1, "unicorns")),
         r"row 3: theme 'unicorns' / stratum .* is not in the sampling design"),
        (lambda s: s[s["stratum"] == "miss"], "no coded measured hits"),
    ],
)  # fmt: skip
def test_a_bad_sheet_is_one_line_naming_the_row(planted, tmp_path, edit, message):
    frame, analysis = planted
    path = tmp_path / "coding.csv"
    coding_sheet(analysis, per_theme=20, random_state=0).save(path)
    _code(path, frame, bom=False)
    write_csv(edit(read_csv(path, dtype={"doc_id": str})), path)
    with pytest.raises(InputError, match=message):
        validate_scores(path, n_boot=100)


def test_the_command_line_samples_scores_with_two_coders_and_corrects_trends(tmp_path, capsys):
    frame = _planted(per_month=120)
    source = tmp_path / "press.jsonl"
    source.write_text("\n".join(frame.apply(lambda r: json.dumps(r.to_dict()), axis=1)), "utf-8")
    corpus, themes = tmp_path / "press.parquet", tmp_path / "themes.toml"
    themes.write_text('[themes.sanctions]\nterms = ["sanction"]\n', encoding="utf-8")
    assert main(["ingest", str(source), "-o", str(corpus)]) == 0
    sheet, second = tmp_path / "coding.csv", tmp_path / "coding_b.csv"
    argv = ["validate", "sample", str(corpus), "--themes", str(themes), "--per-theme", "200"]
    assert main([*argv, "--bom", "-o", str(sheet)]) == 0
    (tmp_path / "coding_b.manifest.json").write_bytes(
        (tmp_path / "coding.manifest.json").read_bytes()
    )
    second.write_bytes(sheet.read_bytes())
    _code(sheet, frame)
    disputed = set(read_csv(second, encoding="utf-8-sig", dtype={"doc_id": str})["doc_id"][:5])
    _code(second, frame, flip=disputed)
    capsys.readouterr()
    validation = tmp_path / "validation.csv"
    argv = ["validate", "score", str(sheet), "--second", str(second), "--boot", "300"]
    assert main([*argv, "-o", str(validation)]) == 0
    out = capsys.readouterr().out
    assert "5 disagreements to resolve" in out
    pairs = read_csv(tmp_path / "validation.disagreements.csv", dtype={"doc_id": str})
    assert set(pairs["doc_id"]) == disputed

    trends = tmp_path / "trends.csv"
    argv = ["trends", str(corpus), "--themes", str(themes), "--boot", "100"]
    assert main([*argv, "--validation", str(validation), "-o", str(trends)]) == 0
    assert "corrected (Rogan-Gladen) by" in capsys.readouterr().out
    corrected = pd.read_csv(tmp_path / "trends.corrected.csv")
    assert {"detected", "corrected", "corrected_lo", "corrected_hi"} <= set(corrected.columns)
    manifest = json.loads((tmp_path / "trends.manifest.json").read_text(encoding="utf-8"))
    assert manifest["corrected"]["validation"] == str(validation)
    assert "Rogan-Gladen" in manifest["corrected"]["what"]
    assert "coding sheet coding.csv" in manifest["corrected"]["validated_against"]
