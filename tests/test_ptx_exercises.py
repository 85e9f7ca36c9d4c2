"""The checks' mechanism (ptx.exercises.feedback, running, sets) and the promise that ties the
notebooks to the checks: each exercise, by the course's number, has a check cell, and each
check's solution is the notebook's solution cell, word for word."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
import torch

import ptx
from ptx.exercises import binary, fundamentals, multiclass, running, workflow
from ptx.exercises.feedback import WANTED, Mistake
from sitegen import notebooks
from sitegen.sources import read_source

ROOT = Path(__file__).resolve().parents[1]
SETS = {
    "snippets/fundamentals/exercises.py": (fundamentals, [str(n) for n in range(1, 11)]),
    "snippets/linear_regression/exercises.py": (workflow, ["1", "2", "3", "4", "5"]),
    "snippets/classification/exercises_binary.py": (binary, ["1", "2", "3", "4", "5", "6"]),
    "snippets/classification/exercises_multiclass.py": (multiclass, ["7a", "7b", "7c", "7d", "7e"]),
}
CHECK = re.compile(r"^ex\.q(?P<label>\w+)\.check\(\)$")


def checked_solutions(relative: str) -> list[tuple[str, str]]:
    """(label, the solution cells since the previous check) for each check cell, in order."""
    found, solutions = [], []
    for section in read_source(ROOT / relative, ROOT).code_sections:
        if match := CHECK.match(section.code.strip()):
            found.append((match["label"], "".join(solutions)))
            solutions = []
        elif "solution" in section.tags:
            solutions.append(section.code.rstrip("\n") + "\n")
    return found


@pytest.mark.parametrize("relative", sorted(SETS))
def test_every_exercise_by_the_courses_number_has_a_check_cell_in_order(relative):
    module, labels = SETS[relative]
    assert [label for label, _ in checked_solutions(relative)] == labels
    declared = sorted(n for n in dir(module) if re.fullmatch(r"q\w+", n))
    assert declared == sorted(f"q{label}" for label in labels)


@pytest.mark.parametrize("relative", sorted(SETS))
def test_each_checks_solution_is_the_notebooks_solution_word_for_word(relative):
    module, _ = SETS[relative]
    for label, solution in checked_solutions(relative):
        assert getattr(module, f"q{label}").solution_code == solution, f"q{label}"


def test_a_blank_answer_is_not_attempted_and_a_partial_one_unfinished():
    assert fundamentals.q2.feedback({}).status == "not attempted"
    assert fundamentals.q2.feedback({"random_tensor": ...}).status == "not attempted"
    assert fundamentals.q2.feedback({"random_tensor": None}).status == "not attempted"
    said = fundamentals.q1.feedback({"answer_1a": "b"})
    assert said.status == "unfinished" and "`answer_1b`" in str(said)


def test_check_reads_the_callers_names_and_the_learners_name_for_the_set(capsys):
    my_checks = fundamentals
    random_tensor = torch.rand(1, 7)  # noqa: F841 (read by the check, from this frame)
    my_checks.q2.check()
    shown = capsys.readouterr().out
    assert shown.startswith("Exercise 2: not yet right. `random_tensor` has shape (1, 7)")
    assert "my_checks.q2.hint() gives a hint, my_checks.q2.solution() a solution." in shown
    my_checks.q2.check(random_tensor=torch.rand(7, 7))  # another name, given explicitly
    assert capsys.readouterr().out.startswith("Exercise 2: correct.")


def test_hint_and_solution_print_on_demand(capsys):
    fundamentals.q3.hint()
    first = capsys.readouterr().out
    assert first.startswith("Hint 1 for exercise 3:") and "hint(2) for another" in first
    fundamentals.q3.hint(2)
    assert "`product = random_tensor @ other_tensor.T`" in capsys.readouterr().out
    fundamentals.q3.solution()
    assert "product = random_tensor @ other_tensor.T  # (7, 7) @ (7, 1)" in capsys.readouterr().out


def test_a_check_against_another_helper_than_the_notebooks_says_to_update(monkeypatch):
    wheel = "https://example.org/downloads/pytorch_exercises_helpers-0.2.0+0ld-py3-none-any.whl"
    monkeypatch.setenv(WANTED, f"0.2.0+0ld {wheel}")
    said = fundamentals.q2.feedback({"random_tensor": torch.rand(7, 7)})
    assert said.status == "outdated"
    assert f"pip install --upgrade {wheel}" in str(said)
    assert ptx.__version__ in str(said) and "restart the kernel" in str(said)
    monkeypatch.setenv(WANTED, f"{ptx.__version__} {wheel}")
    assert fundamentals.q2.feedback({"random_tensor": torch.rand(7, 7)}).status == "correct"


def test_an_exercise_this_helper_lacks_says_what_to_do():
    with pytest.raises(AttributeError, match="first cell, which installs the right one"):
        fundamentals.q11  # noqa: B018


def test_an_undeclared_mistake_is_a_bug_of_the_check_not_a_message():
    def judge(answer):
        raise Mistake("never_declared", "x")

    exercise = fundamentals.Exercise("0", "t", {}, judge, {}, ["h"], "")
    with pytest.raises(ValueError, match="undeclared mistake 'never_declared'"):
        exercise.feedback({})


def test_learner_code_that_hangs_is_stopped_in_the_main_thread_and_in_another():
    def spin(x):
        while True:
            x += 1

    with pytest.raises(Mistake, match="still running after 0.2 s") as stopped:
        running.call(spin, 0, what="spin", raises="r", hangs="h", seconds=0.2)
    assert stopped.value.code == "h"
    errors = []

    def elsewhere():
        try:
            running.call(
                lambda: threading.Event().wait(5), what="wait", raises="r", hangs="h", seconds=0.2
            )
        except Mistake as mistake:
            errors.append(mistake.code)

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join(10)
    assert errors == ["h"]


def test_learner_code_that_raises_is_a_message_naming_the_error_and_what_it_means():
    with pytest.raises(Mistake) as raised:
        running.call(
            lambda: torch.rand(7, 7) @ torch.rand(1, 7), what="the product", raises="r", hangs="h"
        )
    assert raised.value.code == "r"
    assert "raised `RuntimeError: mat1 and mat2 shapes cannot be multiplied" in raised.value.message
    assert "inner sizes" in raised.value.message


def test_a_message_is_one_line_per_paragraph_for_the_reader_to_wrap():
    """A notebook, a terminal and the page each wrap long lines to their own width (a phone's
    too): a message hard-wrapped at one width would break twice on a narrower one."""
    said = str(
        fundamentals.q3.feedback(
            {
                "random_tensor": torch.rand(7, 7),
                "other_tensor": torch.rand(1, 7),
                "product": torch.rand(7, 7),
            }
        )
    )
    lines = said.splitlines()
    assert len(lines) == 2 and lines[1].startswith("More help:")
    assert lines[0].startswith("Exercise 3: not yet right. `product` has shape (7, 7)")


def test_the_notebooks_setup_cell_installs_exactly_the_built_version_and_says_so():
    source = read_source(ROOT / "snippets/fundamentals/exercises.py", ROOT)
    wheel = "http://127.0.0.1:8000/downloads/pytorch_exercises_helpers-0.2.0+abc-py3-none-any.whl"
    cell = notebooks.setup_cell(source, "http://127.0.0.1:8000/", wheel)
    assert 'HELPER, HELPER_VERSION = "pytorch-exercises-helpers", "0.2.0+abc"' in cell
    assert "if installed(HELPER) != HELPER_VERSION:" in cell and '"--upgrade", HELPER_WHEEL' in cell
    assert 'os.environ["PTX_NOTEBOOK_HELPER"]' in cell
    compile(cell, "setup", "exec")
    paragraph = notebooks.checks_paragraph(source)
    assert "`ex.q1.check()`" in paragraph and "`ptx.exercises.fundamentals`" in paragraph
    assert "from ptx.exercises import fundamentals as ex" in paragraph


def test_the_errors_a_cell_stops_at_are_said_in_the_exercises_terms():
    from ptx.exercises.errors import explain

    assert "`model.state_dict()`" in explain(
        AttributeError("'LinearRegressionModel' object has no attribute 'stat_dict'")
    )
    assert "torch.cuda.is_available()" in explain(
        AssertionError("Torch not compiled with CUDA enabled")
    )
    assert explain(KeyError("something else")) == ""
