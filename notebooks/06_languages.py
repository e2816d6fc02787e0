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
# # 06 — One codebook, several languages
#
# The press on Kazakhstan–EU relations is written in Kazakh, Russian and English, and the wider
# coverage of the war in Russian and Ukrainian. `data/themes.toml` gives every theme's terms in
# English, Russian, Ukrainian and Kazakh (stems such as `санкці*` for inflected words), and each
# document is read in its own language — detected at ingest, with that language's stop words
# and lemmas. Does a theme then measure the same thing in every language?
#
# A parallel corpus answers it: video addresses of Ukrainian officials, spring 2022, each in
# its Ukrainian original and its English translation (`../shared/corpora/resistinua`, CC0).
# The same address must score alike in both versions.

# %% tags=["parameters"]
figures_dir = "build/figures"  # `make figures` passes figures/
corpus_dir = None  # default: ../shared/corpora/resistinua
codebook_path = "data/themes.toml"
themes = ["sanctions", "energy", "connectivity"]
freq = "week"
n_boot = 500
seed = 0

# %% tags=["small"]
# A quick run (CI, `topics figures --small`) replaces these parameters:
small_parameters = {"n_boot": 50}

# %%
import pandas as pd
from IPython.display import display
from sklearn.metrics import cohen_kappa_score

import topics
from topics.errors import InputError
from topics.evaluation.datasets import load_parallel_addresses
from topics.paths import locate, output_dir
from topics.plots import plot_prevalence_by_group, save_figure

# %%
try:
    corpus = load_parallel_addresses(locate(corpus_dir) if corpus_dir else None)
except InputError as missing:
    corpus = None
    print(f"{missing}\nThis notebook stops here.")
available = corpus is not None

# %% [markdown]
# Both files go into one corpus. The source gives one `id` to two addresses of 17 May (a speech
# and a briefing), so the rows are numbered instead (`id` → `file:row`) and the source's id is
# kept as `id_input`. Each document's language is detected, not taken from the file.

# %%
if available:
    print(f"{len(corpus)} addresses; languages: {corpus.summary()['languages']}")
    codebook = topics.Codebook.from_toml(locate(codebook_path))
    analysis = topics.analyze_themes(
        corpus, codebook, freq=freq, measure="dictionary", n_boot=n_boot, random_state=seed
    )

# %% [markdown]
# ## The same themes, week by week, in each language
# One line per language with its own 95 % interval (addresses resampled within the language).
# The measure is one definition: a theme's share of a document's words.

# %%
if available:
    by_language = analysis.by_group("lang")
    figure = plot_prevalence_by_group(
        by_language,
        themes=themes,
        labels=analysis.labels,
        title="The same addresses in Ukrainian and English: theme share per week",
    )
    save_figure(
        figure,
        output_dir(figures_dir) / "06_languages_sanctions",
        config={**analysis.config, "corpus": "resistinua addresses_uk + addresses_en"},
        fingerprint=corpus.fingerprint(),
        random_state=seed,
    )
    display(figure)

# %% [markdown]
# ## Address by address: do both versions find the theme?
# A theme is *found* in an address when any of its terms occurs. Cohen's κ compares the
# Ukrainian and the English version of each address (1 = always agree; 0 = chance).

# %%
if available:
    frame = corpus.to_frame().set_index("id")
    found = analysis.shares.assign(found=analysis.shares["share"] > 0).pivot(
        index="doc_id", columns="theme", values="found"
    )
    key = frame["id_input"].astype(str) + "@" + frame["date"].astype(str)
    found["address"] = key.reindex(found.index).to_numpy()
    found["lang"] = frame["lang"].reindex(found.index).to_numpy()
    uk = found[found["lang"] == "uk"].drop_duplicates("address").set_index("address")
    en = found[found["lang"] == "en"].drop_duplicates("address").set_index("address")
    both = uk.index.intersection(en.index)
    agreement = pd.DataFrame(
        {
            "found in uk": uk.loc[both, codebook.names].sum(),
            "found in en": en.loc[both, codebook.names].sum(),
            "kappa": [
                cohen_kappa_score(uk.loc[both, t].astype(bool), en.loc[both, t].astype(bool))
                for t in codebook.names
            ],
        }
    )
    print(f"{len(both)} addresses in both languages")
    display(agreement.round(2))
