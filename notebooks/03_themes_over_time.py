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
# few documents: the notebook shows the method.
#
# **Your own corpus.** Set the parameters below (in Jupyter, edit the cell; with papermill,
# `-p corpus_path my.csv -p text_cols '["title", "body"]' …`): a folder of `.txt` articles or a
# CSV / JSONL / Parquet table; for a table, which column(s) hold the text (several are joined,
# each a paragraph), the date, the id; whether numeric dates are day-first (`dayfirst = True`)
# or month-first (`False`; default: decided from the column's unambiguous dates); your codebook,
# headline themes, labels and title. Relative paths are read from the working directory or
# else from the project checkout, so the notebook runs from anywhere.

# %% tags=["parameters"]
figures_dir = "build/figures"  # `make figures` passes figures/
corpus_path = "data/seeds"  # a folder of .txt articles, or a table
text_cols = None  # table column(s) with the text, e.g. ["title", "body"]; None: "text"
date_col = None  # table column with the date; None: "date" if there is one
id_col = None  # table column with unique ids; None: "id" if there is one
dayfirst = None  # True: 03/04/2022 is 3 April; False: 4 March; None: decide from the column
segment = "paragraphs"  # "paragraphs", "sentences" or "none"
codebook_path = "data/themes.toml"
headline = ["sanctions", "ukraine", "connectivity", "raw_materials"]
labels = {}  # display names by theme, e.g. {"ukraine": "War in Ukraine"}; default: codebook's
title = "Kazakhstan–EU press: share of paragraph content per theme"
freq = "quarter"
measure = "dictionary"  # or "seeded" for larger corpora (any name in topics.MEASURES)
n_boot = 1000
seed = 0

# %% tags=["small"]
# A quick run (CI, `topics figures --small`) replaces these parameters:
small_parameters = {}

# %%

import topics
from topics.paths import locate, output_dir
from topics.plots import plot_prevalence, plot_theme_health, plot_topic_heatmap, save_figure
from topics.themes import Codebook
from topics.themes.analysis import analyze_themes

# %%
columns = {"text": text_cols or "text", "date": date_col, "id": id_col}
ingested = topics.ingest(
    locate(corpus_path),
    columns=columns,
    segment=None if segment == "none" else segment,
    dayfirst=dayfirst,
    dedupe=True,
    random_state=seed,
)
codebook = Codebook.from_toml(locate(codebook_path))
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
names = {**analysis.labels, **labels}

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
    labels=names,
    title=title,
)
save_figure(
    figure,
    output_dir(figures_dir) / "03_themes_over_time_headline",
    config=figure_config,
    fingerprint=ingested.corpus.fingerprint(),
    random_state=seed,
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
    analysis.trends.assign(theme=[names[t] for t in analysis.trends["theme"]]),
    title="Theme share per period",
)
save_figure(
    heatmap,
    output_dir(figures_dir) / "03_themes_over_time_heatmap",
    config=figure_config,
    fingerprint=ingested.corpus.fingerprint(),
    random_state=seed,
)
heatmap

# %% [markdown]
# ## Theme health
# A dictionary theme rests on its seed terms. The share of a theme's terms that occur in each
# period shows where a theme's curve is backed by several terms and where by one or none.

# %%
health = plot_theme_health(analysis.health, labels=names, title="Seed terms found per period")
save_figure(
    health,
    output_dir(figures_dir) / "03_themes_over_time_health",
    config=figure_config,
    fingerprint=ingested.corpus.fingerprint(),
    random_state=seed,
)
health

# %%
unseen = analysis.health.groupby(["theme", "term"])["count"].sum()
print("seed terms never found:")
print(unseen[unseen == 0].reset_index()[["theme", "term"]].to_string(index=False))
