"""Where things live: the project checkout, its data, and the shared corpora beside it.

The shared corpora (``../shared`` next to a checkout) are never copied into the project. Users
point the package at their own copy with the ``TOPICS_SHARED`` environment variable.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["data_dir", "project_root", "shared_dir", "shared_path"]

SHARED_ENV = "TOPICS_SHARED"


def project_root() -> Path:
    """Return the root of the source checkout (the folder holding ``topics/``)."""
    return Path(__file__).resolve().parent.parent


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
