"""The preprocessor's per-word cache changes nothing but the time."""

from __future__ import annotations

import pickle

from short_sentences import KAZAKH, RUSSIAN

from topics.text import PreprocessConfig, Preprocessor


def test_remembered_words_give_the_tokens_a_fresh_preprocessor_gives():
    """The per-word cache: same tokens as working every text out on its own, in any order."""
    texts = [*RUSSIAN[:10], *KAZAKH[:10], "The EU's sanctions on Russia's banks, 2022.",
             "Санкции ЕС против банков России.", "The sanctions, again: sanctions!"]  # fmt: skip
    shared = Preprocessor(PreprocessConfig())
    once = shared.transform(texts)
    assert shared.transform(list(reversed(texts))) == list(reversed(once))
    assert once == [Preprocessor(PreprocessConfig()).transform([t])[0] for t in texts]
    copied = pickle.loads(pickle.dumps(shared))  # how Dask sends it to a worker
    assert copied._seen == {}
    assert copied.transform(texts) == once
