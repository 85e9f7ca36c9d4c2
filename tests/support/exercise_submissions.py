"""Submitting answers to the exercise checks, as a learner would: the code of the exercises before
(their solutions, as the notebook has them), then the learner's code, in one namespace; then the
check's feedback. pythonwhat's way: each check is tested with submissions that must pass and
ones that must fail, each failing one with the message aimed at its mistake."""

from __future__ import annotations

import copy
import functools
import sys
import zlib
from dataclasses import dataclass

import torch
from torch import nn

from ptx.exercises import training
from ptx.exercises.feedback import Exercise, Feedback

PREAMBLE = """
import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

import ptx
device = torch.device("cpu")
"""


@dataclass(frozen=True)
class Case:
    """One submission: to `exercise` after `before` ran, `code`; what the check must say."""

    exercise: str  # the label: "3", "7a"
    code: str
    expect: str  # a mistake code, or a status: "correct", "not attempted", "unfinished"
    phrase: str = ""  # a piece of the message the learner must read
    before: str = ""  # labels whose solutions run first, in order, space-separated ("1 2")

    @property
    def id(self) -> str:
        return f"q{self.exercise}-{self.expect}-{zlib.crc32(self.code.encode()) % 1000:03d}"


@functools.cache
def _setup(module_name: str, before: str, preamble: str) -> tuple[dict, dict]:
    """The namespace after the solutions of `before` ran (once per test process)."""
    module = __import__(module_name, fromlist=["_"])
    namespace: dict = {}
    exec(preamble, namespace)
    for label in before.split():
        exec(getattr(module, f"q{label}").solution_code, namespace)
    objects = {k: v for k, v in namespace.items() if not k.startswith("__") and _is_state(v)}
    return namespace, objects


def _is_state(value: object) -> bool:
    """What a case may change and the next must not see: models, optimizers, leaf tensors (a
    tensor out of a computation, such as a loss, stays shared: nothing changes it in place)."""
    if isinstance(value, torch.Tensor):
        return value.grad_fn is None
    return isinstance(value, nn.Module | torch.optim.Optimizer)


def submit(module, case: Case, preamble: str = PREAMBLE) -> Feedback:
    """The feedback of the case's check, in a namespace of its own (the setup's models, tensors
    and optimizers copied together, so an optimizer still holds its model's parameters)."""
    shared, objects = _setup(module.__name__, case.before, preamble)
    copies: dict = {}
    namespace = {**shared, **copy.deepcopy(objects, copies)}
    for original in objects.values():  # a copied optimizer stepped as often as its original
        if isinstance(original, torch.optim.Optimizer) and original in training._STEPS:
            training._STEPS[copies[id(original)]] = copy.copy(training._STEPS[original])
    fresh_generator()
    exec(case.code, namespace)
    exercise: Exercise = getattr(module, f"q{case.exercise}")
    return exercise.feedback(namespace)


def fresh_generator() -> None:
    """The random generator as a new Python has it, seeded from the OS: never left at a fresh
    `torch.manual_seed(0)` by an earlier test, where draws made before seeding would happen to
    be the seeded ones (and a seed set after drawing would pass)."""
    torch.seed()


def assert_says(feedback: Feedback, case: Case) -> None:
    shown = str(feedback)
    if case.expect in ("correct", "not attempted", "unfinished", "stopped", "not judged"):
        assert feedback.status == case.expect, shown
    else:
        assert (feedback.status, feedback.mistake) == ("mistake", case.expect), shown
    assert " ".join(case.phrase.split()) in " ".join(shown.split()), shown


def uncovered(module, cases: list[Case]) -> list[str]:
    """Declared mistakes that no case submits."""
    tried = {(c.exercise, c.expect) for c in cases}
    missing = []
    for name in dir(module):
        exercise = getattr(module, name)
        if isinstance(exercise, Exercise) and name == f"q{exercise.label}":
            missing += [
                f"q{exercise.label}: {code}"
                for code in exercise.mistakes
                if (exercise.label, code) not in tried
            ]
    return missing


def run_cells(module, case: Case, cells: list[str], preamble: str = PREAMBLE) -> Feedback:
    """The feedback of the case's check after the learner ran `cells` one by one, as in IPython:
    each cell's code is named `<ipython-input-N-...>` and kept in `In`, and a cell that raises
    stops there, leaves its error in `sys.last_value` and the next cell runs (a notebook's
    "Run All" with errors allowed, or a learner who runs on)."""
    shared, objects = _setup(module.__name__, case.before, preamble)
    namespace = {**shared, **copy.deepcopy(objects)}
    namespace["In"] = history = [""]
    fresh_generator()
    try:
        for number, code in enumerate(cells, start=1):
            history.append(code)
            try:
                exec(compile(code, f"<ipython-input-{number}-0123456789ab>", "exec"), namespace)
            except (Exception, KeyboardInterrupt) as error:  # what IPython keeps of it
                sys.last_type, sys.last_value, sys.last_traceback = (
                    type(error),
                    error,
                    error.__traceback__,
                )
        history.append(f"ex.q{case.exercise}.check()")
        exercise: Exercise = getattr(module, f"q{case.exercise}")
        return exercise.feedback(namespace)
    finally:
        for name in ("last_type", "last_value", "last_traceback"):
            if hasattr(sys, name):
                delattr(sys, name)
