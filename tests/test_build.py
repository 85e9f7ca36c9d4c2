"""The build end to end: an author's mistakes fail it loudly, all at once, naming file and line;
what a snippet prints is shown and never read again; two builds repeat exactly."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from sitegen.sitebuild import BuildFailure, SiteBuild
from tests.support.site_build import ROOT, build, mini_project

HOME_SNIPPET = "snippets/home/first_model.py"
HOME_SOURCE = (ROOT / HOME_SNIPPET).read_text()
HOME_PAGE = (ROOT / "docs" / "index.md").read_text()


def _line_of(source: str, text: str) -> int:
    return next(n for n, line in enumerate(source.splitlines(), start=1) if text in line)


def _run(tmp_path, source: str = HOME_SOURCE, page: str = HOME_PAGE, files=None) -> SiteBuild:
    project = mini_project(tmp_path, page, {HOME_SNIPPET: source, **(files or {})})
    site = SiteBuild(project, project / "docs")
    site.run()
    return site


def _problems(tmp_path, **kwargs) -> list[str]:
    with pytest.raises(BuildFailure) as failure:
        _run(tmp_path, **kwargs)
    return [str(error) for error in failure.value.errors]


def test_a_snippet_that_raises_fails_the_build_naming_path_and_line_and_keeps_the_last_site(
    tmp_path,
):
    project = mini_project(tmp_path, HOME_PAGE, {HOME_SNIPPET: HOME_SOURCE})
    assert build(project).returncode == 0
    broken = HOME_SOURCE.replace("for epoch in range(300):", "for epoch in range(300 // 0):")
    (project / HOME_SNIPPET).write_text(broken)
    run = build(project)
    assert run.returncode != 0
    line = _line_of(broken, "range(300 // 0)")
    assert (
        f"{HOME_SNIPPET}:{line}: ZeroDivisionError: integer division or modulo by zero"
        in run.stderr
    )
    assert "Traceback" not in run.stderr
    assert (project / "site" / "index.html").exists()  # the failure came before MkDocs emptied it


def test_every_problem_is_reported_once_in_one_report(tmp_path):
    page = (
        HOME_PAGE
        + '\n```py title="gone.py"\n--8<-- "snippets/home/gone.py"\n```\n'
        + "\nA value that is not there: {{ home/raises.py nothing }}.\n"
    )
    project = mini_project(
        tmp_path,
        page,
        {
            HOME_SNIPPET: HOME_SOURCE.replace("torch.manual_seed(42)", "torch.manual_seed(42) +"),
            "snippets/home/exits.py": "import os\nos._exit(0)\n",
            "snippets/home/raises.py": "x = 1\nraise ValueError('nope')\n",
        },
    )
    (project / "docs" / "other.md").write_text(
        '# Other\n\n```py\n--8<-- "snippets/home/exits.py"\n```\n\n```py\n--8<-- "snippets/home/raises.py"\n```\n'
    )
    run = build(project)
    assert run.returncode != 0
    report = run.stderr
    expected = [
        f"{HOME_SNIPPET}:{_line_of(HOME_SOURCE, 'torch.manual_seed(42)')}: SyntaxError",
        "snippets/home/exits.py:2: os._exit(0) ended the process before the file finished",
        "snippets/home/raises.py:2: ValueError: nope",
        # the pages' own problems are reported beside the sources' (a reference into a file
        # that failed is not: its failure says why)
        f"docs/index.md:{page.count(chr(10), 0, page.index('snippets/home/gone.py'))}: includes "
        "snippets/home/gone.py, which is not a file under snippets/",
    ]
    assert "nothing" not in report
    for line in expected:
        assert report.count(line) == 1, report
    assert "Traceback" not in report and "KeyError" not in report


def test_a_missing_include_is_reported_with_the_page_and_line(tmp_path):
    page = HOME_PAGE + '\n```py title="gone.py"\n--8<-- "snippets/home/gone.py"\n```\n'
    problems = _problems(tmp_path, page=page)
    line = page.count("\n", 0, page.index("snippets/home/gone.py"))
    assert problems == [
        f"docs/index.md:{line}: includes snippets/home/gone.py, which is not a file under snippets/"
    ]


def test_a_bad_device_name_is_one_message(tmp_path, monkeypatch):
    monkeypatch.setenv("PTX_DEVICE", "garbage")
    problems = _problems(tmp_path)
    assert problems == [
        "PTX_DEVICE: 'garbage' is not a device this machine has; unset it or use one of: cpu"
    ]


def test_printed_include_syntax_stays_text_and_leaks_no_file(tmp_path):
    secret = "THE-SECRET-VALUE-7f3a"
    source = (
        "# --8<-- [start:show]\n"
        "print('--8<-- \"secret.txt\"')\n"
        "# --8<-- [end:show]\n"
        "# --8<-- [start:fail]\n"
        "raise ValueError('--8<-- \"secret.txt\"')  # raises ValueError\n"
        "# --8<-- [end:fail]\n"
    )
    page = (
        '# Leak\n\n```py\n--8<-- "snippets/home/leak.py:show"\n```\n\n'
        '```py\n--8<-- "snippets/home/leak.py:fail"\n```\n'
    )
    project = mini_project(tmp_path, page, {"snippets/home/leak.py": source})
    (project / "secret.txt").write_text(secret)
    run = build(project)
    assert run.returncode == 0, run.stderr
    built = (project / "site" / "index.html").read_text()
    assert built.count(html.escape('--8<-- "secret.txt"', quote=False)) >= 2
    for path in (project / "site").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".md", ".xml"):
            assert secret not in path.read_text(errors="replace"), path


def test_a_declared_error_that_does_not_happen_fails(tmp_path):
    source = HOME_SOURCE.replace("model(torch.ones(3))  # raises", "model(torch.ones(1))  # raises")
    line = _line_of(source, "# raises RuntimeError")
    assert _problems(tmp_path, source=source) == [
        f"{HOME_SNIPPET}:{line}: declared `# raises RuntimeError` but nothing was raised"
    ]


def test_a_different_exception_than_declared_fails(tmp_path):
    source = HOME_SOURCE.replace("# raises RuntimeError", "# raises ValueError")
    (problem,) = _problems(tmp_path, source=source)
    assert re.search(
        r"RuntimeError: mat1 and mat2 shapes cannot be multiplied.*\(expected `ValueError`", problem
    )


def test_an_untitled_figure_fails(tmp_path):
    source = HOME_SOURCE.replace('ax.set_title("A straight line learned in 300 steps")\n', "")
    (problem,) = _problems(tmp_path, source=source)
    assert "'plot': give the figure a suptitle" in problem


@pytest.mark.parametrize(
    ("page_edit", "problem"),
    [
        (
            ("first_model.py:plot", "first_model.py:train"),
            "sections never shown on a page: ['plot']",
        ),
        (("first_model.py:plot", "first_model.py:nope"), "which has no such section"),
    ],
)
def test_pages_that_do_not_show_every_section_are_reported(tmp_path, page_edit, problem):
    problems = _problems(tmp_path, page=HOME_PAGE.replace(*page_edit))
    assert any(problem in p for p in problems), problems


def test_a_number_in_prose_comes_from_the_run_and_a_wrong_reference_fails(tmp_path):
    page = HOME_PAGE + "\nThe loss went to {{ home/first_model.py:train epoch:d }}.\n"
    site = _run(tmp_path, page=page)
    assert site.value("home/first_model.py", "train", "epoch") == 299
    markdown = site.page_markdown(page, "index.md")
    assert "{{" not in markdown
    filled, _ = site.page_html(markdown, "index.md")  # every marker, as after Markdown
    assert (
        'The loss went to <span class="ptx-value" data-source="home/first_model.py:train ' in filled
    )
    assert 'epoch">299</span>.' in filled
    wrong = HOME_PAGE + "\nLine {{ home/first_model.py:train nothing:d }}.\n"
    (tmp_path / "wrong").mkdir()
    (problem,) = _problems(tmp_path / "wrong", page=wrong)
    assert problem.startswith(f"docs/index.md:{wrong.count(chr(10))}: ")
    assert "'nothing' is not a number or short string there" in problem


HOSTILE_VALUES = {
    "tag": '<img src=x onerror="alert(7)">',
    "link": "[link](javascript:alert(8))",
    "include": '--8<-- "constraints.txt"',
}


def test_a_value_put_into_prose_is_plain_text_never_markdown_html_or_an_include(tmp_path):
    values = "".join(f"{name} = {value!r}\n" for name, value in HOSTILE_VALUES.items())
    refs = "\n\n".join(f"{{{{ home/values.py {name} }}}}" for name in HOSTILE_VALUES)
    page = f'# Values\n\n```py title="values.py"\n--8<-- "snippets/home/values.py"\n```\n\n{refs}\n'
    project = mini_project(tmp_path, page, {"snippets/home/values.py": values})
    run = build(project)
    assert run.returncode == 0, run.stderr
    shown = (project / "site" / "index.html").read_text()
    body = shown.split('<div class="md-content"', 1)[1]
    for value in HOSTILE_VALUES.values():
        assert f">{html.escape(value)}</span>" in body  # the text itself, as text
    assert "<img src=x" not in body and 'href="javascript:' not in body
    assert "torch==" not in body  # constraints.txt was not included


VOLATILE = [
    re.compile(r'<aside class="ptx-provenance">.*?</aside>', re.S),  # build date and run times
    re.compile(r'<div class="language-text highlight ptx-output[^"]*ptx-varies.*?</div>', re.S),
]


def _comparable(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".html":
        text = data.decode()
        for pattern in VOLATILE:
            text = pattern.sub("", text)
        return text.encode()
    return data


def _two_cold_builds(project: Path) -> list[str]:
    """Build twice from nothing; the files that differ (less the sitemap)."""
    sites = []
    for name in ("first", "second"):
        shutil.rmtree(project / "build", ignore_errors=True)  # cold: nothing cached
        run = build(project, site=name)
        assert run.returncode == 0, run.stderr
        sites.append(project / name)
    first, second = ({p.relative_to(s): p for p in s.rglob("*") if p.is_file()} for s in sites)
    assert first.keys() == second.keys()
    compared = [p for p in first if not p.name.startswith("sitemap.xml")]
    return [str(p) for p in compared if _comparable(first[p]) != _comparable(second[p])]


def test_two_clean_builds_are_byte_identical_and_a_third_runs_nothing(tmp_path):
    project = mini_project(tmp_path, HOME_PAGE, {HOME_SNIPPET: HOME_SOURCE})
    assert _two_cold_builds(project) == []
    figures = list((project / "first" / "figures").rglob("*.svg"))
    assert figures and b"<dc:date>" not in figures[0].read_bytes()
    again = build(project, site="third")
    assert again.returncode == 0, again.stderr
    assert "sitegen: all 1 files cached" in again.stderr


def test_an_unseeded_snippet_makes_two_builds_differ(tmp_path):
    page = '# Dice\n\n```py\n--8<-- "snippets/home/dice.py"\n```\n'
    project = mini_project(
        tmp_path, page, {"snippets/home/dice.py": "import torch\nprint(torch.rand(1))\n"}
    )
    assert _two_cold_builds(project) == ["index.html", "search/search_index.json"]


def test_a_source_repository_adds_the_git_install_and_colab_buttons_and_none_adds_nothing(tmp_path):
    notebook = "# %% [markdown]\n# # Exercises\n\n# %%\nprint(1)\n"
    project = mini_project(
        tmp_path, HOME_PAGE, {HOME_SNIPPET: HOME_SOURCE, "snippets/home/exercises.py": notebook}
    )
    plain = SiteBuild(project, project / "docs")
    plain.run()
    assert plain.facts.value("install_helper") == ""
    assert "colab.research.google.com" not in plain.generated_pages["exercises/home.md"]
    linked = SiteBuild(
        project, project / "docs", repo_url="https://github.com/someone/pytorch-exercises"
    )
    linked.run()
    assert (
        'pip install "pytorch-exercises-helpers @ git+https://github.com/someone/pytorch-exercises"'
        in (linked.facts.value("install_helper"))
    )
    assert (
        "https://colab.research.google.com/github/someone/pytorch-exercises/blob/notebooks/"
        "exercises/home.ipynb" in linked.generated_pages["exercises/home.md"]
    )


def test_builds_of_one_site_take_turns(tmp_path):
    """MkDocs empties site/ before it writes it: a build that started while another was writing
    lost that one's files (site/404.html). A second build waits for the first to end."""
    import fcntl
    import threading

    project = mini_project(tmp_path, HOME_PAGE, {HOME_SNIPPET: HOME_SOURCE})
    lock = project / ".site.lock"
    lock.touch()
    outcome = {}
    with open(lock) as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a build that is writing site/ holds it
        waiting = threading.Thread(target=lambda: outcome.update(run=build(project)))
        waiting.start()
        inode = f":{lock.stat().st_ino} "
        for _ in range(600):  # until the build waits on the lock (a liveness limit, 60 s)
            if any(
                "->" in row and inode in row for row in Path("/proc/locks").read_text().splitlines()
            ):
                break
            waiting.join(0.1)
        else:
            raise AssertionError("the second build never waited for the site's lock")
        assert not (project / "site").exists()  # nothing written while another build holds it
    waiting.join()
    assert outcome["run"].returncode == 0, outcome["run"].stderr
    assert (project / "site" / "404.html").exists()
