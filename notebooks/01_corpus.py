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
# # 01 — The corpus: what we read, when it is dated, what was dropped
#
# A trend is only as good as its dates and its de-duplication. This notebook ingests the
# shipped press articles (`data/seeds`) and, when available, the UN General Debate speeches,
# and shows the ingest report, the date precision and the duplicates.

# %% tags=["parameters"]
figures_dir = "build/figures"  # `make figures` passes figures/
seeds_path = "data/seeds"
ungd_path = None  # default: ../shared/corpora/ungd/ungdc_2000_2024.jsonl.gz when present
ungd_max_speeches = 0  # 0 means all speeches
seed = 0

# %% tags=["small"]
# A quick run (CI, `topics figures --small`) replaces these parameters:
small_parameters = {"ungd_max_speeches": 200}

# %%

import topics
from topics.corpus.periods import documents_per_period
from topics.paths import locate, output_dir, shared_path
from topics.plots import plot_corpus_timeline, save_figure

# %% [markdown]
# ## The press articles
# One report line per input file; counts sum to the number of files.

# %%
press = topics.ingest(locate(seeds_path), segment="paragraphs", dedupe=True, random_state=seed)
print(press.report.render(press.documents))
press.documents.to_frame()[["id", "date", "date_precision", "date_source", "title", "outlet"]]

# %% [markdown]
# Paragraphs inherit the article's date and outlet; they are the units a topic model sees.

# %%
press.corpus.to_frame()[["id", "parent_id", "date", "text"]].head(8)

# %%
counts = documents_per_period(press.documents, "quarter")
figure = plot_corpus_timeline(counts, title="Press articles per quarter, by date precision")
save_figure(
    figure,
    output_dir(figures_dir) / "01_corpus_press_timeline",
    config={"corpus": seeds_path, "freq": "quarter"},
    fingerprint=press.documents.fingerprint(),
    random_state=seed,
)
figure

# %% [markdown]
# ## UN General Debate speeches
# Year-precision dates from the `year` column; speeches split into paragraphs at
# sentence-final line breaks, with PDF page headers removed.

# %%
ungd = (
    locate(ungd_path) if ungd_path else shared_path("corpora", "ungd", "ungdc_2000_2024.jsonl.gz")
)
if ungd is None or not ungd.exists():
    print(
        "UN General Debate corpus not found. Get it from the UN General Debate Corpus "
        "(Harvard Dataverse doi:10.7910/DVN/0TJX8Y) as JSONL and set ungd_path, or put it at "
        "../shared/corpora/ungd/ungdc_2000_2024.jsonl.gz."
    )
else:
    un = topics.ingest(ungd, columns={"date": "year", "id": "id"}, segment="paragraphs")
    documents = un.documents
    if ungd_max_speeches:
        documents = documents.sample(ungd_max_speeches, random_state=seed)
    print(un.report.render(documents))
    print(f"paragraphs: {len(un.corpus):,}")
    un_counts = documents_per_period(documents, "year")
    un_figure = plot_corpus_timeline(un_counts, title="UN General Debate speeches per year")
    save_figure(
        un_figure,
        output_dir(figures_dir) / "01_corpus_ungd_timeline",
        config={"corpus": ungd.name, "freq": "year", "max_speeches": ungd_max_speeches},
        fingerprint=documents.fingerprint(),
        random_state=seed,
    )
