"""Named themes: a TOML codebook, its health in a corpus, and three ways to measure a theme.

* :class:`Codebook` — themes with seed terms and phrases (``data/themes.toml``). Terms are
  normalised with the corpus's own preprocessing, so "batteries" matches ``battery`` and
  "Global Gateway" matches the protected token ``global_gateway``.
* :func:`theme_health` — each seed term's frequency per period; terms never seen are listed,
  and a theme whose terms never occur at all is an error naming it.
* Measures, all returning the same tidy shape ``doc_id, theme, share, weight``:

  1. :func:`dictionary_shares` — the share of a document's tokens that belong to the theme;
  2. :func:`seeded_model` — a keyword-seeded LDA (per-word priors) whose first topics are the
     themes, by name, followed by free topics (:func:`model_theme_shares` reads it);
  3. :func:`map_topics` — unsupervised topics mapped to themes by the weight of seed terms,
     with a similarity score and ``"unmatched"`` when nothing fits.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from .config import check_keys, read_toml
from .corpus import Corpus
from .errors import ConfigError, InputError, TopicsWarning
from .models import LDA, NMF, TopicModel
from .preprocess import PreprocessConfig, Preprocessor, term_token
from .vectorize import DocTermMatrix

__all__ = [
    "Codebook",
    "Theme",
    "dictionary_shares",
    "keyword_in_context",
    "map_topics",
    "mapped_theme_shares",
    "model_theme_shares",
    "no_look_ahead_shares",
    "seeded_model",
    "theme_health",
]

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Theme:
    """A named theme: ``name`` (identifier), ``label`` (for figures) and seed ``terms``."""

    name: str
    label: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Codebook:
    """An ordered set of themes."""

    themes: tuple[Theme, ...]

    def __post_init__(self) -> None:
        names = [t.name for t in self.themes]
        if not names:
            raise ConfigError("a codebook needs at least one theme")
        if len(set(names)) != len(names):
            raise ConfigError(f"theme names repeat: {names}")
        for theme in self.themes:
            if not _NAME.match(theme.name):
                raise ConfigError(f"theme name {theme.name!r} must be lower_case_with_underscores")
            if not theme.terms:
                raise ConfigError(f"theme {theme.name!r} has no terms")

    @classmethod
    def from_toml(cls, path: str | Path) -> Codebook:
        """Read ``[themes.<name>]`` tables with ``terms`` (and optional ``label``).

        Any other key, at the top level or in a theme's table, is an error naming it.
        """
        data = read_toml(path, "codebook")
        check_keys(data, ["themes"], str(path))
        tables = data.get("themes")
        if not isinstance(tables, dict) or not tables:
            raise ConfigError(f"{path}: expected [themes.<name>] tables with a terms list")
        themes = []
        for name, table in tables.items():
            if isinstance(table, dict):
                check_keys(table, ["label", "terms"], f"{path}, [themes.{name}]")
            terms = table.get("terms") if isinstance(table, dict) else None
            if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
                raise ConfigError(f"{path}: themes.{name}.terms must be a list of strings")
            themes.append(Theme(name, str(table.get("label", name)), tuple(terms)))
        return cls(tuple(themes))

    @property
    def names(self) -> list[str]:
        """Theme names in codebook order."""
        return [t.name for t in self.themes]

    def phrases(self) -> tuple[str, ...]:
        """Multi-word terms, to be protected by preprocessing so they stay one token."""
        return tuple(
            sorted({t for theme in self.themes for t in theme.terms if len(t.split()) > 1})
        )

    def preprocess_config(self, base: PreprocessConfig | None = None) -> PreprocessConfig:
        """Return a preprocessing config whose protected terms include the codebook's phrases."""
        base = base or PreprocessConfig()
        protected = tuple(dict.fromkeys([*base.protected_terms, *self.phrases()]))
        return PreprocessConfig.from_dict({**base.to_dict(), "protected_terms": list(protected)})

    def tokens(self, config: PreprocessConfig | None = None) -> dict[str, dict[str, str]]:
        """Map each theme to ``{token: seed term}`` under the given preprocessing.

        Raises
        ------
        ConfigError
            When none of a theme's terms gives a token (all stop words, or too short), since
            such a theme would silently measure zero everywhere.

        """
        config = config or self.preprocess_config()
        pre = Preprocessor(config)
        out: dict[str, dict[str, str]] = {}
        for theme in self.themes:
            mapping: dict[str, str] = {}
            for term in theme.terms:
                if len(term.split()) > 1:
                    mapping.setdefault(term_token(term), term)
                else:
                    for token in pre.tokenize(term):
                        mapping.setdefault(token, term)
            if not mapping:
                raise ConfigError(
                    f"theme {theme.name!r}: its terms {list(theme.terms)} give no tokens under "
                    "the preprocessing (stop words, numbers or words too short); give it terms "
                    "with content words"
                )
            out[theme.name] = mapping
        return out

    def label(self, name: str) -> str:
        """Return the label of theme ``name``."""
        for theme in self.themes:
            if theme.name == name:
                return theme.label
        raise ConfigError(f"no theme {name!r} in the codebook")


