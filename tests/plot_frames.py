"""Planted tidy frames that stress figure layouts: many periods, ten themes, long labels.

Every figure function is rendered from these at both preset sizes by ``test_plot_layout``;
the frames carry what breaks naive layouts — 18 quarters, 9 months, 30 weeks, 25 years, ten
themes with long names, one dominant theme, a partial last period, thin periods, a gap, twelve
topics with long words and tiny weights.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

THEMES = [
    "sanctions",
    "ukraine",
    "connectivity",
    "raw_materials",
    "energy",
    "green_transition",
    "reforms_human_rights",
    "trade_investment",
    "security_afghanistan",
    "digitalisation",
]
LABELS = {
    "sanctions": "Sanctions",
    "ukraine": "Ukraine war",
    "connectivity": "Connectivity and transport corridors",
    "raw_materials": "Critical raw materials",
    "energy": "Energy",
    "green_transition": "Green transition and climate",
    "reforms_human_rights": "Reforms, rule of law and human rights",
    "trade_investment": "Trade and investment",
    "security_afghanistan": "Security and Afghanistan",
    "digitalisation": "Digitalisation",
}
FREQS = {"quarter": ("Q", 18), "month": ("M", 9), "week": ("W-SUN", 30), "year": ("Y", 25)}


def periods(freq: str = "quarter") -> list[pd.Period]:
    code, n = FREQS[freq]
    return list(pd.period_range("2018-01-01", periods=n, freq=code))


def trends(freq: str = "quarter", themes: list[str] | None = None) -> pd.DataFrame:
    """Prevalence rows with a dominant theme, a gap, thin periods and a partial last period."""
    themes = themes or THEMES
    axis = periods(freq)
    rng = np.random.default_rng(0)
    rows = []
    for j, theme in enumerate(themes):
        base = 0.12 if theme == "sanctions" else 0.004 + 0.002 * j
        for i, period in enumerate(axis):
            empty = i == 3
            share = np.nan if empty else base * (1 + 0.3 * np.sin(i / 2 + j)) + rng.random() * 1e-3
            width = 0.2 * base
            rows.append(
                {
                    "period": period,
                    "theme": theme,
                    "share": share,
                    "lo": share - width if not empty else np.nan,
                    "hi": share + width if not empty else np.nan,
                    "n_docs": 0 if empty else (2 if i in (0, 1) else 40),
                    "n_units": 0 if empty else (1 if i in (0, 1) else 30),
                    "few_docs": i in (0, 1),
                    "partial": i == len(axis) - 1,
                    "empty": empty,
                }
            )
    return pd.DataFrame(rows)


def changes(freq: str = "quarter") -> pd.DataFrame:
    axis = periods(freq)
    return pd.DataFrame(
        {
            "theme": ["sanctions", "ukraine", "connectivity"],
            "kind": ["step", "episode", "step"],
            "date": [axis[len(axis) // 2], axis[len(axis) // 4], axis[-3]],
            "end": [pd.NaT, axis[len(axis) // 4 + 1], pd.NaT],
            "shift": [0.03, 0.004, -0.002],
            "lo": [0.02, 0.002, -0.003],
            "hi": [0.04, 0.006, -0.001],
            "p_raw": [0.001, 0.01, 0.02],
            "p_adj": [0.01, 0.03, 0.04],
        }
    )


def by_group(freq: str = "year") -> pd.DataFrame:
    frames = [
        trends(freq, THEMES[:4]).assign(group=name, share=lambda f, k=k: f["share"] * (1 + k))
        for k, name in enumerate(["Kazakhstan", "EU member states", "Rest of the world"])
    ]
    return pd.concat(frames, ignore_index=True)


def top_terms(k: int = 12, n: int = 10) -> pd.DataFrame:
    """Relevance-ranked terms (weights out of order) with long words and tiny weights."""
    rng = np.random.default_rng(1)
    words = [
        "nuclear-weapon-free",
        "treaty",
        "weapon",
        "united_nations",
        "zone",
        "development",
        "test",
        "council",
        "organization",
        "role",
        "disarmament",
        "corridor",
        "water",
        "drug",
        "goal",
    ]
    rows = []
    for topic in range(k):
        weights = rng.uniform(0.0005, 0.0075, size=n)
        for rank in range(1, n + 1):
            word = words[(topic + rank) % len(words)]
            rows.append({"topic": topic, "rank": rank, "term": f"{word}{topic}",
                         "weight": float(weights[rank - 1])})  # fmt: skip
    return pd.DataFrame(rows)


def sweep() -> pd.DataFrame:
    rows = []
    for config, kind in (("lda", "seeds"), ("nmf", "resamples")):
        for k in range(5, 55, 5):
            rows.append({"config": config, "n_topics": k, "npmi": 0.1 + 0.001 * k,
                         "npmi_sd": 0.01, "diversity": 0.9 - 0.005 * k,
                         "stability": 0.8 - 0.004 * k, "stability_kind": kind})  # fmt: skip
    return pd.DataFrame(rows)


def counts(freq: str = "month") -> pd.DataFrame:
    rows = []
    for i, period in enumerate(periods(freq)):
        for precision, n in (("day", 20 + i), ("month", 3), ("year", 0)):
            rows.append({"period": period, "date_precision": precision, "n_docs": n})
    rows.append({"period": pd.NaT, "date_precision": "none", "n_docs": 4})
    frame = pd.DataFrame(rows)
    frame["period"] = frame["period"].astype(f"period[{FREQS[freq][0]}]")
    return frame


def health(freq: str = "quarter") -> pd.DataFrame:
    rows = []
    for j, theme in enumerate(THEMES):
        for t in range(3 + j % 4):
            for i, period in enumerate(periods(freq)):
                rows.append({"theme": theme, "term": f"term{t}", "token": f"term{t}",
                             "period": period, "count": (i + t + j) % 3,
                             "n_docs": 10})  # fmt: skip
    return pd.DataFrame(rows)


def evolution() -> pd.DataFrame:
    bins = ["2000–2004", "2005–2009", "2010–2014", "2015–2019", "2020–2024"]
    rows = []
    for topic in ["sanctions", "ukraine", "connectivity"]:
        for j, period in enumerate(bins):
            for rank in range(1, 7):
                rows.append({"topic": topic, "period": period, "rank": rank,
                             "term": f"{topic[:4]}_word{(rank + j) % 9}",
                             "weight": 0.03 / rank})  # fmt: skip
    return pd.DataFrame(rows)


def event(window: int = 6, themes: list[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """An event study's profile and table: a step, a pre-trend, a flat theme, one empty period."""
    rng = np.random.default_rng(7)
    names = themes or THEMES[:4]
    relative = np.arange(-window, window)
    profile, table = [], []
    for i, theme in enumerate(names):
        base = 0.01 * (i + 1)
        step = [0.02, 0.0, -0.004, 0.0][i % 4]
        ramp = 0.002 * (relative + window) if i % 4 == 1 else np.zeros(len(relative))
        share = base + ramp + step * (relative >= 0) + rng.normal(0, 0.001, len(relative))
        share[2] = np.nan if i == 3 else share[2]  # a period without documents
        half = 0.002 + rng.uniform(0, 0.002, len(relative))
        profile.append(
            pd.DataFrame(
                {"theme": theme, "relative": relative, "share": share,
                 "lo": share - half, "hi": share + half}
            )
        )  # fmt: skip
        before, after = np.nanmean(share[relative < 0]), np.nanmean(share[relative >= 0])
        trend = 0.002 if i % 4 == 1 else 0.0
        table.append(
            {"theme": theme, "before": before, "after": after, "shift": after - before,
             "pretrend_lo": trend - 0.0005, "pretrend_hi": trend + 0.0005}
        )  # fmt: skip
    return pd.concat(profile, ignore_index=True), pd.DataFrame(table)
