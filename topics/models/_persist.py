"""Topic models on disk: ``model.npz`` (arrays) + ``model.json`` (parameters), never pickle.

:func:`load_model` trusts nothing in the files. In order:

* ``model.json`` is at most :data:`MAX_JSON_BYTES` and nested at most :data:`MAX_JSON_DEPTH`
  deep; it names a known class, a positive number of topics ``K`` and of terms ``V``;
* ``model.npz`` is read with ``allow_pickle=False``, and only the arrays a model of that class
  has (extra arrays are never decompressed); each array's decompressed size is checked from the
  archive's directory *before* it is read, against what ``K`` and ``V`` allow;
* every array has its declared shape (``topic_word`` K × V, ``vocabulary`` V, …), and every
  number is finite and non-negative;
* the parameters pass the class's declared constraints (``n_topics`` ≥ 1 …).

Each failure is one :class:`~topics.errors.PersistenceError` naming the file and the field.
"""

from __future__ import annotations

import io
import json
import math
import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.utils.validation import check_is_fitted

from ..errors import ConfigError, PersistenceError
from ..manifest import atomic_write_bytes, atomic_write_text, dumps, package_versions
from ..text.vectorizer import vocabulary_hash
from ._base import MODELS, TopicModel

__all__ = ["MAX_JSON_BYTES", "MAX_JSON_DEPTH", "load_model", "save_model"]

FORMAT_VERSION = 1
#: Largest ``model.json`` read (parameters and a few fitted numbers: kilobytes in practice).
MAX_JSON_BYTES = 16 << 20
#: Deepest nesting of ``model.json`` (a saved model nests four levels).
MAX_JSON_DEPTH = 32
#: Longest term, in characters, a saved vocabulary may hold (NumPy stores ``<U{n}``).
MAX_TERM_CHARS = 1024
#: Fitted attributes a model may carry in ``model.json`` when present: the theme names and seed
#: mass :func:`topics.themes.seeded_model` sets, and how many mini-batch updates and documents
#: a ``partial_fit`` saw.
OPTIONAL_JSON = ("topic_names_", "seed_mass_", "n_batches_", "n_documents_seen_")
_REQUIRED_KEYS = ("class", "params", "n_topics", "n_features", "vocabulary_sha256")
_HEADER = 4096  # bytes of an .npy header, generously


def save_model(model: TopicModel, directory: str | os.PathLike[str]) -> Path:
    """Save ``model`` to ``directory/model.npz`` + ``directory/model.json``."""
    check_is_fitted(model, "topic_word_")
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, npt.NDArray[Any]] = {
        "topic_word": model.topic_word_,
        "term_frequency": np.asarray(model.term_frequency_, dtype=np.float64),
        "vocabulary": np.asarray(model.vocabulary_, dtype=str),
    }
    for name in model._array_shapes:
        arrays[name] = np.asarray(getattr(model, name))
    for key, value in model.get_params(deep=False).items():
        if isinstance(value, np.ndarray):
            arrays[f"param__{key}"] = value
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
    atomic_write_bytes(folder / "model.npz", buffer.getvalue())
    meta = {
        "format": "topics.TopicModel",
        "format_version": FORMAT_VERSION,
        "class": type(model).__name__,
        "family": model.family,
        "params": model._json_params(),
        "n_topics": int(model.topic_word_.shape[0]),
        "n_features": int(model.topic_word_.shape[1]),
        "vocabulary_sha256": vocabulary_hash(model.vocabulary_),
        "data_fingerprint": model.data_fingerprint_,
        "random_state": model.get_params().get("random_state"),
        "attributes": {
            name: getattr(model, name)
            for name in (*model._json_attributes, *OPTIONAL_JSON)
            if hasattr(model, name)
        },
        "versions": package_versions(["tomotopy"]),
    }
    atomic_write_text(folder / "model.json", dumps(meta))
    return folder


