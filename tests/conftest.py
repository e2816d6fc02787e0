"""Shared fixtures: the shipped seeds and (when present) the shared corpora."""

from __future__ import annotations

from pathlib import Path

import pytest

from topics.paths import data_dir, shared_path

SEEDS = data_dir() / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def ungd_path() -> Path:
    path = shared_path("corpora", "ungd", "ungdc_2000_2024.jsonl.gz")
    if path is None:
        pytest.skip(
            "UN General Debate corpus not found: put it at ../shared/corpora/ungd/ or set "
            "TOPICS_SHARED to a folder holding corpora/ungd/ungdc_2000_2024.jsonl.gz"
        )
    return path


@pytest.fixture(scope="session")
def bbc():
    from topics.errors import InputError
    from topics.evaluation.datasets import load_octis_bbc

    try:
        return load_octis_bbc()
    except InputError as exc:
        pytest.skip(f"OCTIS BBC News not available: {exc}")
