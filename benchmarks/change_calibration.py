"""Calibration and power of the change test on planted corpora whose truth is known.

Every simulated corpus has 30 weeks, six themes, ~40 articles a week with uneven volume, a
one-article first week, a two-article last week, one-article weeks and two empty weeks inside
the range (:func:`topics.trends.planted.planted_shares`). Scenarios:

* ``null`` — every theme's rate constant: any reported change is a false alarm. ``fwer`` is the
  share of corpora with at least one change in any theme (target ≤ 0.05 within Monte-Carlo
  error), ``per_series_rate`` the share of theme series with one.
* ``null_paragraphs`` — the same with three paragraphs per article as documents (permuting
  articles, as ``analyze_themes`` does for a segmented corpus); ``fwer_documents_as_units``
  shows what happens when paragraphs are wrongly treated as independent.
* ``step`` — theme 0's rate × ``STEP`` (3 % → 6 % of tokens) from week 15: found if a step is
  reported within one week of week 15 (target ≥ 0.9); ``power_step_small`` the same for × 1.6.
* ``episode`` — theme 0's rate × ``EPISODE`` in weeks 12–14 only: found if an episode is
  reported starting within one week of 12 and ending within one week of 14 (target ≥ 0.8).
* ``location`` — in the ``step`` corpora, of the theme-0 steps reported: the share dated within
  one week of week 15 (``location_within_one_period``, target ≥ 0.9) and the share whose
  location interval ``date_lo``–``date_hi`` holds week 15 (``location_interval_coverage``,
  target ≥ 0.9).
* ``last_period`` — edges of ordinary volume (no thin first or last week), theme 0's rate
  × ``LAST`` in the last week only: found if a step is dated in the last week
  (``power_last_period``, target ≥ 0.8; ``fwer_populated_edges`` the null on that layout).
* ``gap`` — theme 0's rate × ``GAP_STEP`` from week 18, the first of two empty weeks: the
  share of corpora with a theme-0 step dated after the gap whose location interval starts in
  the gap (``gap_interval_spans``).

Event studies (:func:`topics.trends.event_study`, week 15, six weeks each side):

* ``event_fwer`` — the null: the share of corpora where any theme has ``p_adj ≤ 0.05``
  (target ≤ 0.05);
* ``event_power`` — theme 0's rate × ``STEP`` from the event's week: ``p_adj ≤ 0.05``
  (target ≥ 0.9);
* ``pretrend_flagged`` — theme 0's rate rising linearly × 1 → × 3 over weeks 9–20 (it began
  six weeks before the event and goes on), 100 articles a week: the share of corpora where the
  pre-trend is flagged (target ≥ 0.8); ``pretrend_flagged_40`` the same at 40 articles a week,
  and ``pretrend_false_flag`` how often a clean step at the event is flagged.

On the real UN General Debate speeches 2000–2024 (``../shared``; skipped when absent), with
the headline dictionary themes per year and speeches as units:

* ``ungd_fwer_shuffled`` — years shuffled across speeches (so no theme truly changes), the share
  of shuffles with any change reported (target ≤ 0.05 within ``ungd_monte_carlo_95``; 1,000
  shuffles, each tested with ``--ungd-perms`` permutations);
* ``ungd_rate_at`` / ``ungd_uniformity_chi2_p`` — an exact test's family p-value is uniform, so
  the share of shuffles with ``p ≤ x`` should be ``x`` at every level, not only at 0.05
  (``ungd_exact_rate_at``), and a χ² test over 20 equal bins should not reject;
* ``ungd_ukraine_2022`` — on the real years, the Ukraine theme's change at 2022 and its
  adjusted p-value (target: found, p_adj < 0.05).

Prints one line per scenario and a final JSON line.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from topics.trends import ChangeResult, detect_changes, event_study
from topics.trends.planted import Planted, planted_shares

N_WEEKS = 30
STEP = 2.0  # rate multiplier after the step (base rate 3 % → 6 %): the stated size
SMALL_STEP = 1.6  # a smaller step (3 % → 4.8 %), power reported for information
EPISODE = 2.2  # rate multiplier during the three-week episode
LAST = 3.0  # rate multiplier in the last week only
GAP_STEP = 2.5  # rate multiplier from the first week of the two-week gap on
EVENT_WEEK = 15
EVENT_WINDOW = 6


def _run(planted: Planted, seed: int, n_perm: int, units: bool, correction: str) -> ChangeResult:
    return detect_changes(
        planted.shares,
        planted.periods,
        units=planted.units if units else None,
        axis=planted.axis,
        n_perm=n_perm,
        n_boot=50,
        correction=correction,
        random_state=seed,
    )


def _position(planted: Planted, value: object) -> int:
    return [str(p) for p in planted.axis].index(str(value))


def _null(result: ChangeResult, planted: Planted) -> tuple[bool, int]:
    themes = result.changes["theme"].nunique()
    return themes > 0, themes


def _step_found(result: ChangeResult, planted: Planted) -> tuple[bool, int]:
    rows = result.changes[
        (result.changes["theme"] == "theme0") & (result.changes["kind"] == "step")
    ]
    hits = [abs(_position(planted, d) - 15) <= 1 for d in rows["date"]]
    return any(hits), len(rows)


def _episode_found(result: ChangeResult, planted: Planted) -> tuple[bool, int]:
    rows = result.changes[
        (result.changes["theme"] == "theme0") & (result.changes["kind"] == "episode")
    ]
    hits = [
        abs(_position(planted, a) - 12) <= 1 and abs(_position(planted, b) - 14) <= 1
        for a, b in zip(rows["date"], rows["end"], strict=True)
    ]
    return any(hits), len(rows)


def locate(n_sim: int, n_perm: int) -> dict[str, float]:
    """Where the planted step at week 15 is dated, and whether its interval holds week 15."""
    step = [1.0] * 15 + [STEP] * (N_WEEKS - 15)
    reported = within = covered = 0
    for i in range(n_sim):
        planted = planted_shares(n_periods=N_WEEKS, effects={0: step}, random_state=4 * 10**5 + i)
        result = detect_changes(
            planted.shares, planted.periods, units=planted.units, axis=planted.axis,
            n_perm=n_perm, n_boot=200, random_state=i,
        )  # fmt: skip
        rows = result.changes[
            (result.changes["theme"] == "theme0") & (result.changes["kind"] == "step")
        ]
        for _, row in rows.iterrows():
            reported += 1
            within += abs(_position(planted, row["date"]) - 15) <= 1
            covered += (
                _position(planted, row["date_lo"]) <= 15 <= _position(planted, row["date_hi"])
            )
    return {
        "location_within_one_period": within / max(reported, 1),
        "location_interval_coverage": covered / max(reported, 1),
        "location_steps_reported": reported,
    }


def edges(n_sim: int, n_perm: int) -> dict[str, float]:
    """A step into a well-populated last week; the null on that layout; a step after a gap."""
    last = [1.0] * (N_WEEKS - 1) + [LAST]
    found = alarms = small = 0
    for i in range(n_sim):
        planted = planted_shares(
            n_periods=N_WEEKS, effects={0: last}, thin_edges=False, random_state=5 * 10**5 + i
        )
        rows = _run(planted, i, n_perm, True, "fwer").changes
        dates = rows.loc[rows["theme"] == "theme0", "date"]
        found += any(_position(planted, d) == N_WEEKS - 1 for d in dates)
        null = planted_shares(n_periods=N_WEEKS, thin_edges=False, random_state=6 * 10**5 + i)
        alarms += len(_run(null, i, n_perm, True, "fwer").changes) > 0
    half = [1.0] * (N_WEEKS - 1) + [2.0]
    for i in range(n_sim // 2):
        planted = planted_shares(
            n_periods=N_WEEKS, effects={0: half}, thin_edges=False, random_state=7 * 10**5 + i
        )
        rows = _run(planted, i, n_perm, True, "fwer").changes
        small += any(
            _position(planted, d) == N_WEEKS - 1
            for d in rows.loc[rows["theme"] == "theme0", "date"]
        )
    gap = [1.0] * 18 + [GAP_STEP] * (N_WEEKS - 18)
    spans = after = 0
    for i in range(n_sim // 2):
        planted = planted_shares(n_periods=N_WEEKS, effects={0: gap}, random_state=8 * 10**5 + i)
        rows = _run(planted, i, n_perm, True, "fwer").changes
        for _, row in rows[rows["theme"] == "theme0"].iterrows():
            if _position(planted, row["date"]) == 20:
                after += 1
                spans += _position(planted, row["date_lo"]) <= 18
    return {
        "power_last_period": found / n_sim,
        "power_last_period_x2": small / max(n_sim // 2, 1),
        "fwer_populated_edges": alarms / n_sim,
        "gap_steps_after_the_gap": after,
        "gap_interval_spans": spans / max(after, 1),
    }


def events(n_sim: int, n_perm: int, offset: int = 0) -> dict[str, float]:
    """Event-study calibration: the null, a step at the event, a trend that began before.

    ``offset`` shifts every corpus seed, so runs with different offsets draw new corpora and
    can be pooled.
    """

    def study(planted: Planted, seed: int) -> pd.DataFrame:
        result = event_study(
            planted.shares, planted.periods, str(planted.axis[EVENT_WEEK]), window=EVENT_WINDOW,
            units=planted.units, axis=planted.axis, n_perm=n_perm, n_boot=100, random_state=seed,
        )  # fmt: skip
        flagged = set(result.flagged())
        return result.table.assign(flagged=[t in flagged for t in result.table["theme"]])

    step = [1.0] * EVENT_WEEK + [STEP] * (N_WEEKS - EVENT_WEEK)
    ramp = np.ones(N_WEEKS)
    ramp[9:21] = np.linspace(1.0, 3.0, 12)
    ramp[21:] = 3.0
    alarms = hits = flagged = flagged_40 = false_flag = 0
    for i in range(offset, offset + n_sim):
        null = study(planted_shares(n_periods=N_WEEKS, random_state=9 * 10**5 + i), i)
        alarms += bool((null["p_adj"] <= 0.05).any())
    for i in range(offset, offset + n_sim // 2):
        planted = planted_shares(n_periods=N_WEEKS, effects={0: step}, random_state=10**6 + i)
        at = study(planted, i)
        hits += bool(at["p_adj"].iloc[0] <= 0.05)
        false_flag += bool(at["flagged"].iloc[0])
        trend = planted_shares(
            n_periods=N_WEEKS, effects={0: ramp}, docs_per_period=100, random_state=11 * 10**5 + i
        )
        flagged += bool(study(trend, i)["flagged"].iloc[0])
        thin = planted_shares(n_periods=N_WEEKS, effects={0: ramp}, random_state=12 * 10**5 + i)
        flagged_40 += bool(study(thin, i)["flagged"].iloc[0])
    half = max(n_sim // 2, 1)
    return {
        "event_fwer": alarms / n_sim,
        "event_power": hits / half,
        "pretrend_flagged": flagged / half,
        "pretrend_flagged_40": flagged_40 / half,
        "pretrend_false_flag": false_flag / half,
    }


def simulate(
    n_sim: int,
    n_perm: int,
    *,
    effects: dict[int, list[float]] | None,
    judge: Callable[[ChangeResult, Planted], tuple[bool, int]],
    paragraphs: int = 1,
    units: bool = True,
    correction: str = "fwer",
    offset: int = 0,
) -> tuple[float, float]:
    """Share of corpora where ``judge`` says yes, and the mean of its count per series."""
    yes, counted = 0, 0
    for i in range(n_sim):
        planted = planted_shares(
            n_periods=N_WEEKS, paragraphs=paragraphs, effects=effects, random_state=offset + i
        )
        hit, count = judge(_run(planted, i, n_perm, units, correction), planted)
        yes += hit
        counted += count
    return yes / n_sim, counted / (n_sim * 6)


def ungd(
    n_shuffles: int, n_perm: int, shuffle_seed: int = 2026, save_pvalues: str | None = None
) -> dict[str, object] | None:
    """The real-corpus checks (see the module docstring); ``None`` without the corpus."""
    import topics
    from topics.corpus.periods import assign_periods
    from topics.paths import data_dir, shared_path
    from topics.text.preprocess import Preprocessor
    from topics.themes import Codebook, dictionary_shares

    path = shared_path("corpora", "ungd", "ungdc_2000_2024.jsonl.gz")
    if path is None:
        return None
    paragraphs = topics.ingest(
        path, columns={"date": "year", "id": "id"}, segment="paragraphs", min_chars=40
    ).corpus
    codebook = Codebook.from_toml(data_dir() / "themes.toml")
    config = codebook.preprocess_config()
    tokens = Preprocessor(config).transform(paragraphs.texts)
    shares = dictionary_shares(tokens, paragraphs.ids, codebook, config)
    periods = assign_periods(paragraphs, "year")
    speeches = pd.Series(paragraphs.column("parent_id").to_numpy(), index=paragraphs.ids)
    real = detect_changes(shares, periods, units=speeches, n_perm=999, n_boot=1000)
    ukraine = real.changes[real.changes["theme"] == "ukraine"]
    print(real.changes.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
    at_2022 = ukraine[
        [str(d) == "2022" and s > 0 for d, s in zip(ukraine["date"], ukraine["shift"], strict=True)]
    ]
    year_of = periods.set_index("id")["period"]
    by_speech = year_of.groupby(speeches.reindex(year_of.index).to_numpy()).first()
    rng = np.random.default_rng(shuffle_seed)
    alarms = 0
    p_family = []
    for i in range(n_shuffles):
        shuffled = pd.Series(rng.permutation(by_speech.to_numpy()), index=by_speech.index)
        moved = periods.assign(period=shuffled.reindex(speeches.reindex(periods["id"])).to_numpy())
        # the test's own permutations differ between runs too (seeded by shuffle seed and i),
        # so runs with different --shuffle-seed are independent and can be pooled
        seed = int(np.random.SeedSequence([shuffle_seed, i]).generate_state(1)[0])
        result = detect_changes(
            shares, moved, units=speeches, n_perm=n_perm, n_boot=20, random_state=seed
        )
        alarms += len(result.changes) > 0
        p_family.append(float(result.themes["p_adj"].min()))
    rate = alarms / n_shuffles
    uniform = _uniformity(np.asarray(p_family), n_perm)
    if save_pvalues:
        pd.DataFrame(
            {"shuffle_seed": shuffle_seed, "shuffle": range(n_shuffles), "p_family": p_family}
        ).to_csv(save_pvalues, index=False)
    return {
        "ungd_fwer_shuffled": round(rate, 4),
        "ungd_shuffles": n_shuffles,
        "ungd_shuffle_seed": shuffle_seed,
        "ungd_perms": n_perm,
        "ungd_monte_carlo_95": round(1.96 * np.sqrt(0.05 * 0.95 / n_shuffles), 4),
        **uniform,
        "ungd_ukraine_2022": None
        if at_2022.empty
        else {
            "kind": str(at_2022["kind"].iloc[0]),
            "shift": round(float(at_2022["shift"].iloc[0]), 4),
            "lo": round(float(at_2022["lo"].iloc[0]), 4),
            "hi": round(float(at_2022["hi"].iloc[0]), 4),
            "p_adj": round(float(at_2022["p_adj"].iloc[0]), 4),
        },
        "ungd_changes": len(real.changes),
        "ungd_penalty": round(real.penalty, 2),
    }


def _uniformity(p: np.ndarray, n_perm: int) -> dict[str, object]:
    """How far the family p-values of shuffled corpora are from their exact null law.

    With ``B`` permutations an exact test's p-value is uniform on ``1/(B+1), …, 1``, so the
    share with ``p ≤ x`` is ``⌊x(B+1)⌋/(B+1)`` at every ``x``, not only at 0.05. Reports those
    shares at a few levels and a χ² test of the p-values' 20 equal rank bins (null: exact).
    """
    from scipy.stats import chisquare

    p = p[np.isfinite(p)]  # a shuffle with nothing testable has no p-value
    ranks = np.rint(p * (n_perm + 1)).astype(int)  # 1 … B + 1
    bins = (ranks - 1) * 20 // (n_perm + 1)
    observed = np.bincount(bins, minlength=20)
    # each bin's share of the B + 1 possible ranks (equal when 20 divides B + 1)
    expected = np.bincount(np.arange(n_perm + 1) * 20 // (n_perm + 1), minlength=20)
    expected = expected * len(p) / (n_perm + 1)
    levels = (0.01, 0.05, 0.1, 0.25, 0.5)
    return {
        "ungd_rate_at": {str(x): round(float(np.mean(p <= x + 1e-12)), 4) for x in levels},
        "ungd_exact_rate_at": {
            str(x): round(math.floor(x * (n_perm + 1) + 1e-9) / (n_perm + 1), 4) for x in levels
        },
        "ungd_uniformity_chi2_p": round(float(chisquare(observed, expected).pvalue), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sims", type=int, default=400, help="simulated corpora per scenario")
    parser.add_argument("--perms", type=int, default=499, help="permutations per test")
    parser.add_argument("--shuffles", type=int, default=1000, help="UN year shuffles")
    parser.add_argument(
        "--ungd-perms", type=int, default=199, help="permutations per UN shuffle's test"
    )
    parser.add_argument("--skip-ungd", action="store_true", help="planted corpora only")
    parser.add_argument("--skip-planted", action="store_true", help="UN corpus checks only")
    parser.add_argument(
        "--shuffle-seed",
        type=int,
        default=2026,
        help="seed of the UN year shuffles (a new seed: "
        "new shuffled corpora, so runs can be pooled)",
    )
    parser.add_argument(
        "--save-pvalues", metavar="CSV", help="write each shuffle's family p-value (for pooling)"
    )
    parser.add_argument(
        "--events-only",
        action="store_true",
        help="only the event-study scenarios (with --seed-offset, new corpora to pool)",
    )
    parser.add_argument(
        "--seed-offset", type=int, default=0, help="added to the event scenarios' corpus seeds"
    )
    args = parser.parse_args()
    start = time.perf_counter()
    if args.events_only:
        found = events(args.sims, args.perms, args.seed_offset)
        info = {"n_sim": args.sims, "n_perm": args.perms, "seed_offset": args.seed_offset}
        print(json.dumps({**found, **info, "seconds": round(time.perf_counter() - start, 1)}))
        return
    if args.skip_planted:
        real = ungd(args.shuffles, args.ungd_perms, args.shuffle_seed, args.save_pvalues)
        if real is None:
            raise SystemExit("UN corpus not found (../shared/corpora/ungd)")
        print(json.dumps({**real, "seconds": round(time.perf_counter() - start, 1)}))
        return
    step = [1.0] * 15 + [STEP] * (N_WEEKS - 15)
    episode = [1.0] * 12 + [EPISODE] * 3 + [1.0] * (N_WEEKS - 15)
    fwer, per_series = simulate(args.sims, args.perms, effects=None, judge=_null)
    fwer_fdr, _ = simulate(args.sims, args.perms, effects=None, judge=_null, correction="fdr")
    fwer_par, _ = simulate(args.sims // 2, args.perms, effects=None, judge=_null, paragraphs=3)
    fwer_docs, _ = simulate(
        args.sims // 4, args.perms, effects=None, judge=_null, paragraphs=3, units=False
    )
    power_step, _ = simulate(
        args.sims, args.perms, effects={0: step}, judge=_step_found, offset=10**5
    )
    small = [1.0] * 15 + [SMALL_STEP] * (N_WEEKS - 15)
    power_small, _ = simulate(
        args.sims // 2, args.perms, effects={0: small}, judge=_step_found, offset=3 * 10**5
    )
    power_episode, _ = simulate(
        args.sims, args.perms, effects={0: episode}, judge=_episode_found, offset=2 * 10**5
    )
    located = locate(args.sims // 2, args.perms)
    edge = edges(args.sims, args.perms)
    event = events(args.sims, args.perms)
    mc_error = 1.96 * math.sqrt(0.05 * 0.95 / args.sims)
    table = pd.DataFrame(
        [
            ("null: family-wise false alarm", fwer, "≤ 0.05"),
            ("null: per theme series", per_series, "≤ 0.05"),
            ("null, FDR option: any false alarm", fwer_fdr, "≤ 0.05"),
            ("null, 3 paragraphs per article (articles permuted)", fwer_par, "≤ 0.05"),
            (
                "null, paragraphs wrongly as independent units",
                fwer_docs,
                "(shows why units matter)",
            ),
            (f"step ×{STEP} found within one week", power_step, "≥ 0.90"),
            (f"step ×{SMALL_STEP} found within one week", power_small, "(for information)"),
            (f"3-week episode ×{EPISODE} found as episode", power_episode, "≥ 0.80"),
            ("step dated within one week", located["location_within_one_period"], "≥ 0.90"),
            (
                "step: location interval holds the week",
                located["location_interval_coverage"],
                "≥ 0.90",
            ),
            (f"last week ×{LAST} dated in the last week", edge["power_last_period"], "≥ 0.80"),
            ("last week ×2 dated in the last week", edge["power_last_period_x2"], "(info)"),
            ("null, populated edges: false alarm", edge["fwer_populated_edges"], "≤ 0.05"),
            ("step after a gap: interval starts in the gap", edge["gap_interval_spans"], "1.00"),
            ("event study, null: any theme p_adj ≤ 0.05", event["event_fwer"], "≤ 0.05"),
            (f"event study, step ×{STEP} at the event", event["event_power"], "≥ 0.90"),
            ("pre-trend flagged (100 articles a week)", event["pretrend_flagged"], "≥ 0.80"),
            ("pre-trend flagged (40 articles a week)", event["pretrend_flagged_40"], "(info)"),
            (
                "clean step at the event flagged as pre-trend",
                event["pretrend_false_flag"],
                "(info)",
            ),
        ],
        columns=["scenario", "rate", "target"],
    )
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    result = {
        "fwer": round(fwer, 4),
        "per_series_rate": round(per_series, 4),
        "power_step": round(power_step, 4),
        "power_episode": round(power_episode, 4),
        "power_step_small": round(power_small, 4),
        "n_sim": args.sims,
        "n_perm": args.perms,
        "monte_carlo_95": round(mc_error, 4),
        "fwer_fdr_option": round(fwer_fdr, 4),
        "fwer_paragraph_units": round(fwer_par, 4),
        "fwer_paragraphs_as_documents": round(fwer_docs, 4),
        "step_multiplier": STEP,
        "episode_multiplier": EPISODE,
        **{k: round(v, 4) if isinstance(v, float) else v for k, v in located.items()},
        **{k: round(v, 4) if isinstance(v, float) else v for k, v in edge.items()},
        **{k: round(v, 4) if isinstance(v, float) else v for k, v in event.items()},
        "seconds": round(time.perf_counter() - start, 1),
    }
    real = (
        None
        if args.skip_ungd
        else ungd(args.shuffles, args.ungd_perms, args.shuffle_seed, args.save_pvalues)
    )
    if real is None and not args.skip_ungd:
        print("UN corpus not found (../shared/corpora/ungd): real-corpus checks skipped")
    result.update(real or {})
    result["seconds"] = round(time.perf_counter() - start, 1)
    print(json.dumps(result))
    if not np.isfinite(fwer):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
