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
# # 04 — Dynamic topics: how the words of each theme change
#
# A theme's vocabulary moves: "connectivity" can mean transit and landlocked access in one
# decade and corridors and logistics hubs in the next. Two views, on the paragraphs of the UN
# General Debate speeches 2000–2024 in five-year bins:
#
# 1. **Named themes over time** — for each codebook theme and bin, the words of the paragraphs
#    that use the theme's seed terms, ranked by how characteristic they are of that context in
#    that bin (`theme_terms`). Every word listed co-occurs with the seeds, so a theme whose
#    seeds are rare cannot drift into an unrelated topic, which is what a keyword-seeded LDA
#    does with "critical raw materials" on these speeches.
# 2. **Dynamic NMF** (Greene & Cross 2017) — an NMF per bin with K chosen by coherence, then an
#    NMF over all bins' topics; plus the births, deaths, splits and merges of topics between
#    consecutive bins.

# %% tags=["parameters"]
figures_dir = "build/figures"  # `make figures` passes figures/
corpus_path = None  # default: ../shared/corpora/ungd/ungdc_2000_2024.jsonl.gz
max_speeches = 0  # 0 means all
bin_years = 5
headline = ["sanctions", "ukraine", "connectivity", "raw_materials"]
codebook_path = "data/themes.toml"
window_ks = [10, 20]
dynamic_k = 20
dnmf_theme = "ukraine"  # the dynamic topic closest to this theme is drawn
seed = 0

# %% tags=["small"]
# A quick run (CI, `topics figures --small`) replaces these parameters:
small_parameters = {"max_speeches": 150, "window_ks": [3, 5], "dynamic_k": 4}

# %%

from IPython.display import display

import topics
from topics.corpus.periods import assign_year_bins
from topics.dynamic import DynamicNMF, align_windows, term_turnover, theme_terms
from topics.paths import locate, output_dir, shared_path
from topics.plots import plot_term_evolution, plot_theme_evolution, save_figure
from topics.themes import Codebook, map_topics

# %%
source = (
    locate(corpus_path)
    if corpus_path
    else shared_path("corpora", "ungd", "ungdc_2000_2024.jsonl.gz")
)
available = source is not None and source.exists()
if not available:
    print(
        "The UN General Debate corpus was not found, so this notebook stops here (the five "
        "shipped press articles are too few for dynamic topics). See notebook 05 for how to "
        "get the corpus, or run this notebook with corpus_path set."
    )

# %%
if available:
    documents = topics.ingest(source, columns={"date": "year", "id": "id"}).documents
    if max_speeches:
        documents = documents.sample(max_speeches, random_state=seed)
    paragraphs = documents.segment("paragraphs", min_chars=40)
    periods = assign_year_bins(paragraphs, bin_years)
    codebook = Codebook.from_toml(locate(codebook_path))
    config = codebook.preprocess_config()
    seed_terms = [t for m in codebook.tokens(config).values() for t in m]
    vectorizer = topics.Vectorizer(config, min_df=5, max_df=0.5, keep_terms=seed_terms)
    matrix, tokens = vectorizer.fit_transform_tokens(paragraphs)
    print(f"{source.name}: {len(paragraphs):,} paragraphs, {matrix.shape[1]:,} terms")
    display(periods.groupby("period").size().rename("paragraphs").to_frame().T)

# %% [markdown]
# ## The words of each headline theme, bin by bin
# Cell shade is the word's share of the theme's context in that bin; the number is its rank
# (top 6). Words that enter later sit lower, so a shift in vocabulary reads as a staircase.

# %%
if available:
    terms = theme_terms(tokens, list(periods["period"]), codebook, config=config, n=10)
    labels = {t.name: t.label for t in codebook.themes}
    figure = plot_theme_evolution(
        terms,
        headline,
        n=6,
        labels=labels,
        weight_label="share of the theme's paragraphs' words",
        title=f"Theme vocabulary per {bin_years}-year bin (words of paragraphs using its terms)",
    )
    figure_config = {
        "corpus": source.name,
        "max_speeches": max_speeches,
        "bin_years": bin_years,
        "codebook": codebook_path,
    }
    save_figure(
        figure,
        output_dir(figures_dir) / "04_dynamic_topics_themes",
        config=figure_config,
        fingerprint=paragraphs.fingerprint(),
        random_state=seed,
    )
    display(figure)

# %% [markdown]
# Every dynamic method in the package returns the same tidy shape
# (`topic, period, rank, term, weight`), so the same figures and summaries work for all of them.
# Turnover: mean share of the top-10 words that change between consecutive bins; the words that
# entered and left between the first and the last bin.

# %%
if available:
    display(term_turnover(terms[terms["topic"].isin(headline)], n=10))

# %% [markdown]
# ## Dynamic NMF: topics found bin by bin, then linked
# K per bin is chosen by coherence; each bin's topics feed one of the dynamic topics.

# %%
if available:
    dynamic = DynamicNMF(dynamic_k, window_ks=window_ks, random_state=seed)
    dynamic.fit(matrix, periods, tokens)
    display(dynamic.windows_.round(3))
    dynamic_terms = dynamic.topic_terms(n=6)
    turnover = term_turnover(dynamic_terms, n=6)
    display(turnover)

# %% [markdown]
# Among the dynamic topics found in the most bins, the one closest to a headline theme (the
# largest share of its weight on the theme's seed terms), bin by bin:

# %%
if available:
    lasting = turnover.loc[turnover["n_periods"] == turnover["n_periods"].max(), "topic"]
    mapping = map_topics(dynamic.topic_word_, matrix.vocabulary, codebook, config=config)
    candidates = mapping[mapping["topic"].isin(lasting)]
    chosen = int(candidates.sort_values(f"sim_{dnmf_theme}", ascending=False).iloc[0]["topic"])
    label = f"dynamic topic {chosen}, closest to “{labels[dnmf_theme]}”"
    figure = plot_term_evolution(dynamic_terms, chosen, n=6, label=label)
    save_figure(
        figure,
        output_dir(figures_dir) / "04_dynamic_topics_dnmf",
        config={
            **figure_config,
            "window_ks": window_ks,
            "dynamic_k": dynamic_k,
            "theme": dnmf_theme,
        },
        fingerprint=paragraphs.fingerprint(),
        random_state=seed,
    )
    display(figure)

# %% [markdown]
# ## Births, deaths, splits and merges between consecutive bins
# Bins' topics are matched one-to-one by the Hungarian algorithm on cosine similarity of their
# word distributions; a topic without a match (similarity < 0.3) is born or dies, one similar
# to several topics of the next bin splits, several similar to one merge.

# %%
if available:
    chains, events = align_windows(dynamic.window_topic_word_, list(dynamic.windows_["period"]))
    display(events.groupby(["period", "kind"]).size().unstack(fill_value=0))
