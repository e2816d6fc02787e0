from __future__ import annotations

import json

import pytest

from topics import Corpus
from topics.app.cli import main
from topics.trends import CHANGE_COLUMNS


def test_every_help_exits_cleanly(capsys):
    from topics.app.cli import build_parser

    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for argv in (["--help"], *([name, "--help"] for name in commands)):
        with pytest.raises(SystemExit) as exit_info:
            main(list(argv))
        assert exit_info.value.code == 0, argv
    printed = capsys.readouterr().out
    assert "Westfall-Young" in printed  # `topics changes --help` states the correction
    assert "Monday" in printed  # and `topics trends --help` the week rule


def test_ingest_command_writes_corpus_manifest_and_report(tmp_path, seeds_dir, capsys):
    out = tmp_path / "seeds.parquet"
    report = tmp_path / "report.csv"
    status = main(
        ["ingest", str(seeds_dir), "-o", str(out), "--segment", "paragraphs", "--dedupe",
         "--report", str(report)]
    )  # fmt: skip
    assert status == 0
    captured = capsys.readouterr()
    printed = captured.out
    assert "warning" not in captured.err  # e.g. the output watcher, reaped once it is done
    assert "inputs: 5" in printed
    assert "kept" in printed
    assert "2022" in printed  # documents per year
    assert "month 1" in printed  # precision mix
    corpus = Corpus.read_parquet(out)
    assert "parent_id" in corpus.columns
    manifest = json.loads((tmp_path / "seeds.manifest.json").read_text())
    assert manifest["kind"] == "corpus"
    assert manifest["counts"]["kept"] == 5
    assert len(manifest["inputs"]) == 5
    assert all(len(item["sha256"]) == 64 for item in manifest["inputs"])
    assert manifest["config"]["segment"] == "paragraphs"
    assert manifest["data_fingerprint"] == corpus.fingerprint()
    assert "numpy" in manifest["versions"]
    assert report.read_text().count("\n") == 6


def test_manifest_is_byte_identical_on_rerun(tmp_path, seeds_dir):
    for name in ("a", "b"):
        assert main(["ingest", str(seeds_dir), "-o", str(tmp_path / name / "c.parquet")]) == 0
    first = (tmp_path / "a" / "c.manifest.json").read_bytes()
    assert first == (tmp_path / "b" / "c.manifest.json").read_bytes()
    assert (tmp_path / "a" / "c.parquet").read_bytes() == (
        tmp_path / "b" / "c.parquet"
    ).read_bytes()


def test_errors_are_one_line_with_status_2(tmp_path, capsys):
    status = main(["ingest", str(tmp_path / "missing"), "-o", str(tmp_path / "x.parquet")])
    assert status == 2
    err = capsys.readouterr().err
    assert err.startswith("error: input path does not exist")
    assert "Traceback" not in err


def test_help_lists_options(capsys):
    with pytest.raises(SystemExit):
        main(["ingest", "--help"])
    text = capsys.readouterr().out
    for option in ("--text-col", "--date-col", "--id-col", "--segment", "--dedupe", "--threshold"):
        assert option in text


