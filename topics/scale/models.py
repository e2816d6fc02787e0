"""One call for a topic model whether the corpus fits in memory or not; the library picks how.

:func:`fit` takes a :class:`~topics.Corpus`, a corpus file (``topics ingest`` → Parquet) or a
dataset folder (``topics ingest --dataset``): a corpus is vectorised and fitted in memory, a
dataset chunk by chunk with ``partial_fit`` on an :class:`Engine` (:func:`fit_dataset`). Either
way the answer is a :class:`TopicFit` — the model, its vectoriser, the top terms — and, with
``output``, the same files in the same folder (model, ``vectorizer.json``, ``top_terms.csv``,
the documents' topics, a manifest).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import defaults
from ..corpus.corpus import Corpus
from ..defaults import Frequency
from ..errors import ConfigError
from ..evaluation.selection import ModelSpec
from ..models import TopicModel, topic_info
from ..models.choice import FamilyChoice, choose_family, family_for_backend
from ..outputs import Outputs
from ..spreadsheet import write_csv
from ..text.preprocess import PreprocessConfig
from ..text.vectorizer import DocTermMatrix, Vectorizer
from ..trends import TopicTrends, topics_over_time
from .dataset import CorpusDataset, is_dataset, read_corpus
from .engine import Engine, engine_for
from .fitting import fit_dataset, transform_dataset
from .vocabulary import vectorize_dataset

__all__ = ["TopicFit", "fit"]


@dataclass(frozen=True)
class TopicFit:
    """What :func:`fit` returns, in memory or from a dataset.

    Attributes
    ----------
    model
        The fitted topic model.
    vectorizer
        The fitted vectoriser (vocabulary, phrases, pruning).
    top_terms
        ``topic, rank, term, weight``.
    settings
        What was asked, under the manifest's names (``family``, ``n_topics``, …).
    choice
        How ``family="auto"`` chose (``requested, family, mean_tokens, reason``), else ``None``.
    shape
        Documents × terms.
    doc_topics
        ``doc_id, topic, share`` (in memory; a dataset writes them to ``output/doc_topics/``).
    info
        :func:`~topics.models.topic_info` (in memory).
    matrix
        The document-term matrix it was fitted on (in memory).
    history
        ``epoch, loss, updates, seconds`` of a dataset's ``partial_fit`` epochs.
    over_time
        The topics' prevalence and changes when ``over_time`` was given.

    """

    model: TopicModel
    vectorizer: Vectorizer
    top_terms: pd.DataFrame
    settings: Mapping[str, Any]
    choice: Mapping[str, Any] | None
    shape: tuple[int, int]
    doc_topics: pd.DataFrame | None = None
    info: pd.DataFrame | None = None
    matrix: DocTermMatrix | None = field(default=None, repr=False)
    history: pd.DataFrame | None = None
    over_time: TopicTrends | None = field(default=None, repr=False)


def _choose(
    family: str,
    backend: str | None,
    matrix: DocTermMatrix | None,
    echo: Callable[[str], None] | None,
) -> tuple[str, dict[str, Any] | None]:
    """Replace ``"auto"`` by a family; the manifest's ``model_choice`` (``None`` if not auto)."""
    if family != "auto":
        return family, None
    if backend is not None:
        choice = family_for_backend(backend)
    elif matrix is None:
        choice = FamilyChoice("nmf", None, "a dataset is fitted chunk by chunk: mini-batch NMF")
    else:
        choice = choose_family(matrix)
    if echo is not None:
        echo(f"model: {choice.family} ({choice.reason}; --model chooses another)")
    return choice.family, {"requested": "auto", "family": choice.family,
                           "mean_tokens": choice.mean_tokens, "reason": choice.reason}  # fmt: skip


