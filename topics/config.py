"""Reading configuration: TOML files and typed settings, with errors that name the field.

:func:`settings_from` builds any settings dataclass from a plain mapping (a TOML table, CLI
options): unknown keys are errors, and every value is checked against the field's annotation —
a ``Literal`` gives the allowed values, so they are written once, in the type.
"""

from __future__ import annotations

import dataclasses
import tomllib
import types
import typing
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

from .errors import ConfigError

__all__ = ["allowed_values", "check_keys", "read_toml", "renamed", "settings_from"]

S = TypeVar("S")


def renamed(
    values: Mapping[str, Any], names: Mapping[str, str], where: str, prefix: str = ""
) -> dict[str, Any]:
    """Return ``values`` with each old key (``names``: old → new) under its new name.

    An old name is read for one more release, with a :class:`DeprecationWarning`; giving both
    is a :class:`ConfigError`. Messages name ``where`` and the keys as ``prefix + key``.
    """
    out = dict(values)
    for old, new in names.items():
        if old in out:
            was, now = prefix + old, prefix + new
            if new in out:
                raise ConfigError(f"{where}: give {now} only, not also {was}")
            warnings.warn(
                f"{where}: {was} is now called {now}; {was} is read until the next release",
                DeprecationWarning,
                stacklevel=3,
            )
            out[new] = out.pop(old)
    return out


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


def allowed_values(annotation: Any) -> tuple[object, ...] | None:
    """Return the values a ``Literal`` annotation allows (``None`` for other annotations).

    >>> allowed_values(Literal["a", "b"])
    ('a', 'b')
    """
    return tuple(get_args(annotation)) if get_origin(annotation) is Literal else None


def _accepts(annotation: Any, value: object) -> bool:
    origin = get_origin(annotation)
    if annotation is Any:
        return True
    if origin is Literal:
        return value in get_args(annotation)
    if origin in (Union, types.UnionType):
        return any(_accepts(arm, value) for arm in get_args(annotation))
    if annotation is type(None):
        return value is None
    if annotation is bool:
        return isinstance(value, bool)
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if annotation is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if annotation is str:
        return isinstance(value, str)
    if origin in (tuple, list) or annotation in (tuple, list):
        arms = [a for a in get_args(annotation) if a is not Ellipsis]
        return (
            isinstance(value, list | tuple) and all(_accepts(arms[0], v) for v in value)
            if arms
            else isinstance(value, list | tuple)
        )
    if origin in (dict, Mapping) or annotation in (dict, Mapping) or origin is typing.Mapping:
        return isinstance(value, Mapping)
    if isinstance(annotation, type):
        return isinstance(value, annotation)
    return True


def _describe(annotation: Any) -> str:
    allowed = allowed_values(annotation)
    if allowed is not None:
        return "one of " + ", ".join(repr(a) for a in allowed)
    return getattr(annotation, "__name__", None) or str(annotation).replace("typing.", "")


def settings_from(
    cls: type[S],
    values: Mapping[str, Any],
    where: str,
    names: Mapping[str, str] | None = None,
) -> S:
    """Build the settings dataclass ``cls`` from ``values``, checking every key and value.

    Parameters
    ----------
    cls
        A dataclass whose fields are the settings (their defaults are the defaults).
    values
        The given settings (missing ones keep their defaults).
    where
        What to name in errors, e.g. ``"report.toml"``.
    names
        How to name a field in errors when it differs from the field (``"trends.alpha"``).

    """
    label = dict(names or {})
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(
            f"{where}: unknown setting {label.get(unknown[0], unknown[0])!r}; known: "
            f"{sorted(label.get(k, k) for k in known)}"
        )
    converted: dict[str, Any] = {}
    for key, value in values.items():
        annotation = hints[key]
        if not _accepts(annotation, value):
            raise ConfigError(
                f"{where}: {label.get(key, key)} must be {_describe(annotation)}, got {value!r}"
            )
        arms = [annotation, *get_args(annotation)]
        if isinstance(value, list) and any(get_origin(a) is tuple for a in arms):
            value = tuple(value)
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and float in arms
            and int not in arms
        ):
            value = float(value)
        converted[key] = value
    return cls(**converted)
