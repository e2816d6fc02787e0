"""Coding sheets: a stratified sample of documents per theme, for a person to code by hand.

:func:`coding_sheet` draws, for every theme, documents the measure found (``hit``: share > 0)
and documents it did not (``miss``), so that both errors can be counted: precision from the
coded hits, recall from the coded misses weighted back to the corpus
(:func:`~topics.validation.scores.theme_scores`). Each row shows the theme's terms in context
(``text``) and, a column away, the whole document (``full_text``); the ``code`` column is left
empty for the coder (1 = about the theme, 0 = not). Rows are shuffled, so hits and misses do
not come in blocks; a coder who wants to code blind hides the ``share`` and ``stratum``
columns. The sampling design — each stratum's size in the corpus and in the sample, the seed,
the measure — goes into the sheet's manifest, which :func:`read_sheet` reads back.

:func:`gold_codes` turns labels a corpus already carries (a publisher's tags) into codes for
every document, so a labelled corpus validates a codebook without hand coding.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import defaults
from ..errors import ConfigError, InputError

if TYPE_CHECKING:
    from ..themes.results import ThemeAnalysis

__all__ = [
    "SHEET_COLUMNS",
    "CodingSheet",
    "coding_sheet",
    "gold_codes",
    "read_gold_spec",
    "read_sheet",
]

SHEET_COLUMNS = ("doc_id", "theme", "share", "stratum", "text", "full_text", "code")
#: Characters of a missed document shown in ``text`` (the whole one is in ``full_text``).
MISS_PREVIEW = 600


@dataclass(frozen=True)
class CodingSheet:
    """A coding sheet and its sampling design.

    Attributes
    ----------
    sheet
        :data:`SHEET_COLUMNS`, one row per (document, theme) to code; ``code`` is empty until
        coded.
    strata
        ``theme, stratum, hit, N, n``: each stratum's documents in the corpus and in the sheet.
    settings
        How the sample was drawn (``per_theme``, ``random_state``, ``measure``, ``width``).

    """

    sheet: pd.DataFrame
    strata: pd.DataFrame
    settings: Mapping[str, Any] = field(default_factory=dict)

    def save(
        self, path: str | Path, *, bom: bool = False, fingerprint: str | None = None
    ) -> list[Path]:
        """Write the sheet as a spreadsheet-safe CSV and its manifest beside it.

        ``bom`` starts the file with a UTF-8 byte-order mark, which Excel needs to show
        Cyrillic text right when the file is opened by double-click.
        """
        from ..outputs import Outputs
        from ..spreadsheet import csv_text

        target = Path(path)
        with Outputs() as out:
            file = out.file(target)
            text = csv_text(self.sheet)
            file.write_bytes(("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8"))
            manifest = out.manifest(
                target, "coding_sheet", config=dict(self.settings),
                fingerprint=fingerprint, random_state=int(self.settings.get("random_state", 0)),
                extra={"strata": self.strata.to_dict(orient="records"), "bom": bom},
            )  # fmt: skip
        return [target, manifest]


def coding_sheet(
    analysis: ThemeAnalysis,
    *,
    themes: Sequence[str] | None = None,
    per_theme: int = 40,
    random_state: int = defaults.SEED,
    width: int = 120,
) -> CodingSheet:
    """Draw a stratified sample of each theme's measured hits and misses to code by hand.

    Parameters
    ----------
    analysis
        A theme analysis (its shares say which documents the measure found).
    themes
        Themes to sample (default: all).
    per_theme
        Documents per theme: half from the hits, half from the misses (a stratum with fewer
        documents gives them all, and the other stratum the rest).
    random_state
        Seed; a theme's sample depends only on it and the theme's name.
    width
        Characters of context either side of a term in ``text``.

    """
    from ..themes.passages import keyword_in_context

    if isinstance(per_theme, bool) or not isinstance(per_theme, int) or per_theme < 2:
        raise ConfigError(f"per_theme must be an integer of at least 2, got {per_theme!r}")
    names = list(themes) if themes is not None else analysis.codebook.names
    unknown = sorted(set(names) - set(analysis.codebook.names))
    if unknown:
        raise ConfigError(f"unknown themes {unknown}; the codebook has {analysis.codebook.names}")
    texts = pd.Series(analysis.corpus.texts, index=analysis.corpus.ids)
    terms = {t.name: t.surface_terms for t in analysis.codebook.themes}
    rows, strata = [], []
    for theme in names:
        shares = analysis.shares[analysis.shares["theme"] == theme].set_index("doc_id")["share"]
        hits, misses = shares.index[shares > 0], shares.index[shares <= 0]
        want_hits = min(len(hits), max(per_theme // 2, per_theme - len(misses)))
        want_misses = min(len(misses), per_theme - want_hits)
        rng = np.random.default_rng([random_state, zlib.crc32(theme.encode("utf-8"))])
        chosen_hits = sorted(rng.choice(np.asarray(hits, dtype=object), want_hits, replace=False))
        chosen_misses = sorted(
            rng.choice(np.asarray(misses, dtype=object), want_misses, replace=False)
        )
        lines = keyword_in_context(texts.loc[chosen_hits], list(terms[theme]), width=width)
        snippets = lines["left"] + "[" + lines["keyword"] + "]" + lines["right"]
        shown = snippets.groupby(lines["doc_id"], sort=False).agg(" … ".join)
        for stratum, docs in (("hit", chosen_hits), ("miss", chosen_misses)):
            for doc in docs:
                full = str(texts.loc[doc])
                preview = shown.get(doc, full[:MISS_PREVIEW]) if stratum == "hit" else None
                rows.append(
                    {"doc_id": doc, "theme": theme, "share": float(shares.loc[doc]),
                     "stratum": stratum, "text": preview or full[:MISS_PREVIEW],
                     "full_text": full, "code": pd.NA}
                )  # fmt: skip
        strata += [
            {"theme": theme, "stratum": "hit", "hit": True, "N": len(hits), "n": want_hits},
            {"theme": theme, "stratum": "miss", "hit": False, "N": len(misses),
             "n": want_misses},
        ]  # fmt: skip
    sheet = pd.DataFrame(rows, columns=list(SHEET_COLUMNS))
    order = np.random.default_rng(random_state).permutation(len(sheet))
    sheet = sheet.iloc[order].reset_index(drop=True)
    settings = {"per_theme": per_theme, "random_state": random_state, "width": width,
                "measure": analysis.settings.measure, "themes": names}  # fmt: skip
    return CodingSheet(sheet, pd.DataFrame(strata), settings)


def read_sheet(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a coded sheet and its design: ``(coded, strata)`` for the scores.

    ``coded`` has ``theme, doc_id, stratum, hit, code``; every row must be coded 0 or 1.

    Raises
    ------
    InputError
        One line naming the file and row: a missing column or manifest, a row without a
        code or with a code other than 0/1, a theme or stratum the design does not have.

    """
    from ..files import manifest_path
    from ..spreadsheet import read_csv

    source = Path(path)
    manifest = manifest_path(source, folder=False)
    if not source.exists():
        raise InputError(f"{source}: no such coding sheet")
    if not manifest.exists():
        raise InputError(
            f"{source}: its manifest {manifest.name} (the sampling design) is missing; keep "
            "the two files together, or score gold labels with `topics validate gold`"
        )
    design = json.loads(manifest.read_text(encoding="utf-8"))
    strata = pd.DataFrame(design.get("strata", []))
    try:
        sheet = read_csv(source, encoding="utf-8-sig", dtype={"doc_id": str, "code": str})
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(f"{source}: not a coding sheet CSV ({exc})") from exc
    missing = [c for c in ("doc_id", "theme", "stratum", "code") if c not in sheet.columns]
    if missing:
        raise InputError(f"{source}: the sheet lacks the columns {missing}")
    codes = sheet["code"].astype("string").str.strip()
    for row, (value, theme, doc) in enumerate(
        zip(codes, sheet["theme"], sheet["doc_id"], strict=True)
    ):
        where = f"{source}, row {row + 2} (theme {theme!r}, document {doc!r})"
        if pd.isna(value) or value == "":
            raise InputError(f"{where}: no code; write 1 (about the theme) or 0 (not)")
        if value not in ("0", "1", "0.0", "1.0"):
            raise InputError(f"{where}: code {value!r} is not 0 or 1")
    hits = {
        (t, s): bool(h)
        for t, s, h in zip(strata["theme"], strata["stratum"], strata["hit"], strict=True)
    } if len(strata) else {}  # fmt: skip
    for row, pair in enumerate(zip(sheet["theme"], sheet["stratum"], strict=True)):
        if pair not in hits:
            themes = sorted({t for t, _ in hits})
            raise InputError(
                f"{source}, row {row + 2}: theme {pair[0]!r} / stratum {pair[1]!r} is not in "
                f"the sampling design (themes: {themes})"
            )
    coded = pd.DataFrame(
        {"theme": sheet["theme"].astype(str), "doc_id": sheet["doc_id"].astype(str),
         "stratum": sheet["stratum"].astype(str),
         "hit": [hits[p] for p in zip(sheet["theme"], sheet["stratum"], strict=True)],
         "code": codes.astype(float).astype(int)}
    )  # fmt: skip
    return coded, strata[["theme", "stratum", "hit", "N"]]