@pytest.mark.parametrize(("model", "backend"), [("lda", "gensim"), ("nmf", "cd")])
def test_fit_command_writes_model_terms_and_doc_topics(tmp_path, seeds_dir, model, backend, capsys):
    import pandas as pd

    from topics.models import load_model
    from topics.text.vectorizer import Vectorizer

    corpus = tmp_path / "c.parquet"
    assert main(["ingest", str(seeds_dir), "-o", str(corpus), "--segment", "paragraphs"]) == 0
    out = tmp_path / "model"
    args = [
        "fit",
        str(corpus),
        "--model",
        model,
        "--n-topics",
        "3",
        "--backend",
        backend,
        "-o",
        str(out),
    ]
    assert main([*args, "--seed", "1"]) == 0
    printed = capsys.readouterr().out
    info = pd.read_csv(out / "topic_info.csv")
    assert info["label"].str.match(r"\d: \w").all()  # labelled from the top words
    assert all(label in printed for label in info["label"])
    assert info["size"].sum() == len(pd.read_parquet(out / "doc_topics.parquet")["doc_id"].unique())
    top = pd.read_csv(out / "top_terms.csv")
    assert list(top.columns) == ["topic", "rank", "term", "weight"]
    assert sorted(top["topic"].unique()) == [0, 1, 2]
    shares = pd.read_parquet(out / "doc_topics.parquet")
    assert list(shares.columns) == ["doc_id", "topic", "share"]
    assert shares.groupby("doc_id")["share"].sum().round(9).eq(1).all()
    fitted = load_model(out)
    vectorizer = Vectorizer.load(out / "vectorizer.json")
    theta = fitted.transform(vectorizer.transform(["EU sanctions and transport corridors."]))
    assert theta.shape == (1, 3)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["random_state"] == 1
    assert manifest["config"]["n_topics"] == 3


@pytest.mark.parametrize("model", ["cooc", "dmm"])
def test_fit_command_runs_the_short_text_models(tmp_path, seeds_dir, model):
    import pandas as pd

    from topics.models import load_model

    corpus = tmp_path / "c.parquet"
    assert main(["ingest", str(seeds_dir), "-o", str(corpus), "--segment", "paragraphs"]) == 0
    out = tmp_path / model
    assert (
        main(["fit", str(corpus), "--model", model, "--n-topics", "3", "-o", str(out), "--quiet"])
        == 0
    )
    assert type(load_model(out)).__name__ == {"cooc": "CoocNMF", "dmm": "DMM"}[model]
    shares = pd.read_parquet(out / "doc_topics.parquet")
    assert shares.groupby("doc_id")["share"].sum().round(9).eq(1).all()
    assert sorted(pd.read_csv(out / "top_terms.csv")["topic"].unique()) == [0, 1, 2]


def test_the_old_k_spelling_still_works_and_says_it_is_deprecated(tmp_path, seeds_dir, capsys):
    corpus = tmp_path / "c.parquet"
    assert main(["ingest", str(seeds_dir), "-o", str(corpus), "--segment", "paragraphs"]) == 0
    args = ["fit", str(corpus), "--model", "nmf", "--min-df", "1", "--quiet"]
    assert main([*args, "--k", "2", "-o", str(tmp_path / "old")]) == 0
    assert "warning: --k is deprecated; use --n-topics" in capsys.readouterr().err
    assert main([*args, "--n-topics", "2", "-o", str(tmp_path / "new")]) == 0
    assert "deprecated" not in capsys.readouterr().err
    for name in ("old", "new"):
        manifest = json.loads((tmp_path / name / "manifest.json").read_text())
        assert manifest["config"]["n_topics"] == 2
        assert "k" not in manifest["config"]


def test_sweep_command(tmp_path, seeds_dir, capsys):
    import pandas as pd

    corpus = tmp_path / "c.parquet"
    assert main(["ingest", str(seeds_dir), "-o", str(corpus), "--segment", "paragraphs"]) == 0
    out = tmp_path / "sweep.csv"
    assert (
        main(["sweep", str(corpus), "--n-topics", "2:4:1", "--seeds", "0,1", "-o", str(out)]) == 0
    )
    printed = capsys.readouterr().out
    assert "recommended K:" in printed
    runs = pd.read_csv(out)
    assert sorted(runs["n_topics"].unique()) == [2, 3, 4]
    assert runs["npmi"].between(-1, 1).all()
    summary = pd.read_csv(tmp_path / "sweep_summary.csv")
    assert len(summary) == 3
    manifest = json.loads((tmp_path / "sweep.manifest.json").read_text())
    assert manifest["recommended_k"] in (2, 3, 4)
    assert main(["sweep", str(corpus), "--n-topics", "x", "-o", str(out)]) == 2


