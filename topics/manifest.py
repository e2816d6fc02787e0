"""Provenance for every saved artefact: fingerprints, package versions and JSON manifests.

A manifest is a JSON file written beside an artefact (``corpus.parquet`` →
``corpus.manifest.json``, ``trends.week.csv`` → ``trends.week.manifest.json``; the naming rule
and the staged, all-or-nothing writing live in :mod:`topics.outputs`). It holds no timestamps so
that rerunning the same work with the same inputs writes a byte-identical manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any, Required, TypedDict, Unpack

from .errors import PersistenceError
from .files import atomic_file, atomic_write_bytes, atomic_write_text, manifest_path

__all__ = [
    "ManifestFields",
    "atomic_file",
    "atomic_write_bytes",
    "atomic_write_text",
    "build_manifest",
    "file_sha256",
    "manifest_path",
    "package_versions",
    "read_manifest",
    "text_fingerprint",
    "write_manifest",
]

MANIFEST_VERSION = 1
_CORE_PACKAGES = (
    "topic-trends",
    "numpy",
    "scipy",
    "pandas",
    "pyarrow",
    "scikit-learn",
    "gensim",
    "matplotlib",
    "ftfy",
    "simplemma",
    "py3langid",
    "stop-words",
)


def file_sha256(path: str | os.PathLike[str], chunk: int = 1 << 20) -> str:
    """Return the hex SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def text_fingerprint(items: Iterable[str | bytes | memoryview]) -> str:
    """Return an order-sensitive SHA-256 over a sequence of strings.

    Each item is length-prefixed so that ``["ab", "c"]`` and ``["a", "bc"]`` differ. Items may
    also be their UTF-8 bytes already (e.g. an Arrow string's buffer, hashed without a copy).
    """
    digest = hashlib.sha256()
    for item in items:
        data = item.encode("utf-8", "surrogatepass") if isinstance(item, str) else item
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def package_versions(extra: Iterable[str] = ()) -> dict[str, str]:
    """Return installed versions of the packages that shape results (missing ones omitted)."""
    versions = {"python": platform.python_version()}
    for name in (*_CORE_PACKAGES, *extra):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def _json_default(value: Any) -> Any:
    if isinstance(value, Path):
        return value.as_posix()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot store {type(value).__name__} in a JSON manifest")


def dumps(payload: Mapping[str, Any]) -> str:
    """Serialise to canonical JSON: sorted keys, two-space indent, trailing newline."""
    return (
        json.dumps(payload, sort_keys=True, indent=2, ensure_ascii=False, default=_json_default)
        + "\n"
    )


def _input_entry(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """Record one input file with its SHA-256; an unreadable one with the reason instead."""
    p = Path(path)
    if not p.is_file():
        return None
    try:
        return {"path": p.as_posix(), "sha256": file_sha256(p)}
    except OSError as exc:
        return {"path": p.as_posix(), "sha256": None, "error": exc.strerror or str(exc)}


class ManifestFields(TypedDict, total=False):
    """The keywords of :func:`build_manifest` after the artefact and its kind.

    :func:`write_manifest` and :meth:`topics.outputs.Outputs.manifest` pass them on; see
    :func:`write_manifest` for each.
    """

    config: Required[Mapping[str, Any]]
    fingerprint: str | None
    inputs: Iterable[str | os.PathLike[str]]
    random_state: int | None
    extra: Mapping[str, Any] | None


def build_manifest(
    artefact: str | os.PathLike[str],
    kind: str,
    *,
    config: Mapping[str, Any],
    fingerprint: str | None = None,
    inputs: Iterable[str | os.PathLike[str]] = (),
    random_state: int | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Return the manifest of ``artefact`` as a dict (see :func:`write_manifest`).

    Inputs that are not regular files are left out; an input that cannot be read is recorded
    with ``sha256: null`` and the reason.
    """
    entries = [_input_entry(p) for p in inputs]
    payload: dict[str, Any] = {
        "manifest_version": MANIFEST_VERSION,
        "kind": kind,
        "artefact": Path(artefact).name,
        "config": dict(config),
        "data_fingerprint": fingerprint,
        "inputs": [entry for entry in entries if entry is not None],
        "random_state": random_state,
        "versions": package_versions(),
    }
    if extra:
        payload.update(extra)
    return payload


def write_manifest(
    artefact: str | os.PathLike[str], kind: str, **fields: Unpack[ManifestFields]
) -> Path:
    """Write the JSON manifest beside ``artefact`` and return its path.

    Parameters
    ----------
    artefact
        The saved file or folder the manifest describes.
    kind
        What the artefact is (``"corpus"``, ``"model"``, ``"figure"`` …).
    config
        The settings that produced it; must be JSON-serialisable.
    fingerprint
        A content fingerprint of the data the artefact was made from.
    inputs
        Input files; each is recorded with its SHA-256.
    random_state
        The random seed used, if any.
    extra
        Further JSON-serialisable fields (counts, summaries).

    """
    payload = build_manifest(artefact, kind, **fields)
    path = manifest_path(artefact)
    atomic_write_text(path, dumps(payload))
    return path


def read_manifest(artefact: str | os.PathLike[str]) -> dict[str, Any]:
    """Read the manifest beside ``artefact``."""
    path = manifest_path(artefact)
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PersistenceError(f"no manifest beside {artefact}: expected {path}") from exc
    except json.JSONDecodeError as exc:
        raise PersistenceError(f"manifest {path} is not valid JSON: {exc}") from exc
    if not isinstance(loaded, dict):
        raise PersistenceError(f"manifest {path} must hold a JSON object")
    return loaded