def load_model(directory: str | os.PathLike[str]) -> TopicModel:
    """Load a model saved with :meth:`TopicModel.save`, checking every field (module docstring)."""
    folder = Path(directory)
    meta = _read_meta(folder / "model.json")
    cls = _model_class(meta, folder)
    k, v = meta["n_topics"], meta["n_features"]
    param_names = set(cls().get_params(deep=False))
    shapes: dict[str, tuple[str, ...]] = {
        "topic_word": ("K", "V"),
        "term_frequency": ("V",),
        "vocabulary": ("V",),
        **cls._array_shapes,
    }
    arrays = _read_arrays(folder / "model.npz", shapes, param_names, k, v)
    for name, dims in shapes.items():
        if name not in arrays:
            raise PersistenceError(f"{folder / 'model.npz'} lacks array {name!r}")
        _check_array(folder / "model.npz", name, arrays[name], dims, k, v)
    params = dict(meta["params"])
    unknown = sorted(set(params) - param_names)
    if unknown:
        raise PersistenceError(
            f"{folder / 'model.json'}: params.{unknown[0]} is not a parameter of {cls.__name__}"
        )
    for key, array in arrays.items():
        if key.startswith("param__"):
            if array.dtype.kind in "fc" and not np.all(np.isfinite(array)):
                raise PersistenceError(
                    f"{folder / 'model.npz'}: parameter array {key!r} holds NaN or infinite values"
                )
            params[key.removeprefix("param__")] = array
    model = cls(**params)
    try:
        model._validate_constraints()
        model._check_params()
    except (ConfigError, ValueError, TypeError) as exc:
        raise PersistenceError(f"{folder / 'model.json'}: params: {exc}") from None
    model.topic_word_ = np.asarray(arrays["topic_word"], dtype=np.float64)
    model.vocabulary_ = tuple(str(t) for t in arrays["vocabulary"])
    model.term_frequency_ = np.asarray(arrays["term_frequency"], dtype=np.float64)
    for name in cls._array_shapes:
        setattr(model, name, arrays[name])
    for name, value in dict(meta.get("attributes", {})).items():
        if name in (*cls._json_attributes, *OPTIONAL_JSON):
            setattr(model, name, value)
    names = getattr(model, "topic_names_", None)
    if names is not None and (
        not isinstance(names, list) or len(names) > k or not all(isinstance(n, str) for n in names)
    ):
        raise PersistenceError(
            f"{folder / 'model.json'}: attributes.topic_names_ must be at most {k} names"
        )
    if vocabulary_hash(model.vocabulary_) != meta["vocabulary_sha256"]:
        raise PersistenceError(f"{folder}: vocabulary does not match the manifest's hash")
    model.n_features_in_ = v
    model.data_fingerprint_ = str(meta.get("data_fingerprint") or "")
    return model


