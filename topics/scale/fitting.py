"""Topic models fitted on chunks: ``partial_fit`` updates from statistics computed on workers.

An epoch is one pass over the corpus in *batches* of at most ``batch_rows`` documents (slices of
the chunk matrices), in an order that depends only on ``random_state`` and the epoch. Batches
are taken ``batches_per_update`` at a time: the workers compute each batch's statistics under
the current topics (:meth:`~topics.models.TopicModel.batch_statistics`) — two batches a task,
summed there, each task sent only the state statistics need — and the tasks' sums are added up
in order and applied in one update (:meth:`~topics.models.TopicModel.apply_statistics`), on a
worker: an epoch runs as one chain of tasks that this process only submits and reads the losses
of. The grouping is fixed, so the result does not depend on how many workers there are — only
on the data, the settings and the seed.

The topics start from a sample of ``start_rows`` documents drawn at random (by the seed) from
the whole dataset, so that the start sees every period and source rather than the first chunk.
Epochs stop when the loss (NMF's squared error, summed over the epoch's batches) improves by less
than ``tol`` relatively, or after ``epochs``.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp

from .. import defaults
from ..errors import ConfigError
from ..models import MODELS, TopicModel
from ..progress import stepper
from ..text.vectorizer import DocTermMatrix
from .engine import Engine
from .vocabulary import ChunkMatrices, load_matrix, load_rows

__all__ = ["StreamingFit", "fit_dataset", "transform_dataset"]

_Batch = tuple[Path, int, int]
_PER_TASK = 2  # batches per task: fewer, larger tasks per update (a fixed grouping, so the
# sums — and the result — still do not depend on the number of workers)


@dataclass(frozen=True)
class StreamingFit:
    """What :func:`fit_dataset` returns.

    Attributes
    ----------
    model
        The fitted topic model (``n_batches_`` updates).
    matrices
        The chunk matrices it was fitted on (with the fitted vectoriser).
    history
        ``epoch, loss, updates, seconds``: one row per epoch.

    """

    model: TopicModel
    matrices: ChunkMatrices
    history: pd.DataFrame


def _batches(matrices: ChunkMatrices, batch_rows: int) -> list[_Batch]:
    return [
        (matrices.path(i), start, min(start + batch_rows, rows))
        for i, rows in enumerate(matrices.rows)
        for start in range(0, rows, batch_rows)
    ]


def _load(batch: _Batch, vocabulary: tuple[str, ...]) -> Any:
    path, start, stop = batch
    return load_rows(path, vocabulary, start, stop)


def _rows(
    job: tuple[Path, npt.NDArray[np.int64]], vocabulary: tuple[str, ...]
) -> tuple[sp.csr_matrix, tuple[str, ...]]:
    """Load some rows of one chunk's matrix (runs on a worker).

    Returns the counts and ids only: a :class:`DocTermMatrix` would carry the vocabulary back
    to the driver once per chunk (a copy per chunk, ~200 MB for 60 chunks of UN paragraphs).
    """
    path, rows = job
    part = load_matrix(path, vocabulary).select(rows)
    return part.counts, part.doc_ids


def _start_sample(
    matrices: ChunkMatrices, rows: int, random_state: int, engine: Engine
) -> DocTermMatrix:
    """``rows`` documents drawn without replacement from the whole dataset, in dataset order."""
    chosen = np.random.default_rng([random_state, 0x5A]).choice(
        matrices.n_docs, size=min(rows, matrices.n_docs), replace=False
    )
    chosen.sort()
    offsets = np.concatenate([[0], np.cumsum(matrices.rows)])
    chunk = np.searchsorted(offsets, chosen, side="right") - 1
    jobs = [
        (matrices.path(i), (chosen[chunk == i] - offsets[i]).astype(np.int64))
        for i in np.unique(chunk)
    ]
    vocabulary = matrices.vectorizer.vocabulary_
    parts = list(engine.map(_rows, jobs, engine.share(vocabulary), desc="start sample"))
    return DocTermMatrix(
        sp.vstack([counts for counts, _ in parts]).tocsr(),
        vocabulary,
        tuple(d for _, ids in parts for d in ids),
    )


def _view(state: tuple[TopicModel, float]) -> Any:
    """Return what the statistics tasks need of the model (a worker)."""
    view = getattr(state[0], "statistics_view", None)  # a plug-in may lack it
    return view() if view is not None else state[0]


def _apply(state: tuple[TopicModel, float], *stats: Any) -> tuple[TopicModel, float]:
    """Add the tasks' statistics in order and apply them to a copy of the model (a worker).

    ``apply_statistics`` replaces the model's arrays rather than writing into them, so a
    shallow copy leaves the previous state — another task's input — as it was.
    """
    model = copy.copy(state[0])
    total = stats[0]
    for part in stats[1:]:
        total = total + part
    model.apply_statistics(total)
    return model, float(total.loss)


def _loss(state: tuple[TopicModel, float]) -> float:
    return state[1]


def _statistics(group: tuple[_Batch, ...], model: TopicModel, vocabulary: tuple[str, ...]) -> Any:
    """Return some batches' statistics under ``model``'s topics, summed in order (a worker)."""
    total = model.batch_statistics(_load(group[0], vocabulary))
    for batch in group[1:]:
        total = total + model.batch_statistics(_load(batch, vocabulary))
    return total


def fit_dataset(
    matrices: ChunkMatrices,
    model: TopicModel | str = "nmf",
    *,
    n_topics: int = 10,
    engine: Engine,
    epochs: int = defaults.EPOCHS,
    batch_rows: int = defaults.BATCH_ROWS,
    batches_per_update: int = defaults.BATCHES_PER_UPDATE,
    tol: float = defaults.EPOCH_TOL,
    start_rows: int = defaults.START_ROWS,
    random_state: int = defaults.SEED,
    progress: bool | None = None,
) -> StreamingFit:
    """Fit a topic model on chunk matrices with ``partial_fit`` (see the module docstring).

    Parameters
    ----------
    matrices
        From :func:`topics.scale.vectorize_dataset`.
    model
        An unfitted model that supports ``partial_fit`` (:class:`~topics.models.NMF`, either
        loss, or :class:`~topics.models.LDA`), or a family name (``"nmf"``, ``"lda"``) fitted
        with ``n_topics`` topics and ``random_state``.
    n_topics
        Topics of a model named by family.
    engine
        Where the batch statistics are computed.
    epochs, tol
        Most passes over the corpus, and the relative loss improvement below which to stop
        (NMF; online LDA reports no loss, so it runs all ``epochs``).
    batch_rows, batches_per_update
        Documents per batch; batches whose statistics are summed into one update.
    start_rows
        Documents drawn at random from the whole dataset (by the seed) whose ``partial_fit``
        starts the topics.
    random_state
        Seed of the start sample, of the batch order (and of a model named by family).
    progress
        Show a bar over the updates.

    """
    if batch_rows < 1 or batches_per_update < 1 or epochs < 1 or start_rows < 1:
        raise ConfigError("batch_rows, batches_per_update, epochs and start_rows must be 1 or more")
    if matrices.n_docs == 0:
        raise ConfigError("the dataset has no documents to fit a model on")
    estimator = (
        MODELS.get(model)(n_topics, random_state=random_state) if isinstance(model, str) else model
    )
    if not hasattr(estimator, "partial_fit"):
        raise ConfigError(
            f"{type(estimator).__name__} cannot be fitted chunk by chunk (no partial_fit); "
            "use NMF or LDA on a dataset, or fit it on a corpus that fits in memory"
        )
    vocabulary = matrices.vectorizer.vocabulary_
    batches = _batches(matrices, batch_rows)
    start = time.perf_counter()
    estimator.partial_fit(
        _start_sample(matrices, start_rows, random_state, engine),
        n_documents=matrices.n_docs,
        document_frequency=matrices.document_frequency,
    )
    shared_vocabulary = engine.share(vocabulary)
    rows: list[dict[str, Any]] = []
    previous = np.inf
    rounds = -(-len(batches) // batches_per_update)
    # An epoch is submitted as one chain of tasks — view → statistics → update → view … — so
    # the model goes from worker to worker and never back here between updates (a round trip
    # through this process per update held two workers at 0.8× one; see benchmarks/scale.py).
    state = engine.put((estimator, 0.0))
    with stepper(epochs * rounds, desc="fitting", enabled=progress) as advance:
        for epoch in range(epochs):
            order = np.random.default_rng([random_state, epoch]).permutation(len(batches))
            losses = []
            for first in range(0, len(order), batches_per_update):
                chosen = [batches[i] for i in order[first : first + batches_per_update]]
                groups = [
                    tuple(chosen[g : g + _PER_TASK]) for g in range(0, len(chosen), _PER_TASK)
                ]
                view = engine.submit(_view, state)
                stats = [engine.submit(_statistics, g, view, shared_vocabulary) for g in groups]
                state = engine.submit(_apply, state, *stats)
                losses.append(engine.submit(_loss, state))
            loss, updates = 0.0, 0
            for future in losses:  # in order: the same sum on every run
                loss += engine.result(future)
                updates += 1
                advance(epoch * rounds + updates)
            rows.append(
                {"epoch": epoch + 1, "loss": loss, "updates": updates,
                 "seconds": round(time.perf_counter() - start, 3)}
            )  # fmt: skip
            if previous < np.inf and previous > 0 and (previous - loss) / previous < tol:
                break
            previous = loss
    estimator.__dict__.update(engine.result(state)[0].__dict__)  # fitted in place, as given
    return StreamingFit(estimator, matrices, pd.DataFrame(rows))


def _transform(job: tuple[Path, Path], model: TopicModel, vocabulary: tuple[str, ...]) -> Path:
    """Write one chunk's ``doc_id, topic, share`` as Parquet (runs on a worker)."""
    source, target = job
    model.doc_topics(load_matrix(source, vocabulary)).to_parquet(target, index=False)
    return target


def transform_dataset(
    matrices: ChunkMatrices,
    model: TopicModel,
    folder: str | Path,
    *,
    engine: Engine,
) -> list[Path]:
    """Write every chunk's document–topic shares (``doc_id, topic, share``) as Parquet.

    ``folder`` gets one ``doc_topics-NNNNNN.parquet`` per chunk; returns their paths in order.
    """
    out = Path(folder).absolute()  # workers may run in another directory
    out.mkdir(parents=True, exist_ok=True)
    jobs = [(matrices.path(i), out / f"doc_topics-{i:06d}.parquet") for i in range(len(matrices))]
    shared = engine.share(model)
    vocabulary = engine.share(matrices.vectorizer.vocabulary_)
    return list(engine.map(_transform, jobs, shared, vocabulary, desc="document topics"))
