"""Every notebook runs end to end on small parameters (as CI does)."""

from __future__ import annotations

import json

import pytest

from topics.app.notebooks import list_notebooks, run_notebooks
from topics.paths import shared_path

UNGD_PRESENT = shared_path("corpora", "ungd", "ungdc_2000_2024.jsonl.gz") is not None
NEEDS_UNGD = {"04_dynamic_topics": "corpus_path", "05_un_general_debates": "ungd_path"}


@pytest.mark.parametrize("source", list_notebooks(), ids=lambda p: p.stem)
def test_notebook_runs_and_records_its_figures(tmp_path, source):
    manifest = run_notebooks(
        names=[source.stem], small=True, build_dir=tmp_path / "build", figures_dir=tmp_path / "fig"
    )
    executed = json.loads((tmp_path / "build" / f"{source.stem}.ipynb").read_text())
    stderr = [
        "".join(output.get("text", ""))
        for cell in executed["cells"]
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream" and output.get("name") == "stderr"
    ]
    warned = [text for text in stderr if "Warning" in text]
    assert not warned, f"{source.name} printed warnings: {warned}"
    produced = sorted(p.name for p in (tmp_path / "fig").glob(f"{source.stem}_*.svg"))
    if source.stem in NEEDS_UNGD and not UNGD_PRESENT:
        # without the UN corpus the notebook explains how to get it and stops cleanly
        assert not produced
        assert "was not found" in json.dumps(executed)
        return
    assert produced, "each notebook saves at least one figure"
    for name in produced:
        figure = name.removesuffix(".svg")
        assert manifest["figures"][figure]["notebook"] == f"notebooks/{source.name}"
        assert (tmp_path / "fig" / f"{figure}.png").exists()
    on_disk = json.loads((tmp_path / "fig" / "MANIFEST.json").read_text())
    assert on_disk == manifest


@pytest.mark.parametrize("name", sorted(NEEDS_UNGD))
def test_un_notebooks_without_the_corpus_explain_and_stop_cleanly(tmp_path, name):
    missing = tmp_path / "nowhere" / "ungdc.jsonl.gz"
    manifest = run_notebooks(
        names=[name],
        small=True,
        build_dir=tmp_path / "build",
        figures_dir=tmp_path / "fig",
        parameters={name: {NEEDS_UNGD[name]: str(missing)}},
    )
    assert not list((tmp_path / "fig").glob(f"{name}_*.svg"))
    assert manifest["figures"] == {}
    executed = (tmp_path / "build" / f"{name}.ipynb").read_text()
    assert "was not found" in executed