@pytest.mark.parametrize("method", ["dictionary", "mapped", "seeded"])
def test_trends_and_changes_commands(tmp_path, seeds_dir, method, capsys):
    import pandas as pd

    from topics.paths import data_dir

    corpus = tmp_path / "c.parquet"
    assert main(["ingest", str(seeds_dir), "-o", str(corpus), "--segment", "paragraphs"]) == 0
    trends = tmp_path / "trends.csv"
    size = [] if method == "dictionary" else ["--n-topics", "2"]
    args = ["trends", str(corpus), "--themes", str(data_dir() / "themes.toml"), "--freq", "quarter",
            "--measure", method, *size, "--boot", "100", "-o", str(trends)]  # fmt: skip
    capsys.readouterr()
    assert main(args) == 0
    said = capsys.readouterr().out.splitlines()[-1]  # the final names, never a staged one
    units, shares = tmp_path / "trends.units.npz", tmp_path / "trends.shares.parquet"
    assert said == f"wrote {trends}, {units} and {shares}"
    frame = pd.read_csv(trends)
    assert list(frame.columns[:6]) == ["period", "theme", "share", "lo", "hi", "n_docs"]
    filled = frame[~frame["empty"]]
    assert (filled["lo"] <= filled["share"] + 1e-12).all()
    assert (filled["share"] <= filled["hi"] + 1e-12).all()
    # every quarter from the first to the last; the two without an article are gaps
    assert frame["period"].unique().tolist() == [
        "2021Q4", "2022Q1", "2022Q2", "2022Q3", "2022Q4", "2023Q1", "2023Q2"
    ]  # fmt: skip
    assert set(frame.loc[frame["empty"], "period"]) == {"2022Q2", "2022Q3"}
    assert frame.loc[frame["empty"], "share"].isna().all()
    # one article per quarter: its paragraphs are one unit, not independent evidence
    assert set(filled["n_units"]) == {1}
    changes = tmp_path / "changes.csv"
    assert main(["changes", str(trends), "-o", str(changes), "--permutations", "99"]) == 0
    printed = capsys.readouterr().out
    assert "not testable here" in printed
    assert "Westfall–Young" in printed
    assert list(pd.read_csv(changes).columns) == list(CHANGE_COLUMNS)
    manifest = json.loads((tmp_path / "changes.manifest.json").read_text())
    assert manifest["test"]["settings"]["correction"] == "fwer"
    # five articles in all, fewer than min_size = 10 units: no period can start a segment
    assert manifest["test"]["untestable"] == ["2022Q1", "2022Q4", "2023Q1", "2023Q2"]
    # without the document-level shares, the unit table `topics trends` wrote gives the same test
    first = changes.read_bytes()
    (tmp_path / "trends.shares.parquet").unlink()
    assert main(["changes", str(trends), "-o", str(changes), "--permutations", "99"]) == 0
    assert changes.read_bytes() == first
    (tmp_path / "trends.units.npz").unlink()
    capsys.readouterr()
    assert main(["changes", str(trends), "-o", str(changes)]) == 2
    assert "document-level shares" in capsys.readouterr().err


def test_settings_are_checked_once_and_named_as_typed(tmp_path, capsys):
    """The change test's settings are checked by ChangeSettings/ThemeSettings, not by the CLI
    beside them, and errors name the option the user typed (not the field behind it)."""
    trends = tmp_path / "t.csv"
    for argv, message in [
        (["changes", str(trends), "--alpha", "1.5"], "options: --alpha must be in (0, 1)"),
        (["changes", str(trends), "--max-changes", "0"], "--max-changes must be at least 1"),
        (["trends", str(trends), "--themes", "x.toml", "--boot", "0"], "--boot must be at least"),
        (["trends", str(trends), "--themes", "x.toml", "--freq", "month", "--min-docs", "-1"],
         "--min-docs must be at least 0"),
    ]:  # fmt: skip
        assert main([*argv, "-o", str(tmp_path / "out.csv")]) == 2
        err = capsys.readouterr().err
        assert message in err, err
        assert "n_boot" not in err
        assert "random_state" not in err
    assert not (tmp_path / "out.csv").exists()


