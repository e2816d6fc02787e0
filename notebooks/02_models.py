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
# # 02 — Topic models: LDA against NMF, choosing K, stability
#
# Which model and how many topics? We fit NMF (tf-idf, coordinate descent) and LDA (collapsed
# Gibbs sampling) for a range of K and several seeds on the paragraphs of the Central Asian
# states' UN General Debate speeches 1992–2024, and score every fit on coherence (NPMI of the
# top 10 words, the paragraphs as reference), topic diversity and stability across seeds
# (how well the topics of two seeds match; for NMF, whose fit ignores the seed, of two 80 %
# resamples). When the UN corpus is absent the shipped press
# articles are used instead (too few for a meaningful K, but the notebook runs).

# %% tags=["parameters"]
figures_dir = "build/figures"  # `make figures` passes figures/
corpus_path = None  # default: ../shared/corpora/ungd/ungdc_central_asia_1992_2024.jsonl.gz
max_paragraphs = 0  # 0 means all
ks = "5:30:5"
seeds = [0, 1, 2]
lda_iter = 200  # Gibbs sweeps per LDA fit in the sweep
n_jobs = 2
codebook_path = "data/themes.toml"  # its phrases are kept as single tokens
seed = 0

# %% tags=["small"]
# A quick run (CI, `topics figures --small`) replaces these parameters:
small_parameters = {"max_paragraphs": 800, "ks": "4,8", "seeds": [0, 1], "lda_iter": 50}

# %%

import topics
from topics.evaluation.selection import ModelSpec, parse_k_range, sweep
from topics.models import LDA, NMF
from topics.paths import locate, output_dir, shared_path
from topics.plots import plot_k_selection, plot_top_terms, save_figure

# %%
source = (
    locate(corpus_path)
    if corpus_path
    else shared_path("corpora", "ungd", "ungdc_central_asia_1992_2024.jsonl.gz")
)
if source is not None and source.exists():
    ingested = topics.ingest(
        source, columns={"date": "year", "id": "id"}, segment="paragraphs", min_chars=40
    )
    corpus_name = source.name
else:
    print("UN Central Asia speeches not found; using the shipped press articles (data/seeds).")
    ingested = topics.ingest(locate("data/seeds"), segment="paragraphs", dedupe=True)
    corpus_name = "data/seeds"
paragraphs = ingested.corpus
if max_paragraphs:
    paragraphs = paragraphs.sample(max_paragraphs, random_state=seed)
# multi-word names of the study (European Union, Central Asia …) stay one token: the codebook's
config = topics.Codebook.from_toml(locate(codebook_path)).preprocess_config()
matrix, tokens = topics.Vectorizer(config, min_df=5, max_df=0.5).fit_transform_tokens(paragraphs)
print(f"{corpus_name}: {len(paragraphs):,} paragraphs, {matrix.shape[1]:,} terms")

# %% [markdown]
# ## Choosing K
# Every (model, K, seed) is fitted; the recommended K is the most coherent among those whose
# topics are stable (mean matched agreement ≥ 0.6). LDA's stability is across seeds; NMF's
# NNDSVD start ignores the seed, so each of its seeds fits an 80 % resample of the paragraphs
# and its stability is across resamples (`stability_kind` says which).

# %%
configs = {"NMF": ModelSpec("nmf"), "LDA": ModelSpec("lda", {"max_iter": lda_iter})}
result = sweep(matrix, tokens, ks=parse_k_range(ks), seeds=seeds, configs=configs, n_jobs=n_jobs)
k_nmf = result.recommend_k(config="NMF")
k_lda = result.recommend_k(config="LDA")
print(f"recommended K: NMF {k_nmf}, LDA {k_lda}")
result.summary.round(3)

# %%
figure = plot_k_selection(
    result.summary, recommended=k_nmf, title=f"Choosing K ({corpus_name}; dashed: NMF's K)"
)
manifest_config = {"corpus": corpus_name, "ks": ks, "seeds": seeds, "lda_iter": lda_iter}
save_figure(
    figure,
    output_dir(figures_dir) / "02_models_k_selection",
    config=manifest_config,
    fingerprint=paragraphs.fingerprint(),
    random_state=seed,
)
figure

# %% [markdown]
# ## The topics at the recommended K
# Words are ranked by relevance (λ = 0.8 for LDA; NMF's own weights re-ranked the same way), so
# words frequent everywhere do not crowd every topic.

# %%
nmf = NMF(k_nmf, random_state=seed).fit(matrix)
nmf_terms = nmf.top_terms(8)
figure = plot_top_terms(nmf_terms, n=8, title=f"NMF, K = {k_nmf}: top terms per topic")
save_figure(
    figure,
    output_dir(figures_dir) / "02_models_top_terms_nmf",
    config={**manifest_config, "family": "nmf", "n_topics": k_nmf},
    fingerprint=paragraphs.fingerprint(),
    random_state=seed,
)
figure

# %%
lda = LDA(k_lda, random_state=seed).fit(matrix)
figure = plot_top_terms(lda.top_terms(8), n=8, title=f"LDA, K = {k_lda}: top terms per topic")
save_figure(
    figure,
    output_dir(figures_dir) / "02_models_top_terms_lda",
    config={**manifest_config, "family": "lda", "n_topics": k_lda},
    fingerprint=paragraphs.fingerprint(),
    random_state=seed,
)
figure

# %% [markdown]
# ## How the two compare at their recommended K

# %%
comparison = result.summary[
    ((result.summary["config"] == "NMF") & (result.summary["n_topics"] == k_nmf))
    | ((result.summary["config"] == "LDA") & (result.summary["n_topics"] == k_lda))
]
comparison[
    ["config", "n_topics", "npmi", "npmi_sd", "diversity", "stability", "stability_kind"]
].round(3)
