"""Reading TOML configuration files with errors that name the file."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from .errors import ConfigError

__all__ = ["read_toml"]


def read_toml(path: str | Path, what: str = "configuration file") -> dict[str, Any]:
    """Parse a TOML file; a missing or malformed file is a :class:`ConfigError` naming it."""
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"no {what} at {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
