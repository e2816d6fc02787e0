"""One family of errors and warnings for everything the package reports to a user.

Every message names the file, row or field at fault and, where there is one, the fix.
Library code raises these instead of bare ``ValueError``/``KeyError`` so that callers (and the
command line) can tell a problem with the *input* from a bug in the package.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "IngestWarning",
    "InputError",
    "PersistenceError",
    "TopicsError",
    "TopicsWarning",
    "UnsafeOutputError",
]


class TopicsError(Exception):
    """Base class of every error the package raises on purpose."""


class InputError(TopicsError, ValueError):
    """Input data cannot be used as given: a missing path, column, duplicate id, bad bytes."""


class ConfigError(TopicsError, ValueError):
    """A parameter or configuration value is invalid."""


class PersistenceError(TopicsError, OSError):
    """A saved artefact is missing, truncated, corrupt or of an unsupported version."""


class UnsafeOutputError(PersistenceError):
    """An output path would destroy something the user owns (see :mod:`topics.files`)."""


class TopicsWarning(UserWarning):
    """Base class of the package's warnings."""


class IngestWarning(TopicsWarning):
    """Something in the input was repaired or guessed (encoding, date) and the result kept."""
