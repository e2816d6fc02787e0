"""Every notebook runs end to end on small parameters (as CI does)."""

from __future__ import annotations

import json

import pytest

from topics.notebooks import list_notebooks, run_notebooks


@pytest.mark.parametrize("source", list_notebooks(), ids=lambda p: p.stem)
def test_notebook_runs_and_records_its_figures(tmp_path, source):
    manifest = run_notebooks(
        names=[source.stem], small=True, build_dir=tmp_path / "build", figures_dir=tmp_path / "fig"
    )
    assert (tmp_path / "build" / f"{source.stem}.ipynb").exists()
    produced = sorted(p.name for p in (tmp_path / "fig").glob(f"{source.stem}_*.svg"))
    assert produced, "each notebook saves at least one figure"
    for name in produced:
        figure = name.removesuffix(".svg")
        assert manifest["figures"][figure]["notebook"] == f"notebooks/{source.name}"
        assert (tmp_path / "fig" / f"{figure}.png").exists()
    on_disk = json.loads((tmp_path / "fig" / "MANIFEST.json").read_text())
    assert on_disk == manifest
