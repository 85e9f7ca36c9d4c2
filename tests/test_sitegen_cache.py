"""The one cache: reused exactly while nothing a source depends on has changed, and it heals."""

from __future__ import annotations

import json
import logging

import pytest

from sitegen.sitebuild import SiteBuild
from tests.support.site_build import mini_project

SNIPPET = "snippets/demo/reader.py"
SOURCE = """\
from pathlib import Path

print(Path(__file__).with_name("numbers.txt").read_text().strip())
"""
PAGE = f'# Demo\n\n```py title="reader.py"\n--8<-- "{SNIPPET}"\n```\n'


@pytest.fixture
def project(tmp_path):
    project = mini_project(tmp_path, PAGE, {SNIPPET: SOURCE, "snippets/demo/numbers.txt": "1\n"})
    return project


def build(project) -> SiteBuild:
    site = SiteBuild(project, project / "docs")
    site.run()
    return site


def output(site: SiteBuild) -> str:
    return site.results[SNIPPET].sections[0].output


def entry(project):
    return project / "build" / "cache" / "snippets__demo__reader.py.json"


def test_a_second_build_reuses_the_result(project):
    assert SNIPPET not in build(project).cached
    assert SNIPPET in build(project).cached


def test_a_data_file_the_snippet_read_is_part_of_its_key(project):
    assert output(build(project)) == "1\n"
    (project / "snippets/demo/numbers.txt").write_text("2\n")
    site = build(project)
    assert SNIPPET not in site.cached and output(site) == "2\n"


def test_a_change_to_ptx_runs_everything_again(project):
    build(project)
    with (project / "ptx" / "device.py").open("a") as module:
        module.write("\n# an edit\n")
    assert SNIPPET not in build(project).cached


def test_a_change_to_the_lock_runs_everything_again(project):
    build(project)
    with (project / "constraints.txt").open("a") as lock:
        lock.write("# an edit\n")
    assert SNIPPET not in build(project).cached


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: "[]",
        lambda text: text[: len(text) // 2],  # truncated
        lambda text: json.dumps({**json.loads(text), "result": {"path": "x"}}),  # a field missing
        lambda text: text.replace('"output": "1\\n"', '"output": 7'),  # a field of the wrong type
        lambda text: text.replace("snippets/demo/reader.py", "snippets/demo/other.py"),
    ],
    ids=["a-list", "truncated", "missing-field", "wrong-type", "another-file"],
)
def test_a_damaged_entry_is_discarded_and_run_again_never_a_crash(project, damage, caplog):
    caplog.set_level(logging.INFO, logger="mkdocs.sitegen")
    build(project)
    entry(project).write_text(damage(entry(project).read_text()))
    site = build(project)
    assert SNIPPET not in site.cached and output(site) == "1\n"
    assert "discarded the cache entry" in caplog.text
    assert SNIPPET in build(project).cached  # and healed: stored again


def test_entries_no_source_uses_are_pruned_and_no_temporary_file_is_left(project):
    build(project)
    stray = project / "build" / "cache" / "snippets__gone__old.py.json"
    stray.write_text("{}")
    build(project)
    assert sorted(p.name for p in (project / "build" / "cache").iterdir()) == [entry(project).name]
