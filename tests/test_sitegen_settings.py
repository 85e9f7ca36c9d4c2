"""One settings object, documented: every field of sitegen.settings.Settings has its row in
AUTHORING.md, and the project's facts come from the files that hold them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from sitegen.settings import SETTINGS, project

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented_for_authors():
    authoring = (ROOT / "AUTHORING.md").read_text()
    missing = [f.name for f in dataclasses.fields(SETTINGS) if f"`{f.name}`" not in authoring]
    assert not missing, f"AUTHORING.md's Settings table lacks {missing}"


def test_the_projects_facts_are_read_from_pyproject_and_the_lock(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "some-helpers"\nversion = "1"\n')
    (tmp_path / "constraints.txt").write_text("# a comment\nTorch==2.13.0  # the CPU build\n")
    facts = project(tmp_path)
    assert facts.distribution == "some-helpers" and facts.import_name == "ptx"
    assert facts.pin("torch") == facts.pin("TORCH") == "2.13.0"
    assert project(ROOT).distribution == "pytorch-exercises-helpers"


def test_no_sitegen_module_shadows_a_module_of_the_standard_library_or_an_installed_package():
    """MkDocs puts sitegen/ on sys.path while it loads the hooks: a sitegen/markdown.py would be
    what `import markdown` finds there."""
    import importlib.util
    import sys

    clashes = [
        path.stem
        for path in sorted((ROOT / "sitegen").glob("*.py"))
        if path.stem not in ("__init__", "__main__")
        and (path.stem in sys.stdlib_module_names or importlib.util.find_spec(path.stem))
    ]
    assert not clashes, f"sitegen modules named like other modules: {clashes}"