def theme_health(
    tokens: Sequence[Sequence[str]],
    periods: Sequence[object],
    codebook: Codebook,
    config: PreprocessConfig | None = None,
) -> pd.DataFrame:
    """Seed-term counts per period: ``theme, term, token, period, count, n_docs``.

    Every seed term appears, with zero counts where it never occurs (``period`` is then the
    first period), so unseen terms are visible rather than silently ignored.

    Raises
    ------
    InputError
        If every term of a theme is absent from the whole corpus.

    """
    if len(tokens) != len(periods):
        raise InputError(f"got {len(periods)} periods for {len(tokens)} documents")
    mapping = codebook.tokens(config)
    wanted = {tok for m in mapping.values() for tok in m}
    rows: dict[tuple[str, object], list[int]] = {}
    for doc, period in zip(tokens, periods, strict=True):
        counts: dict[str, int] = {}
        for token in doc:
            if token in wanted:
                counts[token] = counts.get(token, 0) + 1
        for token, count in counts.items():
            entry = rows.setdefault((token, period), [0, 0])
            entry[0] += count
            entry[1] += 1
    records = []
    order = sorted({p for p in periods if p is not None and p == p}, key=str)
    for theme, terms in mapping.items():
        seen_any = False
        for token, term in terms.items():
            found = [(p, rows[(token, p)]) for p in order if (token, p) in rows]
            if found:
                seen_any = True
                records += [
                    {
                        "theme": theme,
                        "term": term,
                        "token": token,
                        "period": p,
                        "count": c,
                        "n_docs": d,
                    }
                    for p, (c, d) in found
                ]
            else:
                records.append(
                    {"theme": theme, "term": term, "token": token,
                     "period": order[0] if order else None, "count": 0, "n_docs": 0}
                )  # fmt: skip
        if not seen_any:
            raise InputError(
                f"theme {theme!r}: none of its terms occurs in the corpus "
                f"({', '.join(sorted(terms.values()))}); check the codebook or the preprocessing"
            )
    return pd.DataFrame(records)


def dictionary_shares(
    tokens: Sequence[Sequence[str]],
    doc_ids: Sequence[str],
    codebook: Codebook,
    config: PreprocessConfig | None = None,
) -> pd.DataFrame:
    """Share of each document's tokens that belong to each theme.

    Returns ``doc_id, theme, share, weight`` where ``weight`` is the document's token count
    (for token-weighted aggregation); a document without tokens has share 0 and weight 0.
    """
    if len(tokens) != len(doc_ids):
        raise InputError(f"got {len(doc_ids)} ids for {len(tokens)} documents")
    mapping = codebook.tokens(config)
    names = list(mapping)
    lookup: dict[str, list[int]] = {}
    for index, name in enumerate(names):
        for token in mapping[name]:
            lookup.setdefault(token, []).append(index)
    hits = np.zeros((len(tokens), len(names)))
    lengths = np.zeros(len(tokens))
    for row, doc in enumerate(tokens):
        lengths[row] = len(doc)
        for token in doc:
            for index in lookup.get(token, ()):
                hits[row, index] += 1
    shares = np.divide(hits, lengths[:, None], out=np.zeros_like(hits), where=lengths[:, None] > 0)
    return pd.DataFrame(
        {
            "doc_id": np.repeat(np.asarray(doc_ids, dtype=object), len(names)),
            "theme": np.tile(np.asarray(names, dtype=object), len(tokens)),
            "share": shares.ravel(),
            "weight": np.repeat(lengths, len(names)),
        }
    )


def _seed_columns(
    matrix: DocTermMatrix, codebook: Codebook, config: PreprocessConfig | None
) -> dict[str, list[int]]:
    mapping = codebook.tokens(config)
    index = {t: i for i, t in enumerate(matrix.vocabulary)}
    columns = {
        name: sorted({index[t] for t in terms if t in index}) for name, terms in mapping.items()
    }
    empty = [name for name, cols in columns.items() if not cols]
    if empty:
        raise InputError(
            f"themes {empty} have no seed term in the model vocabulary; keep their terms with "
            "Vectorizer(keep_terms=...) or check the codebook"
        )
    return columns