def _depth(value: Any) -> int:
    """Nesting depth of a JSON value, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(item, dict):
            stack.extend((x, level + 1) for x in item.values())
        elif isinstance(item, list):
            stack.extend((x, level + 1) for x in item)
    return deepest


def _read_meta(path: Path) -> dict[str, Any]:
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise PersistenceError(f"no model.json in {path.parent}") from exc
    if size > MAX_JSON_BYTES:
        raise PersistenceError(
            f"{path} is {size:,} bytes; a model's JSON is at most {MAX_JSON_BYTES:,}"
        )
    too_deep = f"{path} is nested deeper than a model's JSON can be (at most {MAX_JSON_DEPTH})"
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PersistenceError(f"{path} is not valid JSON: {exc}") from exc
    except RecursionError:
        raise PersistenceError(too_deep) from None
    if _depth(meta) > MAX_JSON_DEPTH:
        raise PersistenceError(too_deep)
    if not isinstance(meta, dict) or meta.get("format") != "topics.TopicModel":
        raise PersistenceError(f"{path} does not describe a topics model")
    if meta.get("format_version") != FORMAT_VERSION:
        raise PersistenceError(
            f"{path.parent} holds model format {meta.get('format_version')}; this version of "
            f"the package reads format {FORMAT_VERSION}"
        )
    lacking = [k for k in _REQUIRED_KEYS if k not in meta]
    if lacking:
        raise PersistenceError(
            f"{path} lacks {', '.join(lacking)}: it was not written by `TopicModel.save`, or "
            "was edited; save the model again"
        )
    if not isinstance(meta["params"], dict):
        raise PersistenceError(f"{path}: 'params' must be a JSON object")
    if not isinstance(meta.get("attributes", {}), dict):
        raise PersistenceError(f"{path}: 'attributes' must be a JSON object")
    for key in ("n_topics", "n_features"):
        value = meta[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise PersistenceError(f"{path}: {key} must be a positive integer, got {value!r}")
    return meta


def _limit(name: str, dims: tuple[str, ...], k: int, v: int) -> int:
    """Largest decompressed size an array of ``dims`` may have, in bytes."""
    count = math.prod({"K": k, "V": v}[dim] for dim in dims)
    width = 4 * MAX_TERM_CHARS if name == "vocabulary" else 8
    return _HEADER + count * width


def _read_arrays(
    path: Path, shapes: dict[str, tuple[str, ...]], params: set[str], k: int, v: int
) -> dict[str, npt.NDArray[Any]]:
    """Read the expected arrays of ``path``, each only after its size passed its bound."""
    wanted = {*shapes, *(f"param__{p}" for p in params)}
    bounds = {name: _limit(name, dims, k, v) for name, dims in shapes.items()}
    try:
        with np.load(path, allow_pickle=False) as archive:
            infos = {info.filename.removesuffix(".npy"): info for info in archive.zip.infolist()}
            arrays = {}
            for name in sorted(wanted & set(infos)):
                limit = bounds.get(name, _HEADER + 8 * k * v)  # a parameter: at most K × V
                if infos[name].file_size > limit:
                    raise PersistenceError(
                        f"{path}: array {name!r} expands to {infos[name].file_size:,} bytes, "
                        f"more than a model of {k} topics × {v} terms can hold ({limit:,})"
                    )
                arrays[name] = archive[name]
    except FileNotFoundError as exc:
        raise PersistenceError(f"no model.npz in {path.parent}") from exc
    except PersistenceError:
        raise
    except (zipfile.BadZipFile, EOFError, ValueError, OSError, KeyError) as exc:
        raise PersistenceError(f"{path} is corrupt or truncated: {exc}") from exc
    return arrays


def _check_array(
    path: Path, name: str, array: npt.NDArray[Any], dims: tuple[str, ...], k: int, v: int
) -> None:
    expected = tuple({"K": k, "V": v}[d] for d in dims)
    if array.shape != expected:
        raise PersistenceError(
            f"{path}: array {name!r} has shape {array.shape}, expected {expected} "
            f"({' × '.join(dims)} for {k} topics and {v} terms)"
        )
    if name == "vocabulary":
        if array.dtype.kind != "U":
            raise PersistenceError(f"{path}: array 'vocabulary' must hold strings")
        return
    if array.dtype.kind not in "fiu":
        raise PersistenceError(f"{path}: array {name!r} must hold numbers, got {array.dtype}")
    if not np.all(np.isfinite(array)):
        raise PersistenceError(f"{path}: array {name!r} holds NaN or infinite values")
    if np.any(array < 0):
        raise PersistenceError(f"{path}: array {name!r} holds negative values")


def _model_class(meta: dict[str, Any], folder: Path) -> type[TopicModel]:
    """Return the class a saved model names (its family; or, for older files, its class)."""
    family = meta.get("family")
    if isinstance(family, str) and family in MODELS:
        return MODELS.get(family)
    for name in MODELS:
        if MODELS.get(name).__name__ == meta.get("class"):
            return MODELS.get(name)
    raise PersistenceError(f"{folder}: unknown model class {meta.get('class')!r}")
