from __future__ import annotations

import pytest

from topics.errors import InputError
from topics.evaluation.datasets import load_octis_bbc, load_ungd_dynamic


def test_octis_bbc_loads_with_its_fixed_vocabulary(bbc):
    assert bbc.matrix.shape == (2225, 2949)
    assert len(bbc.tokens) == len(bbc.labels) == 2225
    assert set(bbc.labels) == {"business", "entertainment", "politics", "sport", "tech"}
    # every token of the preprocessed corpus is in the vocabulary, so nothing is lost
    assert int(bbc.matrix.counts.sum()) == sum(len(t) for t in bbc.tokens)


def test_missing_corpus_says_where_it_looked(tmp_path):
    with pytest.raises(InputError, match="octis_bbc"):
        load_octis_bbc(tmp_path)
    with pytest.raises(InputError, match=r"ungdc_2000_2024\.jsonl\.gz"):
        load_ungd_dynamic(tmp_path / "absent.jsonl.gz")
