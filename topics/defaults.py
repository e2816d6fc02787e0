"""Every default the package shares between its entry points, written once.

The library's functions and settings classes, the command line and the report TOML all read
their defaults from here, so that ``analyze_themes``, ``topics trends`` and ``topics report``
cannot drift apart.
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = [
    "ALPHA",
    "BATCHES_PER_UPDATE",
    "BATCH_FILES",
    "BATCH_ROWS",
    "CHUNK_ROWS",
    "CORRECTION",
    "CORRECTIONS",
    "DEDUPE",
    "DEDUPE_THRESHOLD",
    "EPOCHS",
    "EPOCH_TOL",
    "EVENT_WINDOW",
    "FORGET_FACTOR",
    "FREQ",
    "FREQUENCIES",
    "LEARNING_DECAY",
    "LEARNING_OFFSET",
    "LEVEL",
    "MAX_CHANGES",
    "MAX_DF",
    "MIN_CHARS",
    "MIN_DF",
    "MIN_DOCS",
    "MIN_SIZE",
    "N_BOOT",
    "N_FREE",
    "N_PERM",
    "N_TOPICS",
    "PERIOD_RELEVANCE_LAMBDA",
    "RELEVANCE_LAMBDA",
    "SEED",
    "SEGMENT",
    "SHORT_TEXT_TOKENS",
    "TOP_TERMS",
    "VALIDATION_BOOT",
    "WEEKDAYS",
    "WEEK_START",
    "WEIGHTINGS",
    "WINDOW",
    "Correction",
    "Frequency",
    "WeekStart",
    "Weighting",
]

#: How ``topics ingest``, ``topics.ingest`` and a report's ``[corpus]`` read documents unless
#: told otherwise: whole (no segmentation), every one kept however short, no de-duplication.
SEGMENT = "none"
MIN_CHARS = 1
DEDUPE = False
#: Near-duplicates: Jaccard similarity of 5-word shingles at or above which two documents are
#: the same text (MinHash LSH).
DEDUPE_THRESHOLD = 0.8
#: Sentences per window when segmenting into windows.
WINDOW = 3
#: How a period's share counts documents: once each (``"tokens"``: by their length).
WEIGHTING = "documents"
#: Bootstrap draws behind every interval.
N_BOOT = 1000
#: Bootstrap draws behind a validation's scores (precision, recall …) and corrected trends:
#: more than :data:`N_BOOT`, as their intervals are read at the tails of small coded samples.
VALIDATION_BOOT = 2000
#: Topics beside the themes' in a keyword-seeded model (``measure="seeded"``).
N_FREE = 10
#: Interval level.
LEVEL = 0.95
#: Family-wise level of the change test.
ALPHA = 0.05
#: Error the change test controls: ``"fwer"`` (Westfall–Young) or ``"fdr"``.
CORRECTION = "fwer"
#: Permutations of the change test.
N_PERM = 999
#: Fewest units (documents, or the articles of paragraphs) in a segment of the change test, so
#: a well-populated last period can be a segment of its own (planted corpora of ~40 articles a
#: week: family-wise false alarms 0.03 at 5, 10 and 20; a ×3 step into the last week found
#: 0.80, 0.82, 0.76 of the time).
MIN_SIZE = 10
#: Most changes per theme.
MAX_CHANGES = 4
#: Periods with fewer units (documents or articles) are flagged ``few_docs``.
MIN_DOCS = 5
#: Event studies: most periods on each side of the event when no window is given (the window
#: used is the largest that fits the series on both sides, up to this).
EVENT_WINDOW = 6
#: Period length of theme trends.
FREQ = "quarter"
#: First day of a week (ISO 8601).
WEEK_START = "monday"
#: Fewest documents a vocabulary term must occur in.
MIN_DF = 2
#: Largest share of documents a vocabulary term may occur in.
MAX_DF = 0.95
#: Topics of a topic model (`topics fit`, :func:`topics.fit`).
N_TOPICS = 20
#: Relevance λ for a topic's words over the whole corpus (Sievert & Shirley 2014; 1 = probability).
RELEVANCE_LAMBDA = 0.8
#: Relevance λ for a topic's or theme's words within one period (favours what is distinctive
#: of the period more; tuned on the UN dynamic benchmark between 0.3 and 1.0).
PERIOD_RELEVANCE_LAMBDA = 0.6
#: Words per topic in tables.
TOP_TERMS = 10
#: Random seed.
SEED = 0
#: ``topics fit --model auto`` (the default): below this mean number of tokens a document
#: (after vectorising) a corpus is short texts — titles, headlines, posts — and gets
#: ``CoocNMF``; otherwise ``NMF``. Measured on BBC, M10 and DBLP (README, Benchmarks).
SHORT_TEXT_TOKENS = 10.0
#: Mini-batch NMF (``partial_fit``): how much of the accumulated statistics survives one pass
#: over the corpus (scikit-learn's ``MiniBatchNMF`` default).
FORGET_FACTOR = 0.7
#: Online LDA (``partial_fit``): step size ``ρ_t = (LEARNING_OFFSET + t)^(−LEARNING_DECAY)``
#: (Hoffman et al. 2010; scikit-learn's defaults).
LEARNING_OFFSET = 10.0
LEARNING_DECAY = 0.7
#: Models fitted on chunks: most passes over the corpus, the relative loss improvement of an
#: epoch below which to stop, documents per batch, and batches per update (computed in
#: parallel under the same topics, two a task: 8 tasks an update keep up to 8 workers busy).
#: 16 batches an update rather than 4 (UN paragraphs, K = 20, seeds 0–2, default epochs): the
#: same topics (loss +0.03 %, NPMI 0.039 both, TD 0.905 against 0.895) in 16 % less time on
#: 2 workers, whose NMF step runs 1.47× one worker's against 1.28×.
EPOCHS = 10
EPOCH_TOL = 1e-4
BATCH_ROWS = 4096
BATCHES_PER_UPDATE = 16
#: Documents, drawn at random from the whole dataset, that start a chunk-by-chunk fit (NNDSVDa
#: on a sample of every period beats a start from the first batch: UN paragraphs, K = 20, NPMI
#: 0.147 against 0.133, seed 0; the in-memory fit has 0.158). EPOCH_TOL 1e-3 stopped that fit
#: after 4 epochs at 0.142; 1e-4 runs 8–10.
START_ROWS = 20_000
#: Documents per chunk of a dataset (at most; one article's paragraphs are never split).
CHUNK_ROWS = 20_000
#: Article files read by one ingest task of a dataset.
BATCH_FILES = 2_000

# -- the allowed values of every user-facing choice, written once as ``Literal`` types ---------
# Settings classes annotate their fields with these, :func:`topics.config.settings_from` reads
# the allowed values from the annotation, and the command line offers them as ``choices``.
#: Period lengths of trends.
Frequency = Literal["week", "month", "quarter", "year"]
#: First day of a week (ISO 8601: Monday).
WeekStart = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
#: How documents are weighted in a period's share: once each, or by their tokens.
Weighting = Literal["documents", "tokens"]
#: The error the change test controls: family-wise (Westfall–Young) or false discovery rate.
Correction = Literal["fwer", "fdr"]

FREQUENCIES: tuple[str, ...] = get_args(Frequency)
WEEKDAYS: tuple[str, ...] = get_args(WeekStart)
WEIGHTINGS: tuple[str, ...] = get_args(Weighting)
CORRECTIONS: tuple[str, ...] = get_args(Correction)
