"""Every notebook runs end to end on small parameters (as CI does)."""

from __future__ import annotations

import json

import pytest

from topics.app.notebooks import list_notebooks, run_notebooks
from topics.paths import project_root, shared_path

UNGD_PRESENT = shared_path("corpora", "ungd", "ungdc_2000_2024.jsonl.gz") is not None
PARALLEL_PRESENT = shared_path("corpora", "resistinua", "addresses_uk.jsonl") is not None
#: Notebooks that need a shared corpus: the parameter naming it, and whether it is here.
NEEDS_SHARED = {
    "04_dynamic_topics": ("corpus_path", UNGD_PRESENT),
    "05_un_general_debates": ("ungd_path", UNGD_PRESENT),
    "06_languages": ("corpus_dir", PARALLEL_PRESENT),
    "07_validation": ("corpus_dir", PARALLEL_PRESENT),
}


def _figures_snapshot() -> dict[str, float]:
    return {p.name: p.stat().st_mtime for p in (project_root() / "figures").iterdir()}


@pytest.mark.parametrize("source", list_notebooks(), ids=lambda p: p.stem)
def test_notebook_runs_and_records_its_figures(tmp_path, source):
    """Run from notebooks/ as Jupyter would; nothing may land in the tracked figures/."""
    before = _figures_snapshot()
    manifest = run_notebooks(
        names=[source.stem], small=True, build_dir=tmp_path / "build", figures_dir=tmp_path / "fig",
        cwd=project_root() / "notebooks",
    )  # fmt: skip
    assert _figures_snapshot() == before
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
    if source.stem in NEEDS_SHARED and not NEEDS_SHARED[source.stem][1]:
        # without its shared corpus the notebook explains how to get it and stops cleanly
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


@pytest.mark.parametrize("name", sorted(NEEDS_SHARED))
def test_notebooks_without_their_corpus_explain_and_stop_cleanly(tmp_path, name):
    missing = tmp_path / "nowhere" / "ungdc.jsonl.gz"
    manifest = run_notebooks(
        names=[name],
        small=True,
        build_dir=tmp_path / "build",
        figures_dir=tmp_path / "fig",
        parameters={name: {NEEDS_SHARED[name][0]: str(missing)}},
    )
    assert not list((tmp_path / "fig").glob(f"{name}_*.svg"))
    assert manifest["figures"] == {}
    executed = (tmp_path / "build" / f"{name}.ipynb").read_text()
    assert "was not found" in executed


def test_own_csv_with_two_text_columns_month_first_dates_and_a_title(tmp_path):
    """Notebook 03 on a researcher's CSV: columns joined, dates read month-first, own title."""
    rows = [
        ("a1", "Sanctions on exports", "New sanctions and an embargo were agreed.", "01/15/2022"),
        (
            "a2",
            "Corridor talks",
            "The transport corridor and the railway were discussed.",
            "02/03/2022",
        ),
        (
            "a3",
            "More sanctions",
            "Sanctions widened; the embargo now covers transit.",
            "03/04/2022",
        ),
        (
            "a4",
            "Port and rail",
            "A new port and railway corridor opened for transit.",
            "04/12/2022",
        ),
    ]
    csv = tmp_path / "press.csv"
    csv.write_text(
        "url,headline,body,published\n" + "".join(f"{u},{h},{b},{d}\n" for u, h, b, d in rows)
    )
    title = "My press releases: theme shares"
    run_notebooks(
        names=["03_themes_over_time"], build_dir=tmp_path / "build", figures_dir=tmp_path / "fig",
        cwd=project_root() / "notebooks",
        parameters={"03_themes_over_time": {
            "corpus_path": str(csv), "text_cols": ["headline", "body"], "date_col": "published",
            "id_col": "url", "dayfirst": False, "freq": "month", "title": title,
            "headline": ["sanctions", "connectivity"], "n_boot": 50, "segment": "none",
        }},
    )  # fmt: skip
    executed = json.loads((tmp_path / "build" / "03_themes_over_time.ipynb").read_text())
    text = json.dumps(executed)
    # 03/04/2022 month-first is 4 March: four months, one article each, no gap
    for month in ("2022-01", "2022-02", "2022-03", "2022-04"):
        assert month in text
    assert "2022-05" not in text
    svg = (tmp_path / "fig" / "03_themes_over_time_headline.svg").read_text()
    assert "My press releases" in svg or title in json.dumps(
        json.loads((tmp_path / "fig" / "03_themes_over_time_headline.manifest.json").read_text())
    )


def test_jupyter_opens_every_notebook_as_a_notebook():
    """A real Jupyter server from the project's environment serves the .py files as notebooks."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    settings = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert "Jupytext Notebook" in settings.read_text()  # JupyterLab opens .py as notebooks
    jupyter = Path(sys.executable).with_name("jupyter")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(jupyter), "server", "--no-browser", "--allow-root", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=topics-test",
         f"--ServerApp.root_dir={project_root()}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/api"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base}/status?token=topics-test", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        for source in list_notebooks():
            url = f"{base}/contents/notebooks/{source.name}?type=notebook&content=1"
            reply = json.loads(
                urllib.request.urlopen(f"{url}&token=topics-test", timeout=30).read()
            )
            assert reply["type"] == "notebook", source.name
            cells = reply["content"]["cells"]
            assert len(cells) > 3, source.name
            tags = [c["metadata"].get("tags", []) for c in cells]
            assert ["parameters"] in tags, source.name  # papermill's cell survives the round trip
    finally:
        server.terminate()
        server.wait(timeout=30)
