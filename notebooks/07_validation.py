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
# # 07 — Validating a theme measure against human coding
#
# "How do you know it measures sanctions?" The field's answer: code a sample of documents by
# hand, report precision and recall with their uncertainty, and correct the prevalence for the
# errors that remain. Here the publishers' topic tags of the parallel addresses
# (`../shared/corpora/resistinua`) play the coder, so the notebook runs end to end: sample →
# code → score → corrected trends. With your own corpus, open the sheet in a spreadsheet and
# fill the `code` column yourself.

# %% tags=["parameters"]
figures_dir = "build/figures"  # `make figures` passes figures/
corpus_dir = None  # default: ../shared/corpora/resistinua
codebook_path = "data/themes.toml"
theme = "sanctions"
tags = ["Міжнародні санкції", "Нафтове ембарго"]  # the publishers' sanctions tags
per_theme = 80
freq = "week"
n_boot = 2000
seed = 0

# %% tags=["small"]
# A quick run (CI, `topics figures --small`) replaces these parameters:
small_parameters = {"n_boot": 300, "per_theme": 40}

# %%
from pathlib import Path

from IPython.display import display

import topics
from topics.errors import InputError
from topics.evaluation.datasets import load_parallel_addresses
from topics.paths import locate, output_dir
from topics.plots import plot_prevalence_by_group, save_figure
from topics.spreadsheet import read_csv, write_csv
from topics.validation import coding_sheet, corrected_series, corrected_trends

# %%
try:
    corpus = load_parallel_addresses(locate(corpus_dir) if corpus_dir else None)
except InputError as missing:
    corpus = None
    print(f"{missing}\nThis notebook stops here.")
available = corpus is not None

# %%
if available:
    codebook = topics.Codebook.from_toml(locate(codebook_path))
    analysis = topics.analyze_themes(
        corpus, codebook, freq=freq, measure="dictionary", n_boot=n_boot, random_state=seed
    )

# %% [markdown]
# ## 1. The coding sheet
# Half of the sample from the addresses the measure found (stratum `hit`), half from those it
# did not (`miss`), so that both errors are counted. `text` shows the theme's terms in
# context; `full_text` the whole address; `code` is for the coder (1 = about the theme).

# %%
if available:
    sheet = coding_sheet(analysis, themes=[theme], per_theme=per_theme, random_state=seed)
    work = Path(output_dir("build/validation"))
    sheet_path = work / "coding.csv"
    sheet.save(sheet_path, bom=True, fingerprint=corpus.fingerprint())
    display(sheet.strata)
    display(sheet.sheet[["doc_id", "stratum", "text"]].head(4))

# %% [markdown]
# ## 2. Coding — here by the publishers' tags
# A person would open `coding.csv` in a spreadsheet and type 1 or 0 in each row. The tags
# stand in for that person: an address is about sanctions when it is tagged so.

# %%
if available:
    coded = read_csv(sheet_path, encoding="utf-8-sig", dtype={"doc_id": str})
    labels = corpus.to_frame().set_index("id")["labels"].fillna("")
    coded["code"] = [
        int(any(tag.strip() in tags for tag in labels[doc].split(";"))) for doc in coded["doc_id"]
    ]
    write_csv(coded, sheet_path)

# %% [markdown]
# ## 3. Scores with honest uncertainty
# Precision from the coded hits; recall and specificity weighted back to the corpus by each
# stratum's sampling rate; 95 % intervals.

# %%
if available:
    validation = topics.validate_scores(sheet_path, n_boot=n_boot, random_state=seed)
    print(validation.describe())
    display(validation.scores.round(3).T)

# %% [markdown]
# ## 4. Corrected trends
# The share of each week's addresses about the theme, as measured (addresses with a term) and
# corrected for the measure's sensitivity and specificity (Rogan–Gladen). The corrected
# interval carries the validation's uncertainty as well as the week's; the correction assumes
# the measure errs alike in every week.

# %%
if available:
    corrected = corrected_trends(analysis, validation, n_boot=n_boot, random_state=seed)
    figure = plot_prevalence_by_group(
        corrected_series(corrected),
        labels=analysis.labels,
        title=f"Share of addresses about {analysis.labels[theme].lower()}, per week",
        ylabel="share of addresses",
        caption=(
            f"Corrected by {validation.settings['source']} ({len(sheet.sheet)} addresses "
            "coded): Rogan–Gladen, assuming sensitivity and specificity constant across weeks."
        ),
    )
    save_figure(
        figure,
        output_dir(figures_dir) / "07_validation_corrected",
        config={**analysis.config, "validation": dict(validation.settings), "tags": tags},
        fingerprint=corpus.fingerprint(),
        random_state=seed,
    )
    display(figure)
    display(corrected.assign(period=corrected["period"].astype(str)).round(3))