def _check_shape(shape: tuple[int, int], top: int, echo: Callable[[str], None] | None) -> None:
    """Refuse a ``top`` above the vocabulary's size; echo the matrix's size."""
    n_terms = shape[1]
    if top > n_terms:
        raise ConfigError(
            f"top={top} is more than the {n_terms} terms in the vocabulary; ask for {n_terms} "
            "or fewer (or lower min_df)"
        )
    if echo is not None:
        echo(f"{shape[0]:,} documents × {n_terms:,} terms")


def fit(
    source: Corpus | CorpusDataset | str | os.PathLike[str],
    n_topics: int = defaults.N_TOPICS,
    family: str = "auto",
    *,
    output: str | os.PathLike[str] | None = None,
    backend: str | None = None,
    max_iter: int | None = None,
    preprocess: PreprocessConfig | str | os.PathLike[str] | None = None,
    min_df: float = defaults.MIN_DF,
    max_df: float = defaults.MAX_DF,
    max_features: int | None = None,
    top: int = defaults.TOP_TERMS,
    over_time: Frequency | None = None,
    epochs: int = defaults.EPOCHS,
    batch_rows: int = defaults.BATCH_ROWS,
    engine: Engine | None = None,
    random_state: int = defaults.SEED,
    progress: bool | None = None,
    echo: Callable[[str], None] | None = None,
) -> TopicFit:
    """Vectorise a corpus or a dataset and fit a topic model; optionally write it all out.

    Parameters
    ----------
    source
        A :class:`~topics.Corpus`, the Parquet file ``topics ingest`` wrote, or a dataset
        (:class:`CorpusDataset` or its folder).
    n_topics
        Topics to fit.
    family
        A name in :data:`topics.MODELS`, or ``"auto"``: CoocNMF for short texts, else NMF (the
        family of ``backend`` when one is named; NMF on a dataset).
    output
        A folder to write the model, ``vectorizer.json``, ``top_terms.csv``, the documents'
        topics (``doc_topics.parquet``, or ``doc_topics/`` for a dataset), ``topic_info.csv`` or
        ``history.csv`` and a manifest to. Required for a dataset.
    backend, max_iter
        The family's backend (LDA: sklearn, gensim, tomotopy …; NMF: cd, mu, minibatch) and
        passes (default: the backend's).
    preprocess
        A :class:`~topics.text.PreprocessConfig` or a TOML file with a ``[preprocess]`` table.
    min_df, max_df, max_features
        Vocabulary pruning (a count, or a share when ``min_df`` < 1).
    top
        Terms per topic in ``top_terms`` and ``topic_info``.
    over_time
        Also each topic's share per period, with changes (in memory only).
    epochs, batch_rows
        A dataset's most passes and documents per mini-batch.
    engine
        Where a dataset's chunks run (default: a local cluster for this call).
    random_state
        Seed of the model (and of the trends' bootstrap).
    progress
        Progress bars.
    echo
        Called with the matrix's size and the family ``"auto"`` chose, before the fit (e.g.
        ``print``).

    Returns
    -------
    TopicFit

    """
    config = (
        preprocess if isinstance(preprocess, PreprocessConfig)
        else PreprocessConfig.from_toml(Path(preprocess)) if preprocess is not None
        else PreprocessConfig()
    )  # fmt: skip
    vectorizer = Vectorizer(
        config, min_df=int(min_df) if min_df >= 1 else min_df, max_df=max_df,
        max_features=max_features,
    )  # fmt: skip
    dataset = isinstance(source, CorpusDataset) or (
        not isinstance(source, Corpus) and is_dataset(source)
    )
    if dataset and over_time is not None:
        raise ConfigError(
            "over_time needs the corpus in memory; on a dataset, measure themes with "
            "`topics trends DATASET` (dictionary) instead"
        )
    if dataset and output is None:
        raise ConfigError(
            "a dataset's documents get their topics chunk by chunk on disk: give output=FOLDER"
        )
    settings = {
        "n_topics": n_topics, "backend": backend, "max_iter": max_iter, "min_df": min_df,
        "max_df": max_df, "max_features": max_features, "preprocess": config.to_dict(),
    }  # fmt: skip
    inputs = [p for p in (source, preprocess) if isinstance(p, str | os.PathLike)]
    if isinstance(source, CorpusDataset):
        inputs.append(source.root)
    with Outputs(inputs=inputs) as outputs:
        target = Path(output) if output is not None else None
        out = outputs.folder(target, "model") if target is not None else None
        if isinstance(source, CorpusDataset | str | os.PathLike) and dataset and out is not None:
            data = source if isinstance(source, CorpusDataset) else CorpusDataset.open(source)
            family, choice = _choose(family, backend, None, echo)
            model = ModelSpec.of(family, backend, max_iter, progress).build(n_topics, random_state)
            # vocabulary from the chunks' counts, partial_fit on the engine, topics per chunk
            with engine_for(engine, progress=progress) as runner:
                matrices = vectorize_dataset(data, vectorizer, out / ".matrices", engine=runner)
                shape = (matrices.n_docs, len(vectorizer.vocabulary_))
                _check_shape(shape, top, echo)
                streamed = fit_dataset(
                    matrices, model, engine=runner, epochs=epochs, batch_rows=batch_rows,
                    random_state=random_state, progress=progress,
                )  # fmt: skip
                transform_dataset(matrices, streamed.model, out / "doc_topics", engine=runner)
            shutil.rmtree(out / ".matrices")
            result = TopicFit(
                streamed.model, vectorizer, streamed.model.top_terms(top),
                {**settings, "family": family, "epochs": epochs, "batch_rows": batch_rows,
                 "fit": "partial_fit"}, choice, shape, history=streamed.history,
            )  # fmt: skip
            fingerprint = data.fingerprint
            extra: dict[str, Any] = {"updates": int(result.model.n_batches_)}
            extra["epochs"] = len(result.history) if result.history is not None else 0
        else:
            assert not isinstance(source, CorpusDataset)
            corpus = source if isinstance(source, Corpus) else read_corpus(source)
            matrix = vectorizer.fit_transform(corpus, progress=progress)
            _check_shape(matrix.shape, top, echo)
            family, choice = _choose(family, backend, matrix, echo)
            model = ModelSpec.of(family, backend, max_iter, progress).build(n_topics, random_state)
            model.fit(matrix)
            trends = None
            if over_time is not None:
                trends = topics_over_time(
                    model, matrix, corpus, freq=over_time, random_state=random_state
                )
            texts = dict(zip(corpus.ids, corpus.texts, strict=True))
            result = TopicFit(
                model, vectorizer, model.top_terms(top), {**settings, "family": family}, choice,
                matrix.shape, doc_topics=model.doc_topics(matrix),
                info=topic_info(model, matrix, texts=texts, n=top), matrix=matrix,
                over_time=trends,
            )  # fmt: skip
            fingerprint = corpus.fingerprint()
            extra = {"over_time": None if trends is None else trends.change_test.to_dict()}
        if out is not None and target is not None:
            _save(result, out)
            outputs.manifest(
                target, "model", config=result.settings, fingerprint=fingerprint,
                inputs=inputs, random_state=random_state,
                extra={"shape": list(result.shape), "model_choice": choice, **extra},
            )  # fmt: skip
    return result


def _save(result: TopicFit, out: Path) -> None:
    """Write a fit's files into ``out`` (the staged output folder)."""
    result.model.save(out)
    result.vectorizer.save(out / "vectorizer.json")
    write_csv(result.top_terms, out / "top_terms.csv")
    if result.doc_topics is not None:
        result.doc_topics.to_parquet(out / "doc_topics.parquet", index=False)
    if result.info is not None:
        write_csv(result.info, out / "topic_info.csv")
    if result.history is not None:
        write_csv(result.history, out / "history.csv")
    if result.over_time is not None:
        result.over_time.save(out)