def read_gold_spec(spec: str) -> tuple[str, dict[str, set[str]]]:
    """Parse ``COLUMN:"theme=Label A|Label B;theme2=Label C"`` into (column, theme → labels).

    ``spec`` may instead name a TOML file: ``column = "labels"`` and a ``[themes]`` table of
    label lists (``sanctions = ["Міжнародні санкції", "Нафтове ембарго"]``).

    >>> column, themes = read_gold_spec("labels:sanctions=Міжнародні санкції|Нафтове ембарго")
    >>> column, sorted(themes["sanctions"])
    ('labels', ['Міжнародні санкції', 'Нафтове ембарго'])
    """
    if spec.endswith(".toml"):
        return _gold_toml(Path(spec))
    column, sep, mapping = spec.partition(":")
    if not sep or not column.strip() or "=" not in mapping:
        raise ConfigError(
            f"--gold {spec!r}: write COLUMN:theme=Label|Other label (several themes "
            "separated by ';'), e.g. labels:sanctions=Міжнародні санкції|Нафтове ембарго"
        )
    out: dict[str, set[str]] = {}
    for part in mapping.split(";"):
        theme, eq, labels = part.partition("=")
        if not eq or not theme.strip() or not labels.strip():
            raise ConfigError(f"--gold {spec!r}: {part!r} is not theme=Label|Label")
        out[theme.strip()] = {label.strip() for label in labels.split("|") if label.strip()}
    return column.strip(), out


