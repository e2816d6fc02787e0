"""Executing the jupytext notebooks that regenerate every figure.

The notebooks in ``notebooks/`` are jupytext percent ``.py`` files (the reviewable source). Each
has a papermill ``parameters`` cell with at least ``figures_dir``, and a cell tagged ``small``
that assigns ``small_parameters``: the values a quick run (CI) uses instead — each notebook
knows its own parameters, the runner none. Figures a notebook saves are named after it
(``01_corpus_timeline.svg``). :func:`run_notebooks` converts each to
``build/<name>.ipynb``, executes it with papermill, and writes ``figures/MANIFEST.json``
mapping every figure to the notebook and parameters that made it.
"""

from __future__ import annotations

import ast
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import ConfigError, TopicsError
from ..manifest import atomic_write_text, dumps, package_versions
from ..paths import project_root

__all__ = ["list_notebooks", "notebook_parameters", "run_notebooks"]


def notebook_parameters(notebook: Any, tag: str) -> dict[str, Any]:
    """Return the values a notebook's cell tagged ``tag`` assigns.

    ``"parameters"`` gives the papermill parameters (every top-level assignment);
    ``"small"`` gives the dictionary assigned to ``small_parameters``, whose keys must be
    parameters. Values must be Python literals.
    """
    cells = [c for c in notebook.cells if tag in c.get("metadata", {}).get("tags", [])]
    if not cells:
        return {}
    values: dict[str, Any] = {}
    for node in ast.parse(cells[0].source).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            try:
                values[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError as exc:
                raise ConfigError(
                    f"cell tagged {tag!r}: {node.targets[0].id} is not a literal ({exc})"
                ) from None
    return dict(values.get("small_parameters", {})) if tag == "small" else values


def list_notebooks(folder: Path | None = None) -> list[Path]:
    """Return the notebook sources (``NN_name.py``) in order."""
    folder = folder or project_root() / "notebooks"
    return sorted(p for p in folder.glob("[0-9][0-9]_*.py"))


def run_notebooks(
    *,
    names: Sequence[str] | None = None,
    small: bool = False,
    build_dir: Path | None = None,
    figures_dir: Path | None = None,
    parameters: Mapping[str, Mapping[str, Any]] | None = None,
    cwd: Path | None = None,
) -> dict[str, Any]:
    """Execute notebooks in order and write ``MANIFEST.json`` into ``figures_dir``.

    Parameters
    ----------
    names
        Notebook names (``"01_corpus"``) to run; all when omitted.
    small
        Use each notebook's ``small_parameters`` (fast, for CI).
    build_dir
        Where executed ``.ipynb`` files go (default ``build/``).
    figures_dir
        Where figures go (default ``figures/``).
    parameters
        Extra per-notebook parameters, overriding the others.
    cwd
        Working directory of the kernels (default: the checkout); notebooks find their inputs
        and write their outputs wherever they run from.

    Returns
    -------
    dict
        The manifest written.

    """
    import jupytext
    import papermill

    root = project_root()
    build_dir = build_dir or root / "build"
    figures_dir = figures_dir or root / "figures"
    build_dir.mkdir(parents=True, exist_ok=True)
    figures_dir.mkdir(parents=True, exist_ok=True)
    sources = list_notebooks()
    if names:
        known = {p.stem: p for p in sources}
        unknown = [n for n in names if n not in known]
        if unknown:
            raise ConfigError(f"unknown notebooks {unknown}; available: {sorted(known)}")
        sources = [known[n] for n in names]
    manifest_path = figures_dir / "MANIFEST.json"
    figures: dict[str, Any] = {}
    if manifest_path.exists() and names:
        figures = json.loads(manifest_path.read_text(encoding="utf-8")).get("figures", {})
    for source in sources:
        name = source.stem
        notebook = jupytext.read(source)
        inside = figures_dir.resolve().is_relative_to(root)
        shown = os.path.relpath(figures_dir, root) if inside else str(figures_dir.resolve())
        params: dict[str, Any] = {"figures_dir": shown}
        if small:
            quick = notebook_parameters(notebook, "small")
            unknown = sorted(set(quick) - set(notebook_parameters(notebook, "parameters")))
            if unknown:
                raise ConfigError(f"{source.name}: small_parameters names no parameter {unknown}")
            params.update(quick)
        params.update((parameters or {}).get(name, {}))
        notebook.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        input_path = build_dir / f"{name}.input.ipynb"
        output_path = build_dir / f"{name}.ipynb"
        jupytext.write(notebook, input_path, fmt="ipynb")
        try:
            papermill.execute_notebook(
                str(input_path),
                str(output_path),
                parameters=params,
                kernel_name="python3",
                cwd=str(cwd or root),
                progress_bar=False,
                log_output=False,
            )
        except papermill.PapermillExecutionError as exc:
            raise TopicsError(f"notebook {source.name} failed: {exc.ename}: {exc.evalue}") from exc
        for manifest in sorted(figures_dir.glob(f"{name}_*.manifest.json")):
            figure = manifest.name.removesuffix(".manifest.json")
            info = json.loads(manifest.read_text(encoding="utf-8"))
            figures[figure] = {
                "notebook": f"notebooks/{source.name}",
                "parameters": params,
                "files": info.get("files", []),
                "data_fingerprint": info.get("data_fingerprint"),
                "random_state": info.get("random_state"),
                "config": info.get("config", {}),
            }
    payload = {"figures": dict(sorted(figures.items())), "versions": package_versions()}
    atomic_write_text(manifest_path, dumps(payload))
    return payload