def seeded_model(
    matrix: DocTermMatrix,
    codebook: Codebook,
    *,
    n_free: int = 5,
    seed_weight: float = 1.0,
    base_eta: float = 0.01,
    config: PreprocessConfig | None = None,
    backend: str = "auto",
    random_state: int = 0,
    max_iter: int | None = None,
    family: str = "lda",
) -> TopicModel:
    """Fit a keyword-seeded model: topic ``i < len(themes)`` is theme ``i``, then free topics.

    ``family="lda"``: seeding follows keyATM's spirit through per-word priors — a theme's seed
    terms get prior ``seed_weight`` in the theme's topic and ``base_eta`` elsewhere.
    ``family="nmf"``: a guided start puts each theme topic's mass on its seed terms, and
    multiplicative updates keep it there (the theme's topic weighs only its seed terms, with
    weights learnt from the data; free topics take everything else).
    Either way the theme keeps its name and index after fitting; the fitted model has
    ``topic_names_`` and ``seed_mass_`` (each theme topic's probability on its own seed terms; a
    :class:`~topics.errors.TopicsWarning` names themes under 5 %, whose topics drifted away from
    their seeds — typical when the seeds are rare in the corpus).
    """
    if n_free < 0:
        raise ConfigError(f"n_free must be ≥ 0, got {n_free}")
    if seed_weight <= base_eta:
        raise ConfigError("seed_weight must exceed base_eta, or seeding does nothing")
    if family not in ("lda", "nmf"):
        raise ConfigError(f"family must be 'lda' or 'nmf', got {family!r}")
    columns = _seed_columns(matrix, codebook, config)
    names = codebook.names
    k = len(names) + n_free
    model: TopicModel
    if family == "nmf":
        guide = np.zeros((k, matrix.shape[1]))
        for i, name in enumerate(names):
            guide[i, columns[name]] = 1.0
        model = NMF(
            k, guide=guide, solver="mu", random_state=random_state, max_iter=max_iter or 400
        )
    else:
        eta = np.full((k, matrix.shape[1]), base_eta)
        for i, name in enumerate(names):
            eta[i, columns[name]] = seed_weight
        model = LDA(k, backend=backend, eta=eta, random_state=random_state, max_iter=max_iter)
    model.fit(matrix)
    model.topic_names_ = [*names, *(f"free_{j}" for j in range(n_free))]
    model.seed_mass_ = _check_seed_mass(model.topic_word_, names, columns)
    return model


SEED_MASS_WARNING = 0.05


def _check_seed_mass(
    topic_word: npt.NDArray[np.float64], names: Sequence[str], columns: Mapping[str, list[int]]
) -> dict[str, float]:
    """Share of each theme topic's probability on its own seed terms; warn when tiny.

    A keyword-seeded topic whose seeds are rare in the corpus can be taken over by an unrelated
    cluster of words; its "theme share" then measures that cluster. Below
    :data:`SEED_MASS_WARNING` a :class:`~topics.errors.TopicsWarning` says so.
    """
    mass = {
        name: round(float(topic_word[i, columns[name]].sum()), 4) for i, name in enumerate(names)
    }
    drifted = {name: m for name, m in mass.items() if m < SEED_MASS_WARNING}
    if drifted:
        listed = ", ".join(f"{name} ({m:.1%})" for name, m in drifted.items())
        warnings.warn(
            f"seeded themes whose seed terms carry under {SEED_MASS_WARNING:.0%} of their topic: "
            f"{listed}; their topics are mostly other words, so their shares do not measure "
            "the theme — use dictionary shares or raise seed_weight for these themes",
            TopicsWarning,
            stacklevel=3,
        )
    return mass


def model_theme_shares(
    model: TopicModel, matrix: DocTermMatrix, names: Sequence[str]
) -> pd.DataFrame:
    """Theme shares from a seeded model in the tidy ``doc_id, theme, share, weight`` shape."""
    theta = model.transform(matrix)
    lengths = np.asarray(matrix.counts.sum(axis=1)).ravel().astype(float)
    k = len(names)
    return pd.DataFrame(
        {
            "doc_id": np.repeat(np.asarray(matrix.doc_ids, dtype=object), k),
            "theme": np.tile(np.asarray(names, dtype=object), len(theta)),
            "share": theta[:, :k].ravel(),
            "weight": np.repeat(lengths, k),
        }
    )


def mapped_theme_shares(
    model: TopicModel, matrix: DocTermMatrix, mapping: pd.DataFrame, names: Sequence[str]
) -> pd.DataFrame:
    """Theme shares from unsupervised topics mapped by :func:`map_topics` (tidy shape).

    A theme's share in a document is the sum of the shares of the topics mapped to it (0 when
    no topic maps to it).
    """
    theta = model.transform(matrix)
    lengths = np.asarray(matrix.counts.sum(axis=1)).ravel().astype(float)
    columns = []
    for name in names:
        mapped = mapping["topic"][mapping["theme"] == name].to_numpy(dtype=int)
        columns.append(theta[:, mapped].sum(axis=1) if len(mapped) else np.zeros(len(theta)))
    shares = np.column_stack(columns)
    return pd.DataFrame(
        {
            "doc_id": np.repeat(np.asarray(matrix.doc_ids, dtype=object), len(names)),
            "theme": np.tile(np.asarray(names, dtype=object), len(theta)),
            "share": shares.ravel(),
            "weight": np.repeat(lengths, len(names)),
        }
    )


