"""The package's layers point one way: every import, read from the source, goes downward.

The order is the package docstring's (``topics/__init__.py``): root modules at the bottom (in
their own order), then the sub-packages along the flow. An import of a layer above, a cycle
between layers or a private module (``_name``) imported from another sub-package fails here,
naming the file and line, so the next change cannot break the architecture silently.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "topics"

#: Bottom to top. A layer may import only layers listed before it (and itself).
LAYERS = (
    "errors", "defaults", "config", "registry", "paths", "progress", "tidy", "limits", "files",
    "manifest", "outputs", "spreadsheet",
    "corpus", "io", "text", "models", "evaluation", "trends", "themes", "validation",
    "dynamic", "scale",
    "plots", "app",
)  # fmt: skip
RANK = {name: i for i, name in enumerate(LAYERS)}
ENTRY = {"__init__", "__main__"}  # the package's front: may re-export any layer


def _imports(path: Path, root: Path = PACKAGE.parent) -> list[tuple[int, str]]:
    """Every ``topics`` module ``path`` imports, with its line (function-level ones too)."""
    parts = path.relative_to(root).with_suffix("").parts
    package = parts if path.name == "__init__.py" else parts[:-1]
    package = package[:-1] if package[-1] == "__init__" else package
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level + 1])
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return [(line, m) for line, m in found if m == "topics" or m.startswith("topics.")]


def _layer(dotted: str) -> str | None:
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else None


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_the_layer_list_names_every_module_and_sub_package():
    present = {p.stem for p in PACKAGE.glob("*.py")} - ENTRY
    present |= {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert present == set(LAYERS)


def test_at_most_twelve_modules_directly_under_the_package():
    roots = {p.stem for p in PACKAGE.glob("*.py")} - ENTRY
    assert len(roots) <= 12, sorted(roots)


def _violations(path: Path, root: Path = PACKAGE.parent) -> list[str]:
    """Imports of ``path`` that point up the layers or into another sub-package's privates."""
    name = path.relative_to(root)
    own = _layer(".".join(name.with_suffix("").parts))
    if own is None or own in ENTRY:
        return []
    wrong = []
    for line, module in _imports(path, root):
        target = _layer(module)
        if target is None or target == own or target not in RANK:
            continue
        if RANK[target] > RANK[own]:
            wrong.append(f"{name}:{line} imports {module}, a layer above {own}")
        if any(p.startswith("_") and p != "__init__" for p in module.split(".")[2:]):
            wrong.append(f"{name}:{line} imports the private {module}")
    return wrong


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_import_points_down(path: Path):
    assert _violations(path) == []


def test_the_walk_catches_an_upward_and_a_private_import(tmp_path):
    """The check can fail: a planted module importing upward and privately is caught."""
    planted = tmp_path / "topics" / "trends" / "planted.py"
    planted.parent.mkdir(parents=True)
    planted.write_text(
        "from ..themes.analysis import ThemeSettings\n\n\ndef f():\n"
        "    from ..models._base import TopicModel\n",
        encoding="utf-8",
    )
    wrong = _violations(planted, tmp_path)
    assert any("themes.analysis" in w and "above trends" in w for w in wrong)
    assert any("private topics.models._base" in w for w in wrong)
    assert _violations(PACKAGE / "trends" / "changes.py") == []


@pytest.mark.parametrize(
    "package", sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())
)
def test_each_sub_package_docstring_names_the_modules_it_has(package: str):
    folder = PACKAGE / package
    doc = ast.get_docstring(ast.parse((folder / "__init__.py").read_text(encoding="utf-8"))) or ""
    has = {p.stem for p in folder.glob("*.py") if not p.stem.startswith("_")}
    has |= {p.name for p in folder.iterdir() if (p / "__init__.py").exists()}
    named = {m.lstrip(".").split(".")[0] for m in re.findall(r":mod:`([.\w]+)`", doc)}
    named = {m for m in named if not m.startswith("topics")}
    assert sorted(has - named) == [], "modules the docstring does not name"
    assert sorted(named - has) == [], "modules the docstring names that do not exist"


def test_tests_mirror_the_package():
    """A module's tests sit in the folder named after its sub-package (cross-cutting ones at
    the top), so a maintainer finds them beside the module's name."""
    tests = Path(__file__).resolve().parent
    folders = {p.name for p in tests.iterdir() if p.is_dir() and any(p.glob("test_*.py"))}
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert folders <= packages
    names = [p.name for p in tests.rglob("test_*.py")]
    assert len(names) == len(set(names)), "two test files of one name"
