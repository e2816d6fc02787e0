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
# # 05 — The same themes in UN General Debate speeches, 2000–2024
#
# Every country speaks at the UN General Debate each September, so the speeches give a long,
# evenly dated series against which the press picture of 2021–2023 can be read. The themes of
# `data/themes.toml` are measured in every paragraph as the share of its words that are the
# theme's terms (a transparent dictionary measure: a keyword-seeded LDA lets rare themes such
# as critical raw materials drift into unrelated topics on these speeches), aggregated per year
# with 95% bootstrap intervals, and compared between Kazakhstan, the EU member states of each
# year (membership dated by accession and exit) and the rest of the world.

# %% tags=["parameters"]
figures_dir = "build/figures"  # `make figures` passes figures/
ungd_path = None  # default: ../shared/corpora/ungd/ungdc_2000_2024.jsonl.gz
max_speeches = 0  # 0 means all
codebook_path = "data/themes.toml"
headline = ["sanctions", "ukraine", "connectivity", "raw_materials"]
highlight = ["2021", "2023"]
focus = {"Kazakhstan": ["KAZ"]}
event_date = "2022-02-24"  # the invasion of Ukraine: did the themes change from that year on?
event_label = "invasion of Ukraine"
event_window = 3  # years on each side
n_boot = 500
seed = 0

# %% tags=["small"]
# A quick run (CI, `topics figures --small`) replaces these parameters:
small_parameters = {"max_speeches": 300, "n_boot": 50}

# %%

from IPython.display import display

import topics
from topics.paths import locate, output_dir, shared_path
from topics.plots import (
    plot_event,
    plot_prevalence_by_group,
    plot_prevalence_panels,
    save_figure,
)
from topics.themes import Codebook
from topics.themes.analysis import analyze_themes
from topics.trends.groups import country_groups

# %%
source = (
    locate(ungd_path) if ungd_path else shared_path("corpora", "ungd", "ungdc_2000_2024.jsonl.gz")
)
available = source is not None and source.exists()
if not available:
    print(
        "The UN General Debate corpus was not found, so this notebook stops here.\n"
        "Get it from the UN General Debate Corpus (Jankin, Baturo & Dasandi; Harvard Dataverse "
        "doi:10.7910/DVN/0TJX8Y, CC0) as JSON lines with id, country_iso3, year and text, then "
        "either put it at ../shared/corpora/ungd/ungdc_2000_2024.jsonl.gz (or under "
        "$TOPICS_SHARED/corpora/ungd/) or run this notebook with ungd_path set."
    )

# %%
if available:
    ingested = topics.ingest(source, columns={"date": "year", "id": "id"})
    speeches = ingested.documents
    if max_speeches:
        speeches = speeches.sample(max_speeches, random_state=seed)
    paragraphs = speeches.segment("paragraphs", min_chars=40)
    codebook = Codebook.from_toml(locate(codebook_path))
    analysis = analyze_themes(
        paragraphs,
        codebook,
        freq="year",
        measure="dictionary",
        n_boot=n_boot,
        random_state=seed,
    )
    figure_config = {"corpus": source.name, "max_speeches": max_speeches, **analysis.config}
    print(f"{len(speeches):,} speeches, {len(paragraphs):,} paragraphs")

# %% [markdown]
# ## The headline themes, every year
# One panel per theme, each on its own scale (the Ukraine theme is ten times the others). The
# shaded span is 2021–2023, the years of the press corpus; triangles mark steps and bars
# episodes that pass the change test at a family-wise 5 % (years shuffled across speeches, every
# theme × year corrected for; the test's own description is printed below the figure).

# %%
if available:
    figure = plot_prevalence_panels(
        analysis.trends,
        analysis.changes,
        themes=headline,
        labels=analysis.labels,
        highlight=(highlight[0], highlight[1]),
        title="UN General Debate: share of paragraph content per theme",
    )
    save_figure(
        figure,
        output_dir(figures_dir) / "05_un_general_debates_themes",
        config=figure_config,
        fingerprint=paragraphs.fingerprint(),
        random_state=seed,
    )
    display(figure)
    print(analysis.change_test.describe())
    display(analysis.changes[analysis.changes["theme"].isin(headline)])

# %% [markdown]
# ## Kazakhstan and the EU member states against the rest
# The same paragraph-level measurements, aggregated separately per group. Kazakhstan gives one
# speech a year, so its intervals are wide.

# %%
if available:
    groups = country_groups(analysis.corpus, focus)
    by_group = analysis.by_group(groups)
    figure = plot_prevalence_by_group(
        by_group,
        themes=headline,
        labels=analysis.labels,
        highlight=(highlight[0], highlight[1]),
        title="Theme share by speaker group (paragraph content, 95% intervals)",
    )
    save_figure(
        figure,
        output_dir(figures_dir) / "05_un_general_debates_groups",
        config={**figure_config, "groups": focus, "eu": "by accession year"},
        fingerprint=paragraphs.fingerprint(),
        random_state=seed,
    )
    display(figure)

# %% [markdown]
# Mean share 2021–2023 by group (percent of paragraph content):

# %%
if available:
    span = by_group[
        by_group["theme"].isin(headline)
        & (by_group["period"].astype(str) >= highlight[0])
        & (by_group["period"].astype(str) <= highlight[1])
    ]
    display(
        (100 * span.pivot_table(index="group", columns="theme", values="share"))[headline].round(2)
    )

# %% [markdown]
# ## Did the themes change after the invasion? An event study
# A claim about a known date: each theme's share in the three years from 2022 on against the
# three years before, with a bootstrap interval, a permutation p-value (years shuffled among the
# speeches of those six years) corrected over the ten themes, the event's rank among placebo
# years, and the slope over 2019–2021 — a theme already moving that way before 2022 is flagged.

# %%
if available:
    event = analysis.event(event_date, event_window, label=event_label)
    figure = plot_event(
        event.profile,
        event.table,
        themes=headline,
        labels=analysis.labels,
        title=f"UN General Debate, {event.label}: {event.window} years before and after",
    )
    save_figure(
        figure,
        output_dir(figures_dir) / "05_un_general_debates_event",
        config={**figure_config, "event": event.to_dict()},
        fingerprint=paragraphs.fingerprint(),
        random_state=seed,
    )
    display(figure)
    print(event.describe())
    display(event.table.round(5))

# %% [markdown]
# ## Passages behind the curves

# %%
if available:
    passages = analysis.key_passages(headline, n=2, width=60)
    display(passages[["theme", "reason", "period", "doc_id", "left", "keyword", "right"]])
