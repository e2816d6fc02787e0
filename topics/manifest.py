"""Provenance for every saved artefact: fingerprints, package versions and JSON manifests.

A manifest is a JSON file written beside an artefact (``corpus.parquet`` →
``corpus.manifest.json``). It holds no timestamps so that rerunning the same work with the
same inputs writes a byte-identical manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from .errors import PersistenceError

__all__ = [
    "atomic_write_bytes",
    "atomic_write_text",
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
)


def file_sha256(path: str | os.PathLike[str], chunk: int = 1 << 20) -> str:
    """Return the hex SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def text_fingerprint(items: Iterable[str]) -> str:
    """Return an order-sensitive SHA-256 over a sequence of strings.

    Each item is length-prefixed so that ``["ab", "c"]`` and ``["a", "bc"]`` differ.
    """
    digest = hashlib.sha256()
    for item in items:
        data = item.encode("utf-8", "surrogatepass")
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


def manifest_path(artefact: str | os.PathLike[str]) -> Path:
    """Return the manifest path beside an artefact: ``x.parquet`` → ``x.manifest.json``."""
    path = Path(artefact)
    if path.is_dir():
        return path / "manifest.json"
    name = path.name.split(".", 1)[0] if not path.name.startswith(".") else path.name
    return path.with_name(f"{name}.manifest.json")


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


def _umask() -> int:
    """Return the process umask (reading it requires setting it; it is restored at once)."""
    current = os.umask(0o022)
    os.umask(current)
    return current


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write bytes to ``path`` via a temporary file and rename, so readers never see half a file.

    The file gets the permissions an ordinary ``open(path, "w")`` would give (0o666 minus the
    umask), not the owner-only mode of a temporary file.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write UTF-8 text atomically (see :func:`atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def write_manifest(
    artefact: str | os.PathLike[str],
    kind: str,
    *,
    config: Mapping[str, Any],
    fingerprint: str | None = None,
    inputs: Iterable[str | os.PathLike[str]] = (),
    seed: int | None = None,
    extra: Mapping[str, Any] | None = None,
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
    seed
        The random seed used, if any.
    extra
        Further JSON-serialisable fields (counts, summaries).

    """
    payload: dict[str, Any] = {
        "manifest_version": MANIFEST_VERSION,
        "kind": kind,
        "artefact": Path(artefact).name,
        "config": dict(config),
        "data_fingerprint": fingerprint,
        "inputs": [
            {"path": Path(p).as_posix(), "sha256": file_sha256(p)}
            for p in inputs
            if Path(p).is_file()
        ],
        "seed": seed,
        "versions": package_versions(),
    }
    if extra:
        payload.update(extra)
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
