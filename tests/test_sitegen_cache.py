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
        lambda text: text.replace('"output": "1\\n"', '"output": "2\\n"'),  # edited by hand
    ],
    ids=["a-list", "truncated", "missing-field", "wrong-type", "another-file", "hand-edited"],
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


@pytest.mark.parametrize(
    ("source", "change", "before", "after"),
    [
        (  # a file missing on the first run
            "from pathlib import Path\n"
            "data = Path(__file__).with_name('later.txt')\n"
            "print(data.read_text() if data.exists() else 'none')\n",
            lambda folder: (folder / "later.txt").write_text("here\n"),
            "none\n",
            "here\n\n",
        ),
        (  # a file it failed to open
            "from pathlib import Path\n"
            "try:\n    print(open(Path(__file__).with_name('later.txt')).read())\n"
            "except FileNotFoundError:\n    print('none')\n",
            lambda folder: (folder / "later.txt").write_text("here\n"),
            "none\n",
            "here\n\n",
        ),
        (  # a folder it listed
            "from pathlib import Path\n"
            "print(sorted(p.name for p in Path(__file__).parent.glob('*.txt')))\n",
            lambda folder: (folder / "more.txt").write_text("x\n"),
            "['numbers.txt']\n",
            "['more.txt', 'numbers.txt']\n",
        ),
    ],
    ids=["looked-for", "failed-open", "listed"],
)
def test_what_a_run_looked_for_or_listed_is_part_of_its_key(project, source, change, before, after):
    (project / SNIPPET).write_text(source)
    assert output(build(project)) == before
    assert SNIPPET in build(project).cached
    change(project / "snippets" / "demo")
    site = build(project)
    assert SNIPPET not in site.cached and output(site) == after


def test_a_run_that_starts_a_process_is_never_reused(project):
    (project / SNIPPET).write_text(
        "import subprocess\nfrom pathlib import Path\n"
        "subprocess.run(['cat', str(Path(__file__).with_name('numbers.txt'))])\n"
    )
    assert output(build(project)) == "1\n"
    assert SNIPPET not in build(project).cached  # what `cat` read is not known


def test_a_result_is_stored_under_the_code_that_ran_it(project):
    from sitegen.cache import project_cache
    from sitegen.sources import read_source

    site = build(project)
    result = site.results[SNIPPET]
    assert result.code == project_cache(project).code  # the server runs the code on disk
    cache = project_cache(project)
    source = read_source(project / SNIPPET, project)
    result.code = "0" * 64  # as if an older server had run it
    cache.store(source, result)
    assert cache.load(source) is None
