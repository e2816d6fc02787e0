"""Agreement of two coders: Cohen's κ, Krippendorff's α and the documents they disagree on.

Before one coder's codes validate a measure, a second coder codes part of the same sample.
:func:`agreement` pairs the two sheets per theme and document. Codes are nominal (0/1, or
any labels), and a blank code counts as not coded.

* Cohen's κ = ``(p_o − p_e) / (1 − p_e)``, with ``p_o`` the share of pairs that agree and
  ``p_e`` the agreement expected from the two coders' own marginal distributions.
* Krippendorff's α for nominal data, computed from the coincidence matrix ``o``. Each paired
  document adds its pair in both orders, so ``n = 2 · n_both`` values are paired.
  ``α = 1 − D_o / D_e = 1 − (n − 1) Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k``, with ``n_c`` the number of
  values ``c`` among all paired codes. Unlike κ, α pools the two coders' marginals, so it
  does not reward coders for disagreeing about how common a category is.

Both are NaN when no agreement beyond chance can be told apart from agreement itself: when
no document is coded by both, or when both coders use one and the same value throughout
(``p_e = 1``; ``D_e = 0``). In that case ``agree`` is 1, but κ and α are 0 / 0, which we
report as NaN without a warning.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from .scores import _coded_once, _require

__all__ = ["AGREEMENT_COLUMNS", "agreement"]

AGREEMENT_COLUMNS = ("theme", "n_both", "n_only_one", "agree", "kappa", "alpha")
Ints = npt.NDArray[np.int64]


def _sheet(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """``theme, doc_id, code`` of the rows with a code, checked for documents coded twice."""
    _require(frame, ("theme", "doc_id", "code"), name)
    sheet = frame.loc[frame["code"].notna(), ["theme", "doc_id", "code"]]
    _coded_once(sheet, name)
    return sheet


def _square(x: Ints, y: Ints, size: int) -> npt.NDArray[np.float64]:
    """Count the pairs ``(x_i, y_i)`` in a ``size × size`` table."""
    table = np.zeros((size, size))
    np.add.at(table, (x, y), 1.0)
    return table


def _cohen_kappa(x: Ints, y: Ints, size: int) -> float:
    """Cohen's κ of two coders' category indices (NaN when p_e = 1 or there are no pairs)."""
    if len(x) == 0:
        return np.nan
    table = _square(x, y, size) / len(x)
    observed = float(np.trace(table))
    expected = float(table.sum(axis=1) @ table.sum(axis=0))
    return np.nan if expected >= 1 - 1e-12 else (observed - expected) / (1 - expected)


def _krippendorff_alpha(x: Ints, y: Ints, size: int) -> float:
    """Krippendorff's α for nominal data, two coders, no missing values (NaN when D_e = 0)."""
    coincidence = _square(x, y, size) + _square(y, x, size)
    values = coincidence.sum(axis=1)
    n = float(values.sum())
    disagreed = float(coincidence.sum() - np.trace(coincidence))
    expected = n * n - float(values @ values)
    return np.nan if expected <= 0 else 1 - (n - 1) * disagreed / expected


def agreement(first: pd.DataFrame, second: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per theme agreement of two coders, and the documents they disagree on.

    Parameters
    ----------
    first, second
        The two coders' sheets: ``theme, doc_id, code``, one row per theme and document.
        Rows with a blank code are not coded.

    Returns
    -------
    summary : DataFrame
        :data:`AGREEMENT_COLUMNS`, one row per theme (in order of first appearance in
        ``first``, then ``second``): ``n_both`` documents coded by both, ``n_only_one``
        coded by only one coder (left out of the pairs), ``agree`` the share of pairs that
        agree, Cohen's ``kappa`` and Krippendorff's ``alpha`` (NaN as the module docstring
        says).
    disagreements : DataFrame
        ``theme, doc_id, code_first, code_second`` of the pairs that differ.

    Raises
    ------
    InputError
        A missing column, or a document coded twice in one sheet.

    """
    a, b = _sheet(first, "first"), _sheet(second, "second")
    keys = ["theme", "doc_id"]
    pairs = a.merge(b, on=keys, how="inner", suffixes=("_first", "_second"), sort=False)
    coded = a[keys].merge(b[keys], on=keys, how="outer", indicator=True, sort=False)
    alone = coded.loc[coded["_merge"] != "both", "theme"]
    rows = []
    for theme in pd.unique(pd.concat([first["theme"], second["theme"]])):
        paired = pairs[pairs["theme"] == theme]
        labels, _ = pd.factorize(pd.concat([paired["code_first"], paired["code_second"]]))
        x, y = labels[: len(paired)].astype(np.int64), labels[len(paired) :].astype(np.int64)
        size = int(labels.max()) + 1 if len(labels) else 0
        rows.append(
            {
                "theme": theme,
                "n_both": len(paired),
                "n_only_one": int((alone == theme).sum()),
                "agree": float(np.mean(x == y)) if len(x) else np.nan,
                "kappa": _cohen_kappa(x, y, size),
                "alpha": _krippendorff_alpha(x, y, size),
            }
        )
    differ = pairs[pairs["code_first"] != pairs["code_second"]]
    disagreements = differ[["theme", "doc_id", "code_first", "code_second"]].reset_index(drop=True)
    return pd.DataFrame(rows, columns=list(AGREEMENT_COLUMNS)), disagreements