OLD = {"transit", "railway", "customs", "border", "logistics"}
NEW = {"corridor", "gateway", "caspian", "ferry", "port"}


def _swap_corpus(path):
    """Planted: "connectivity" documents say transit/railway until 2022, corridor/gateway after."""
    import numpy as np

    rng = np.random.default_rng(0)
    health = ["vaccine", "hospital", "pandemic", "doctor", "clinic", "nurse", "patient"]
    sanctions = ["sanctions", "export", "asset", "freeze", "embargo", "penalty", "ban"]
    texts, dates = [], []
    for year in range(2019, 2025):
        connect = [*sorted(OLD if year < 2022 else NEW), "connectivity", "transport"]
        for words in (connect, health, sanctions):
            for _ in range(15):
                texts.append(" ".join(rng.choice(words, size=30)))
                dates.append(f"{year}-06-01")
    Corpus.from_texts(texts, dates=dates).to_parquet(path)


def test_dynamic_command_finds_the_planted_swap(tmp_path, capsys):
    import pandas as pd

    corpus = tmp_path / "swap.parquet"
    _swap_corpus(corpus)
    out = tmp_path / "words.csv"
    base = [
        "dynamic",
        str(corpus),
        "--n-topics",
        "3",
        "--top",
        "5",
        "--min-df",
        "1",
        "-o",
        str(out),
    ]
    for extra in (["--model", "lda"], ["--model", "nmf"], ["--method", "dnmf", "--window-k", "3"]):
        assert main([*base, *extra]) == 0, extra
        words = pd.read_csv(out, dtype={"period": str})
        assert list(words.columns) == ["topic", "period", "rank", "term", "weight"]
        corridor = words[words["term"] == "corridor"]["topic"].mode()[0]
        mine = words[words["topic"] == corridor]
        for year in range(2019, 2025):
            terms = set(mine[mine["period"] == str(year)]["term"])
            before, after = len(terms & OLD), len(terms & NEW)
            assert (before >= 2 and after == 0) if year < 2022 else (after >= 2 and before == 0), (
                extra,
                year,
                terms,
            )
    printed = capsys.readouterr().out
    assert "→" in printed
    assert "turnover" in printed
    manifest = json.loads((tmp_path / "words.manifest.json").read_text())
    assert manifest["config"]["method"] == "dnmf"
    # one theme's words per period, and 2-year bins
    codebook = tmp_path / "themes.toml"
    codebook.write_text('[themes.connectivity]\nterms = ["connectivity"]\n')
    args = [*base, "--method", "themes", "--themes", str(codebook), "--years", "2"]
    assert main(args) == 0
    words = pd.read_csv(out)
    assert set(words["topic"]) == {"connectivity"}
    assert "[30 docs]" in capsys.readouterr().out  # 15 connectivity documents a year, 2-year bins
    assert set(words["period"]) == {"2019–2020", "2021–2022", "2023–2024"}
    late = set(words[words["period"] == "2023–2024"]["term"])
    assert "corridor" in late
    assert "transit" not in late
    assert main([*base, "--method", "themes"]) == 2
    assert "--method themes needs --themes" in capsys.readouterr().err