def _gold_toml(path: Path) -> tuple[str, dict[str, set[str]]]:
    from ..config import check_keys, read_toml

    data = read_toml(path, "gold labels")
    check_keys(data, ["column", "themes"], str(path))
    column, themes = data.get("column"), data.get("themes")
    if not isinstance(column, str) or not column:
        raise ConfigError(f'{path}: column must name the label column, e.g. column = "labels"')
    if (
        not isinstance(themes, dict)
        or not themes
        or not all(
            isinstance(v, list) and v and all(isinstance(x, str) for x in v)
            for v in themes.values()
        )
    ):
        raise ConfigError(f"{path}: [themes] must give each theme a list of labels")
    return column, {str(t): set(v) for t, v in themes.items()}


def gold_codes(
    analysis: ThemeAnalysis, column: str, mapping: Mapping[str, set[str]], *, sep: str = ";"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Code every document from a label column: ``(coded, strata)`` for the scores.

    A document is about a theme when its ``column`` holds one of the theme's labels (the
    column may list several labels separated by ``sep``). Every document is coded, so each
    stratum's sample is the whole stratum.
    """
    unknown = sorted(set(mapping) - set(analysis.codebook.names))
    if unknown:
        raise ConfigError(f"gold labels for unknown themes {unknown}")
    cells = analysis.corpus.column(column).tolist()
    tagged = {
        doc: {p.strip() for p in str(cell).split(sep) if p.strip()}
        if isinstance(cell, str)
        else set()
        for doc, cell in zip(analysis.corpus.ids, cells, strict=True)
    }
    seen = set().union(*tagged.values())
    coded, strata = [], []
    for theme, wanted in mapping.items():
        absent = sorted(wanted - seen)
        if absent:
            raise InputError(
                f"gold labels {absent} (theme {theme!r}) occur in no {column!r}; "
                f"its labels include {sorted(seen)[:12]}"
            )
        shares = analysis.shares[analysis.shares["theme"] == theme].set_index("doc_id")["share"]
        hit = shares > 0
        code = pd.Series([int(bool(tagged.get(str(d), set()) & wanted)) for d in shares.index])
        coded.append(pd.DataFrame({"theme": theme, "doc_id": shares.index.astype(str),
                                   "stratum": np.where(hit, "hit", "miss"), "hit": hit.to_numpy(),
                                   "code": code.to_numpy(dtype=int)}))  # fmt: skip
        strata += [
            {"theme": theme, "stratum": "hit", "hit": True, "N": int(hit.sum())},
            {"theme": theme, "stratum": "miss", "hit": False, "N": int((~hit).sum())},
        ]
    return pd.concat(coded, ignore_index=True), pd.DataFrame(strata)