def map_topics(
    topic_word: npt.NDArray[np.float64],
    vocabulary: Sequence[str],
    codebook: Codebook,
    *,
    threshold: float = 0.05,
    config: PreprocessConfig | None = None,
) -> pd.DataFrame:
    """Map each topic to the theme whose seed terms carry most of its weight.

    ``similarity`` is the share of the topic's probability mass on the theme's seed terms
    (0…1). A topic whose best similarity is below ``threshold`` maps to ``"unmatched"``.
    Returns ``topic, theme, similarity`` plus one column per theme with its similarity.
    """
    index = {t: i for i, t in enumerate(vocabulary)}
    mapping = codebook.tokens(config)
    scores = {}
    for name, terms in mapping.items():
        cols = [index[t] for t in terms if t in index]
        scores[name] = topic_word[:, cols].sum(axis=1) if cols else np.zeros(topic_word.shape[0])
    table = pd.DataFrame(scores)
    best = table.idxmax(axis=1)
    similarity = table.max(axis=1)
    result = pd.DataFrame(
        {
            "topic": np.arange(topic_word.shape[0]),
            "theme": np.where(similarity >= threshold, best, "unmatched"),
            "similarity": similarity.to_numpy(),
        }
    )
    return pd.concat([result, table.add_prefix("sim_")], axis=1)


def keyword_in_context(
    texts: Mapping[str, str] | pd.Series,
    terms: Sequence[str],
    *,
    width: int = 60,
    limit: int | None = None,
) -> pd.DataFrame:
    """Keyword-in-context lines: ``doc_id, term, left, keyword, right`` for each match.

    Matching is case-insensitive on whole words (so "war" does not match "toward").
    """
    series = texts if isinstance(texts, pd.Series) else pd.Series(dict(texts))
    if not terms:
        raise ConfigError("keyword_in_context needs at least one term")
    pattern = re.compile(
        r"\b(" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + r")\w*",
        re.I,
    )
    rows = []
    for doc_id, text in series.items():
        for match in pattern.finditer(str(text)):
            start, end = match.span()
            rows.append(
                {"doc_id": doc_id, "term": match.group(1).lower(),
                 "left": text[max(0, start - width) : start].replace("\n", " "),
                 "keyword": match.group(0), "right": text[end : end + width].replace("\n", " ")}
            )  # fmt: skip
            if limit is not None and len(rows) >= limit:
                return pd.DataFrame(rows)
    return pd.DataFrame(rows, columns=["doc_id", "term", "left", "keyword", "right"])


def no_look_ahead_shares(
    corpus: Corpus,
    periods: pd.DataFrame,
    codebook: Codebook,
    *,
    n_free: int = 5,
    min_history: int = 1,
    backend: str = "auto",
    random_state: int = 0,
    max_iter: int | None = None,
) -> pd.DataFrame:
    """Seeded-model theme shares fitted only on data up to each period (expanding window).

    For each period ``p`` (in order) the vocabulary and the seeded model are fitted on the
    documents of periods ≤ ``p`` and only the documents of ``p`` are scored, so no share uses
    words or weights from the future — as a tracker running in real time would see it.
    Periods before ``min_history`` periods of data are skipped.

    Returns the tidy ``doc_id, theme, share, weight`` shape.
    """
    from .vectorize import Vectorizer

    placed = periods.dropna(subset=["period"])
    order = sorted(placed["period"].unique())
    if len(order) < min_history:
        raise InputError(f"only {len(order)} periods; min_history is {min_history}")
    config = codebook.preprocess_config()
    seed_tokens = [t for m in codebook.tokens(config).values() for t in m]
    texts = dict(zip(corpus.ids, corpus.texts, strict=True))
    pieces = []
    for index, period in enumerate(order):
        if index + 1 < min_history:
            continue
        history = placed[placed["period"] <= period]["id"].tolist()
        current = placed[placed["period"] == period]["id"].tolist()
        vectorizer = Vectorizer(config, min_df=1, max_df=1.0, keep_terms=seed_tokens)
        matrix = vectorizer.fit_transform([texts[i] for i in history], doc_ids=history)
        model = seeded_model(
            matrix, codebook, n_free=n_free, config=config, backend=backend,
            random_state=random_state, max_iter=max_iter,
        )  # fmt: skip
        now = vectorizer.transform([texts[i] for i in current], doc_ids=current)
        pieces.append(model_theme_shares(model, now, codebook.names))
    return pd.concat(pieces, ignore_index=True)
