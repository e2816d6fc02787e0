"""One codebook, two languages: the same addresses in Ukrainian and English must score alike.

The shared parallel corpus ``corpora/resistinua`` holds video addresses of Ukrainian officials
(spring 2022) in their Ukrainian original and an English translation with the same ``id``,
tagged by their publishers. Both files go through the library's defaults — ``topics.ingest``
(each document's language detected) and ``topics.analyze_themes`` with the shipped codebook
``data/themes.toml`` and the dictionary measure — and a document is *detected* for a theme
when any of the theme's terms occurs in it (share > 0).

Printed per theme: Cohen's κ between the Ukrainian and the English version's detection (over
the addresses present in both), and, for themes the publishers' tags name, F1 of each version
against the tags. The peer is the same pipeline with the codebook's English terms only — what
the package measured before its codebook had languages (κ 0, F1 0 in Ukrainian). Also printed:
how often language detection names each file's language.

The source gives one ``id`` (a video) to two different addresses of 2022-05-17 (a speech and a
briefing), in both files; ``topics.ingest`` rightly refuses repeated ids, so each address is
keyed here by its ``id`` and its time, which tell all 311 apart and still pair the versions.

Final JSON line: per theme ``kappa_uk_en`` (and ``f1_uk``, ``f1_en`` where tagged), the peer's
values, and ``detection_accuracy``. Target (issue 28): sanctions κ ≥ 0.6 and |F1 uk − F1 en| ≤
0.1.

Usage: python benchmarks/languages.py
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import warnings
from pathlib import Path

import pandas as pd
from sklearn.metrics import cohen_kappa_score, f1_score

import topics
from topics.paths import data_dir, shared_path

#: Publishers' tags (Ukrainian) that mean each theme.
TAGS: dict[str, set[str]] = {
    "sanctions": {
        "Міжнародні санкції",
        "Нафтове ембарго",
        "Секторальні санкції",
        "Санкційна політика",
    },
    "energy": {"Енергетика", "Нафтове ембарго"},
    "trade_investment": {"Економіка"},
}


def _english_only(book: topics.Codebook) -> topics.Codebook:
    themes = tuple(topics.Theme(t.name, t.label, t.terms) for t in book.themes)
    return topics.Codebook(themes, book.extra_phrases)


def _keyed(source: Path, folder: Path) -> str:
    """Copy ``source`` with ids made unique by the address's time; return the copy's path."""
    target = folder / source.name
    with source.open(encoding="utf-8") as lines, target.open("w", encoding="utf-8") as out:
        for line in lines:
            record = json.loads(line)
            record["id"] = f"{record['id']}@{record['date']}"
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return str(target)


def _detected(path: str, book: topics.Codebook) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Return (detection by id × theme, tags by id, detected language by id)."""
    corpus = topics.ingest(path).corpus
    analysis = topics.analyze_themes(corpus, book, measure="dictionary")
    hits = analysis.shares.pivot(index="doc_id", columns="theme", values="share") > 0
    frame = corpus.to_frame().set_index("id")
    return hits, frame["labels"].fillna(""), frame["lang"]


def _scores(
    uk: pd.DataFrame, en: pd.DataFrame, tags: pd.Series, themes: list[str]
) -> dict[str, dict[str, float]]:
    common = sorted(set(uk.index) & set(en.index))
    out: dict[str, dict[str, float]] = {}
    for theme in themes:
        a, b = uk.loc[common, theme], en.loc[common, theme]
        row = {"kappa_uk_en": round(float(cohen_kappa_score(a, b)), 3)}
        if theme in TAGS:
            truth = tags.loc[common].map(
                lambda s, w=TAGS[theme]: any(x.strip() in w for x in s.split(";"))
            )
            row["f1_uk"] = round(float(f1_score(truth, a, zero_division=0.0)), 3)
            row["f1_en"] = round(float(f1_score(truth, b, zero_division=0.0)), 3)
            row["n_tagged"] = int(truth.sum())
        out[theme] = row
    return out


def main() -> None:
    """Run the comparison and print the table and the final JSON line."""
    folder = shared_path("corpora", "resistinua")
    if folder is None:
        print("skipped: ../shared/corpora/resistinua is absent")
        sys.exit(0)
    book = topics.Codebook.from_toml(data_dir() / "themes.toml")
    with tempfile.TemporaryDirectory() as tmp:
        uk_path = _keyed(folder / "addresses_uk.jsonl", Path(tmp))
        en_path = _keyed(folder / "addresses_en.jsonl", Path(tmp))
        start = time.perf_counter()
        uk, tags, uk_lang = _detected(uk_path, book)
        en, _, en_lang = _detected(en_path, book)
        seconds = time.perf_counter() - start
        peer_book = _english_only(book)
        with warnings.catch_warnings():  # English terms in Ukrainian texts: expected to miss
            warnings.simplefilter("ignore", topics.TopicsWarning)
            peer_uk, _, _ = _detected(uk_path, peer_book)
            peer_en, _, _ = _detected(en_path, peer_book)
    ours = _scores(uk, en, tags, book.names)
    peer = _scores(peer_uk, peer_en, tags, book.names)
    accuracy = {
        "uk": round(float((uk_lang == "uk").mean()), 3),
        "en": round(float((en_lang == "en").mean()), 3),
    }
    print(f"{'theme':22} {'κ uk–en':>8} {'F1 uk':>6} {'F1 en':>6}   peer: κ, F1 uk, F1 en")
    for theme in book.names:
        row, base = ours[theme], peer[theme]
        f1 = f"{row.get('f1_uk', float('nan')):6.2f} {row.get('f1_en', float('nan')):6.2f}"
        was = f"{base['kappa_uk_en']:5.2f}"
        if "f1_uk" in base:
            was += f" {base['f1_uk']:5.2f} {base['f1_en']:5.2f}"
        print(f"{theme:22} {row['kappa_uk_en']:8.2f} {f1}   {was}")
    print(f"language detection: {accuracy}; both versions measured in {seconds:.1f} s")
    sanctions = ours["sanctions"]
    verdict = {
        "kappa_ok": sanctions["kappa_uk_en"] >= 0.6,
        "f1_gap_ok": abs(sanctions["f1_uk"] - sanctions["f1_en"]) <= 0.1,
    }
    print(
        json.dumps(
            {
                "themes": ours,
                "peer_english_terms_only": peer,
                "detection_accuracy": accuracy,
                "seconds": round(seconds, 1),
                "sanctions_targets": verdict,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
