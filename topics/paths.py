"""Where things live: the project checkout, its data, and the shared corpora beside it.

The shared corpora (``../shared`` next to a checkout) are never copied into the project. Users
point the package at their own copy with the ``TOPICS_SHARED`` environment variable.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["data_dir", "locate", "output_dir", "project_root", "shared_dir", "shared_path"]

SHARED_ENV = "TOPICS_SHARED"


def project_root() -> Path:
    """Return the root of the source checkout (the folder holding ``topics/``)."""
    return Path(__file__).resolve().parent.parent


def _checkout() -> Path | None:
    root = project_root()
    return root if (root / "pyproject.toml").is_file() else None


def locate(path: str | os.PathLike[str]) -> Path:
    """Find an input a notebook or a config names, whatever the working directory.

    An absolute path is used as is; a relative one from the working directory when it exists
    there, else from the project checkout — so ``data/seeds`` works in a notebook opened from
    ``notebooks/`` as well as from the checkout. A path found nowhere is returned as given
    (the reader then names it in its error).
    """
    given = Path(path).expanduser()
    if given.is_absolute() or given.exists():
        return given
    root = _checkout()
    if root is not None and (root / given).exists():
        return root / given
    return given


def output_dir(path: str | os.PathLike[str]) -> Path:
    """Where to write an output a notebook names: a relative path is taken from the checkout.

    So a notebook run from ``notebooks/`` writes to the checkout's ``build/``, not to
    ``notebooks/build/``; outside a checkout, from the working directory.
    """
    given = Path(path).expanduser()
    root = _checkout()
    return given if given.is_absolute() or root is None else root / given


def data_dir() -> Path:
    """Return the shipped ``data/`` folder of the checkout."""
    return project_root() / "data"


def shared_dir() -> Path | None:
    """Return the shared data folder, or ``None`` when it is not available.

    ``$TOPICS_SHARED`` wins when set; otherwise ``../shared`` beside the checkout is used.
    """
    env = os.environ.get(SHARED_ENV)
    candidate = Path(env).expanduser() if env else project_root().parent / "shared"
    return candidate if candidate.is_dir() else None


def shared_path(*parts: str) -> Path | None:
    """Return a path inside the shared folder if it exists, else ``None``.

    Examples
    --------
    >>> p = shared_path("corpora", "ungd", "ungdc_2000_2024.jsonl.gz")
    >>> p is None or p.name.endswith(".jsonl.gz")
    True

    """
    root = shared_dir()
    if root is None:
        return None
    path = root.joinpath(*parts)
    return path if path.exists() else None
