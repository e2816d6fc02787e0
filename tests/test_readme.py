"""The README's library examples run as written (from a folder holding the shipped data)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

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


def test_bring_your_own_corpus_walkthrough_runs(tmp_path, monkeypatch):
    root = project_root()
    text = (root / "README.md").read_text(encoding="utf-8")
    start = text.index("### Bring your own corpus")
    block = re.findall(r"```python\n(.*?)```", text[start:], flags=re.S)[0]
    (tmp_path / "data").symlink_to(root / "data")
    rows = [
        ("https://x/1", "EU sanctions", "New sanctions and an embargo on exports.", "01/15/2022"),
        (
            "https://x/2",
            "Transport",
            "The Middle Corridor and a railway to the port.",
            "02/03/2022",
        ),
        (
            "https://x/3",
            "Sanctions again",
            "The embargo widens; sanctions on transit.",
            "03/04/2022",
        ),
    ]
    (tmp_path / "my_press.csv").write_text(
        "url,title,body,published\n" + "".join(f"{u},{t},{b},{d}\n" for u, t, b, d in rows)
    )
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)
    assert (tmp_path / "build" / "my_press.svg").exists()
    trends = namespace["analysis"].trends  # type: ignore[attr-defined]
    # 03/04/2022 is 4 March month-first: January, February, March — no April
    assert [str(p) for p in trends["period"].unique()] == ["2022-01", "2022-02", "2022-03"]
    corpus = namespace["result"].corpus  # type: ignore[attr-defined]
    assert any("Middle Corridor" in t for t in corpus.texts)  # body joined after the title


def test_make_install_only_installs_and_make_lab_starts_as_root_too():
    """`make install` runs nothing but the install; `make lab` works for root and users."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    root = project_root()

    def plan(*targets: str) -> str:
        # as a plain shell would run it, even under `make test` (no "make[1]: Entering …")
        env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
        done = subprocess.run(
            ["make", "--no-print-directory", "-n", *targets], cwd=root, capture_output=True,
            text=True, env=env,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    install = plan("-B", "install")
    assert "pip install" in install
    assert not any(word in install for word in ("pytest", "figures", "ruff", "mypy", "chromium"))
    line = plan("-o", ".venv/.installed", "lab").strip().splitlines()[-1]
    assert line.startswith(".venv/bin/jupyter lab notebooks")
    echoed = line.replace(".venv/bin/jupyter lab", "echo", 1)
    shown = subprocess.run(["sh", "-c", echoed], capture_output=True, text=True).stdout
    assert ("--allow-root" in shown) == (os.getuid() == 0)
