# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 03 — Themes over time: sanctions, Ukraine, connectivity, raw materials
#
# The headline question: how much of the Kazakhstan–EU press coverage is about each theme, and
# when does that change? Every theme in the codebook (`data/themes.toml`) is measured in every
# paragraph; shares are aggregated per period with 95% bootstrap intervals over paragraphs;
# change points are tested with permutations; and the passages behind each change are shown.
#
# The shipped sample is five articles, so intervals are wide and periods are flagged as having
# few documents: the notebook shows the method. Point `corpus_path` at your own folder of
# articles or CSV to get the real picture.

# %% tags=["parameters"]
figures_dir = "figures"
corpus_path = "data/seeds"
codebook_path = "data/themes.toml"
headline = ["sanctions", "ukraine", "connectivity", "raw_materials"]
freq = "quarter"
measure = "dictionary"  # or "seeded" for larger corpora (any name in topics.MEASURES)
n_boot = 1000
seed = 0

# %% tags=["small"]
# A quick run (CI, `topics figures --small`) replaces these parameters:
small_parameters = {}

# %%
from pathlib import Path

import topics
from topics.plots import plot_prevalence, plot_theme_health, plot_topic_heatmap, save_figure
from topics.themes import Codebook
from topics.themes.analysis import analyze_themes

# %%
ingested = topics.ingest(corpus_path, segment="paragraphs", dedupe=True, random_state=seed)
codebook = Codebook.from_toml(codebook_path)
analysis = analyze_themes(
    ingested.corpus, codebook, freq=freq, measure=measure, n_boot=n_boot, random_state=seed
)
print(ingested.report.render(ingested.documents))
print(
    f"{analysis.config['documents']} paragraphs analysed; "
    f"{analysis.config['documents_not_placed']} not placed in a {freq} "
    "(no date, or a date coarser than the period)"
)
figure_config = {"corpus": corpus_path, "codebook": codebook_path, **analysis.config}

# %% [markdown]
# ## The four headline themes
# Lines are the mean share of a paragraph's content that belongs to the theme; bands are 95%
# Bayesian-bootstrap intervals over articles; hollow points mark periods with fewer than five
# paragraphs; gaps are periods without an article; triangles mark changes that pass the
# family-wise test (none is claimed when the evidence is too thin).

# %%
figure = plot_prevalence(
    analysis.trends,
    analysis.changes,
    themes=headline,
    labels=analysis.labels,
    title="Kazakhstan–EU press: share of paragraph content per theme",
)
save_figure(
    figure,
    Path(figures_dir) / "03_themes_over_time_headline",
    config=figure_config,
    fingerprint=ingested.corpus.fingerprint(),
    seed=seed,
)
figure

# %%
table = analysis.trends[analysis.trends["theme"].isin(headline) & ~analysis.trends["empty"]].copy()
table["share (95% interval)"] = [
    f"{s:.1%} ({lo:.1%}–{hi:.1%})"
    for s, lo, hi in zip(table["share"], table["lo"], table["hi"], strict=True)
]
table.pivot(index="period", columns="theme", values="share (95% interval)")[headline]

# %% [markdown]
# ## Changes and the passages behind them
# Steps and episodes that pass the change test at a family-wise 5 % — what was tested and what
# it corrects for is printed below. For each headline theme the passages come from the first
# period of each change, or — when there is none — from the theme's peak period, so the curve
# can always be checked against the text.

# %%
print(analysis.change_test.describe())
analysis.changes

# %%
passages = analysis.key_passages(headline, n=2, width=60)
passages[["theme", "reason", "period", "doc_id", "left", "keyword", "right"]]

# %% [markdown]
# ## Every theme, every period
# Cells give the share in percent.

# %%
heatmap = plot_topic_heatmap(
    analysis.trends.assign(theme=[analysis.labels[t] for t in analysis.trends["theme"]]),
    title="Theme share per period",
)
save_figure(
    heatmap,
    Path(figures_dir) / "03_themes_over_time_heatmap",
    config=figure_config,
    fingerprint=ingested.corpus.fingerprint(),
    seed=seed,
)
heatmap

# %% [markdown]
# ## Theme health
# A dictionary theme rests on its seed terms. The share of a theme's terms that occur in each
# period shows where a theme's curve is backed by several terms and where by one or none.

# %%
health = plot_theme_health(
    analysis.health, labels=analysis.labels, title="Seed terms found per period"
)
save_figure(
    health,
    Path(figures_dir) / "03_themes_over_time_health",
    config=figure_config,
    fingerprint=ingested.corpus.fingerprint(),
    seed=seed,
)
health

# %%
unseen = analysis.health.groupby(["theme", "term"])["count"].sum()
print("seed terms never found:")
print(unseen[unseen == 0].reset_index()[["theme", "term"]].to_string(index=False))
