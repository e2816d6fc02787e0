"""The allowed values of every user-facing choice, written once as ``Literal`` types.

Settings classes annotate their fields with these, :func:`topics.config.settings_from` reads
the allowed values from the annotation, and the command line offers them as ``choices``. This
module imports nothing heavy, so ``topics --help`` stays fast.
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = [
    "CORRECTIONS",
    "FREQUENCIES",
    "WEEKDAYS",
    "WEIGHTINGS",
    "Correction",
    "Frequency",
    "WeekStart",
    "Weighting",
]

#: Period lengths of trends.
Frequency = Literal["week", "month", "quarter", "year"]
#: First day of a week (ISO 8601: Monday).
WeekStart = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
#: How documents are weighted in a period's share: once each, or by their tokens.
Weighting = Literal["documents", "tokens"]
#: The error the change test controls: family-wise (Westfall–Young) or false discovery rate.
Correction = Literal["fwer", "fdr"]

FREQUENCIES: tuple[str, ...] = get_args(Frequency)
WEEKDAYS: tuple[str, ...] = get_args(WeekStart)
WEIGHTINGS: tuple[str, ...] = get_args(Weighting)
CORRECTIONS: tuple[str, ...] = get_args(Correction)
