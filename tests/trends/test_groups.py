"""Country groups with EU membership dated by accession and exit."""

from __future__ import annotations

import pytest

import topics
from topics import ConfigError, InputError
from topics.trends.groups import EU_MEMBERSHIP, country_groups


def _speeches():
    corpus = topics.Corpus.from_texts(
        ["a", "b", "c", "d", "e", "f"], dates=[2003, 2005, 2019, 2021, 2022, 2022]
    )
    return corpus.with_metadata(
        country_iso3=["POL", "POL", "GBR", "GBR", "KAZ", "usa"],
        year=[2003, 2005, 2019, 2021, 2022, 2022],
    )


def test_eu_membership_follows_the_year_and_named_groups_come_first():
    groups = country_groups(_speeches(), {"Kazakhstan": ["KAZ"]})
    assert groups.tolist() == [
        "rest of the world",  # Poland before accession
        "EU member states",
        "EU member states",  # UK before leaving
        "rest of the world",  # UK after leaving
        "Kazakhstan",
        "rest of the world",  # lower-case codes are read too
    ]
    assert len(EU_MEMBERSHIP) == 28  # 27 members + the UK


def test_rest_can_be_left_out_and_bad_input_is_named():
    only = country_groups(_speeches(), {"Kazakhstan": ["KAZ"]}, rest=None)
    assert set(only) == {"Kazakhstan", "EU member states"}
    assert len(only) == 3
    with pytest.raises(InputError, match="speaker"):
        country_groups(_speeches(), country="speaker")
    with pytest.raises(ConfigError, match="repeat"):
        country_groups(_speeches(), {"EU member states": ["KAZ"]})