def test_fit_default_picks_the_family_by_document_length(tmp_path, seeds_dir, capsys):
    """`--model auto` (the default): CoocNMF for titles, NMF for articles; said and recorded."""
    import json

    import numpy as np
    import pandas as pd

    from topics.models import choose_family, load_model

    rng = np.random.default_rng(3)
    topics_words = [["sanctions", "embargo", "assets", "frozen", "exports", "banks"],
                    ["corridor", "railway", "caspian", "ports", "freight", "transit"]]  # fmt: skip
    titles = [" ".join(rng.choice(topics_words[i % 2], 5)) for i in range(120)]
    table = tmp_path / "titles.csv"
    pd.DataFrame({"id": range(120), "text": titles, "date": "2022-03-01"}).to_csv(table)
    short, long = tmp_path / "short.parquet", tmp_path / "long.parquet"
    assert main(["ingest", str(table), "-o", str(short)]) == 0
    assert main(["ingest", str(seeds_dir), "-o", str(long)]) == 0
    capsys.readouterr()
    picked = {}
    for name, corpus in (("short", short), ("long", long)):
        out = tmp_path / f"m-{name}"
        assert main(["fit", str(corpus), "--n-topics", "2", "--min-df", "1", "-o", str(out),
                     "--quiet"]) == 0  # fmt: skip
        said = capsys.readouterr().out
        manifest = json.loads((out / "manifest.json").read_text())
        choice = manifest["model_choice"]
        assert choice["requested"] == "auto"
        assert f"model: {choice['family']} (" in said
        assert manifest["config"]["family"] == choice["family"]
        picked[name] = (choice["family"], type(load_model(out)).__name__, choice["mean_tokens"])
    assert picked["short"][:2] == ("cooc", "CoocNMF")
    assert picked["short"][2] < 10
    assert picked["long"][:2] == ("nmf", "NMF")
    assert picked["long"][2] >= 10
    out = tmp_path / "m-backend"  # a backend names its family, as before auto was the default
    assert main(["fit", str(short), "--n-topics", "2", "--min-df", "1", "--backend", "sklearn",
                 "-o", str(out), "--quiet"]) == 0  # fmt: skip
    assert "model: lda (--backend sklearn names an LDA backend" in capsys.readouterr().out
    assert type(load_model(out)).__name__ == "LDA"
    import scipy.sparse as sp

    nine, ten = sp.csr_matrix(np.full((4, 3), 3.0)), sp.csr_matrix(np.full((4, 2), 5.0))
    assert choose_family(nine).family == "cooc"  # 9 tokens a document
    assert choose_family(ten).family == "nmf"  # 10 tokens a document


def test_more_than_twenty_problems_point_to_a_report_that_exists(tmp_path, capsys):
    rows = [{"id": f"e{i}", "date": "2022-01-01", "text": ""} for i in range(25)]
    rows.append({"id": "ok", "date": "2022-01-02", "text": "Sanctions were discussed."})
    source = tmp_path / "rows.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    assert main(["ingest", str(source), "-o", str(tmp_path / "c.parquet")]) == 0
    out = capsys.readouterr().out
    assert "… and 5 more (--report FILE.csv (report= in Python) writes them all)" in out
    assert "see the report CSV" not in out
    report = tmp_path / "report.csv"
    argv = ["ingest", str(source), "-o", str(tmp_path / "d.parquet"), "--report", str(report)]
    assert main(argv) == 0
    assert f"… and 5 more (all are in {report})" in capsys.readouterr().out
    assert report.exists()


def test_warnings_from_the_shell_are_one_line_without_source(tmp_path, seeds_dir):
    import subprocess
    import sys

    corpus = tmp_path / "c.parquet"
    assert main(["ingest", str(seeds_dir), "-o", str(corpus)]) == 0
    book = tmp_path / "book.toml"
    book.write_text(
        '[themes.absent]\nlabel = "Absent"\nterms = ["qwertyuiop"]\n'
        '[themes.sanctions]\nlabel = "Sanctions"\nterms = ["sanctions"]\n',
        encoding="utf-8",
    )
    args = ["trends", str(corpus), "--themes", str(book), "--freq", "year", "--boot", "50"]
    done = subprocess.run(
        [sys.executable, "-m", "topics", *args, "-o", str(tmp_path / "t.csv")],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    warned = [line for line in lines if line.startswith("warning: ")]
    assert len(warned) == 1
    assert "absent (qwertyuiop)" in warned[0]
    assert not any(".py:" in line for line in lines)  # no source file, no source line
    # called from Python, it stays a warning a caller can record
    with pytest.warns(UserWarning, match="never occur"):
        main([*args, "-o", str(tmp_path / "u.csv")])
