"""Our NPMI against gensim's CoherenceModel(coherence="c_npmi") on the same 15 NMF models.

Models: NMF on OCTIS BBC News (its fixed vocabulary), K = 10…50 × seeds 0, 21, 42; top-10
words; the preprocessed corpus is the reference. Both are run in this process. Our time
includes building the reference index (the corpus pass), paid once for all 15 models.
Prints a table and a final JSON line with ``speedup`` (gensim seconds / ours) and
``max_abs_diff`` (largest per-topic difference). Targets: speedup ≥ 50, max_abs_diff ≤ 1e-6.
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np
from gensim.corpora import Dictionary
from gensim.models.coherencemodel import CoherenceModel

from topics.errors import InputError
from topics.evaluation.coherence import ReferenceCorpus
from topics.evaluation.datasets import load_octis_bbc
from topics.evaluation.metrics import top_word_lists
from topics.models import NMF

KS = (10, 20, 30, 40, 50)
SEEDS = (0, 21, 42)


def main() -> int:
    try:
        bbc = load_octis_bbc()
    except InputError as exc:
        print(f"skipped: {exc}")
        return 0
    models = {
        (k, s): top_word_lists(NMF(k, random_state=s).fit(bbc.matrix).top_terms(10))
        for k in KS
        for s in SEEDS
    }
    dictionary = Dictionary(bbc.tokens)

    start = time.perf_counter()
    theirs = {}
    for key, topics in models.items():
        cm = CoherenceModel(
            topics=topics, texts=bbc.tokens, dictionary=dictionary, coherence="c_npmi", topn=10
        )
        theirs[key] = np.asarray(cm.get_coherence_per_topic())
    gensim_seconds = time.perf_counter() - start

    start = time.perf_counter()
    reference = ReferenceCorpus(bbc.tokens)
    ours = {
        key: reference.score(topics, "c_npmi")["coherence"].to_numpy()
        for key, topics in models.items()
    }
    our_seconds = time.perf_counter() - start

    diffs = [float(np.abs(ours[key] - theirs[key]).max()) for key in models]
    for key in models:
        print(
            f"K={key[0]:<3} seed={key[1]:<3} NPMI ours {ours[key].mean():.6f}  "
            f"gensim {theirs[key].mean():.6f}"
        )
    print(f"gensim {gensim_seconds:.2f} s, ours {our_seconds:.3f} s (index built once, included)")
    print(
        json.dumps(
            {
                "models": len(models),
                "gensim_seconds": round(gensim_seconds, 3),
                "our_seconds": round(our_seconds, 4),
                "speedup": round(gensim_seconds / our_seconds, 1),
                "max_abs_diff": max(diffs),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
