"""Submitting answers to the exercise checks, as a learner would: the code of the exercises before
(their solutions, as the notebook has them), then the learner's code, in one namespace; then the
check's feedback. pythonwhat's way: each check is tested with submissions that must pass and
ones that must fail, each failing one with the message aimed at its mistake."""

from __future__ import annotations

import copy
import functools
import zlib
from dataclasses import dataclass

import torch
from torch import nn

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
    namespace = {**shared, **copy.deepcopy(objects)}
    exec(case.code, namespace)
    exercise: Exercise = getattr(module, f"q{case.exercise}")
    return exercise.feedback(namespace)


def assert_says(feedback: Feedback, case: Case) -> None:
    shown = str(feedback)
    if case.expect in ("correct", "not attempted", "unfinished"):
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
