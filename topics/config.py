"""Reading TOML configuration files with errors that name the file."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .errors import ConfigError

__all__ = ["check_keys", "read_toml"]


def read_toml(path: str | Path, what: str = "configuration file") -> dict[str, Any]:
    """Parse a TOML file; a file that cannot be read or parsed is one :class:`ConfigError`.

    A missing file, a folder, a file without read permission, bytes that are not UTF-8
    (TOML is UTF-8) and nesting too deep to parse each give a message naming the file.
    """
    path = Path(path)
    if path.is_dir():
        raise ConfigError(f"the {what} {path} is a folder; give the path of a .toml file")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"no {what} at {path}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"the {what} {path} is not UTF-8 text (byte {exc.start}); TOML files must be "
            "saved as UTF-8"
        ) from exc
    except OSError as exc:
        raise ConfigError(f"cannot read the {what} {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    except RecursionError as exc:
        raise ConfigError(f"{path} is nested too deeply to be a {what}") from exc


def check_keys(table: Mapping[str, Any], known: Iterable[str], where: str) -> None:
    """Raise :class:`ConfigError` naming the first key of ``table`` not in ``known``."""
    allowed = sorted(known)
    for key in table:
        if key not in allowed:
            raise ConfigError(f"{where}: unknown key {key!r}; expected one of {allowed}")
