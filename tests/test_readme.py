"""The README's library examples run as written (from a folder holding the shipped data)."""

from __future__ import annotations

import re

from topics.paths import project_root


def test_readme_python_examples_run(tmp_path, monkeypatch):
    root = project_root()
    text = (root / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Library in ten lines") : text.index("## Command line")]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 2
    assert len([line for line in blocks[0].splitlines() if line.strip()]) <= 11
    (tmp_path / "data").symlink_to(root / "data")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)
    assert (tmp_path / "build" / "themes.svg").exists()
    assert (tmp_path / "build" / "explorer.html").exists()
    assert (tmp_path / "build" / "nmf.npz").exists() or (tmp_path / "build" / "nmf").exists()
    analysis = namespace["analysis"]
    assert {"sanctions", "connectivity"} <= set(analysis.trends["theme"])  # type: ignore[attr-defined]


def test_every_figure_the_readme_shows_is_committed_and_recorded():
    import json

    root = project_root()
    text = (root / "README.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"figures/([A-Za-z0-9_]+)\.png", text))
    assert linked, "the README shows figures"
    recorded = json.loads((root / "figures" / "MANIFEST.json").read_text())["figures"]
    for name in linked:
        assert (root / "figures" / f"{name}.png").exists(), name
        if name in recorded:  # a notebook's figure
            continue
        # else a screenshot (the explorer's), with its own manifest beside it
        beside = json.loads((root / "figures" / f"{name}.manifest.json").read_text())
        assert beside["kind"] == "screenshot", f"{name} is not in figures/MANIFEST.json"
