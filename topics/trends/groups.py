"""Groups of documents by speaker country, with EU membership dated by accession and exit.

Comparing "EU member states" across 2000–2024 needs the membership of each year: ten states
joined in 2004, two in 2007, Croatia in 2013, and the United Kingdom left on 31 January 2020.
:func:`eu_member` answers for a country and a year; :func:`country_groups` labels every
document of a corpus (e.g. UN General Debate speeches, which carry ``country_iso3`` and
``year``) so :meth:`topics.themes.analysis.ThemeAnalysis.by_group` can compare the groups.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from ..corpus.corpus import Corpus
from ..errors import ConfigError, InputError

__all__ = ["EU_MEMBERSHIP", "country_groups", "eu_member"]

# ISO 3166-1 alpha-3 → (first year of membership, first year after leaving or None).
EU_MEMBERSHIP: dict[str, tuple[int, int | None]] = {
    **{c: (1958, None) for c in ("BEL", "FRA", "DEU", "ITA", "LUX", "NLD")},
    **{c: (1973, None) for c in ("DNK", "IRL")},
    "GBR": (1973, 2020),
    "GRC": (1981, None),
    **{c: (1986, None) for c in ("PRT", "ESP")},
    **{c: (1995, None) for c in ("AUT", "FIN", "SWE")},
    **{
        c: (2004, None)
        for c in ("CYP", "CZE", "EST", "HUN", "LVA", "LTU", "MLT", "POL", "SVK", "SVN")
    },
    **{c: (2007, None) for c in ("BGR", "ROU")},
    "HRV": (2013, None),
}


def eu_member(country: str, year: int) -> bool:
    """Whether ``country`` (ISO3) was an EU member state in ``year``.

    >>> [eu_member("POL", 2003), eu_member("POL", 2004)]
    [False, True]
    >>> [eu_member("GBR", 2019), eu_member("GBR", 2020), eu_member("KAZ", 2022)]
    [True, False, False]
    """
    span = EU_MEMBERSHIP.get(str(country).upper())
    if span is None:
        return False
    joined, left = span
    return joined <= int(year) and (left is None or int(year) < left)


def country_groups(
    corpus: Corpus,
    named: Mapping[str, Sequence[str]] | None = None,
    *,
    eu: str | None = "EU member states",
    rest: str | None = "rest of the world",
    country: str = "country_iso3",
    year: str = "year",
) -> pd.Series:
    """Label each document with a group by its country (and, for the EU, its year).

    Parameters
    ----------
    corpus
        Documents with a country column (and a year column when ``eu`` is used).
    named
        Groups of countries checked first, in order, e.g. ``{"Kazakhstan": ["KAZ"]}``.
    eu
        Label for EU member states in the document's year; ``None`` to not form this group.
    rest
        Label for every other document; ``None`` leaves them out of the result.
    country, year
        Column names.

    Returns
    -------
    Series
        Group label indexed by document id.

    """
    columns = corpus.columns
    if country not in columns:
        raise InputError(f"the corpus has no {country!r} column (columns: {columns})")
    if eu is not None and year not in columns:
        raise InputError(f"EU membership needs a {year!r} column (columns: {columns})")
    named = dict(named or {})
    labels = [*named, *([eu] if eu else []), *([rest] if rest else [])]
    if len(set(labels)) != len(labels):
        raise ConfigError(f"group labels repeat: {labels}")
    lookup = {c.upper(): name for name, codes in named.items() for c in codes}
    countries = corpus.column(country).astype("string").str.upper()
    years = corpus.column(year) if eu is not None else pd.Series(0, index=countries.index)
    out: dict[str, str] = {}
    for doc_id, code, when in zip(corpus.ids, countries, years, strict=True):
        code = "" if pd.isna(code) else str(code)
        if code in lookup:
            out[doc_id] = lookup[code]
        elif eu is not None and not pd.isna(when) and eu_member(code, int(when)):
            out[doc_id] = eu
        elif rest is not None:
            out[doc_id] = rest
    return pd.Series(out, name="group", dtype="object")
