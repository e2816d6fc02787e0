"""The settings of trends and of the change test, each field declared and checked once.

:class:`TrendSettings` holds what every interval depends on — the periods, how documents are
weighted, the bootstrap — and :class:`ChangeSettings` the change test's own fields plus the
bootstrap that dates its intervals. :class:`topics.themes.ThemeSettings` composes both with the
measure's settings; the command line, the report TOML and the library build them alike through
``from_mapping``, and every manifest writes ``to_dict()`` under these names.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from .. import defaults
from ..config import settings_from
from ..defaults import CORRECTIONS, WEIGHTINGS, Correction, Frequency, WeekStart, Weighting
from ..errors import ConfigError
from ..limits import MAX_BOOT, MAX_PERM, check_count, check_seed

__all__ = ["ChangeSettings", "TrendSettings"]

S = TypeVar("S", bound="_Settings")


def _inside(value: float, name: str) -> None:
    if not 0 < value < 1:
        raise ConfigError(f"{name} must be in (0, 1), got {value}")


def _weighting(value: str) -> None:
    if value not in WEIGHTINGS:
        raise ConfigError(f"weighting must be one of {list(WEIGHTINGS)}, got {value!r}")


class _Settings:
    """What both settings classes share: building from a mapping, JSON values, replacing."""

    def validate(self) -> None:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    @classmethod
    def from_mapping(
        cls: type[S],
        values: Mapping[str, Any],
        where: str = "settings",
        names: Mapping[str, str] | None = None,
    ) -> S:
        """Build from a plain mapping (a TOML table, options); errors name ``where`` and the key.

        ``names`` says how the caller spells a field, e.g. ``{"n_boot": "--boot"}`` on the
        command line or ``{"freq": "periods.freq"}`` in a TOML file; errors use that spelling,
        so each value is checked once, here, and still named as the user wrote it.
        """
        settings = settings_from(cls, values, where, names)
        try:
            settings.validate()
        except ConfigError as exc:
            field, _, rest = str(exc).partition(" ")
            label = (names or {}).get(field)
            raise ConfigError(f"{where}: {exc if label is None else f'{label} {rest}'}") from None
        return settings

    def to_dict(self) -> dict[str, Any]:
        """Return the settings as JSON values, under the names the manifests use."""
        return dict(dataclasses.asdict(self))  # type: ignore[call-overload]

    @classmethod
    def pick(cls: type[S], values: Mapping[str, Any]) -> S:
        """Build from those of ``values`` that are fields of this class (others ignored)."""
        known = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: v for k, v in values.items() if k in known})


@dataclass(frozen=True)
class TrendSettings(_Settings):
    """Periods, weighting and the bootstrap behind every trend's interval.

    Parameters
    ----------
    freq, week_start
        Period length; weeks start on ``week_start`` (ISO: Monday).
    weighting
        ``"documents"`` (each document counts once) or ``"tokens"``.
    n_boot, level
        Bayesian-bootstrap draws over units and the interval level.
    min_docs
        Periods with fewer units are flagged ``few_docs``.
    random_state
        Seed of the bootstrap.

    """

    freq: Frequency = defaults.FREQ  # type: ignore[assignment]
    week_start: WeekStart = defaults.WEEK_START  # type: ignore[assignment]
    weighting: Weighting = defaults.WEIGHTING  # type: ignore[assignment]
    n_boot: int = defaults.N_BOOT
    level: float = defaults.LEVEL
    min_docs: int = defaults.MIN_DOCS
    random_state: int = defaults.SEED

    def validate(self) -> None:
        """Raise :class:`~topics.errors.ConfigError` naming the first invalid field."""
        from ..corpus.periods import period_code

        period_code(self.freq, self.week_start)
        _weighting(self.weighting)
        check_count(self.n_boot, "n_boot", most=MAX_BOOT)
        _inside(self.level, "level")
        check_count(self.min_docs, "min_docs", least=0)
        check_seed(self.random_state)


@dataclass(frozen=True)
class ChangeSettings(_Settings):
    """Settings of :func:`~topics.trends.detect_changes` (kept with every result and manifest).

    ``alpha``, ``correction``, ``n_perm``, ``min_size`` (units a segment needs) and
    ``max_changes`` are the test's own; ``n_boot``, ``level``, ``weighting`` and
    ``random_state`` are the bootstrap that gives the changes their intervals and dates, shared
    with :class:`TrendSettings`.
    """

    alpha: float = defaults.ALPHA
    correction: Correction = defaults.CORRECTION  # type: ignore[assignment]
    n_perm: int = defaults.N_PERM
    min_size: int = defaults.MIN_SIZE
    max_changes: int = defaults.MAX_CHANGES
    n_boot: int = defaults.N_BOOT
    level: float = defaults.LEVEL
    weighting: Weighting = defaults.WEIGHTING  # type: ignore[assignment]
    random_state: int = defaults.SEED

    def validate(self) -> None:
        """Raise :class:`~topics.errors.ConfigError` naming the first invalid field."""
        _inside(self.alpha, "alpha")
        if self.correction not in CORRECTIONS:
            raise ConfigError(f"correction must be 'fwer' or 'fdr', got {self.correction!r}")
        if (self.n_perm + 1) * self.alpha < 1 - 1e-9:
            raise ConfigError(
                f"n_perm = {self.n_perm} permutations cannot reach p ≤ alpha = {self.alpha} "
                f"(the smallest p is 1 / (n_perm + 1)): use 999 or more"
            )
        check_count(self.n_perm, "n_perm", most=MAX_PERM)
        check_count(self.n_boot, "n_boot", most=MAX_BOOT)
        for name in ("min_size", "max_changes"):
            check_count(getattr(self, name), name)
        check_seed(self.random_state)
        _inside(self.level, "level")
        _weighting(self.weighting)
