"""Exercises that answer back: each exercise is an `Exercise` with `check()`, `hint()` and
`solution()`.

`check()` reads the names the task asks for from the code that calls it (a notebook, or a
script) and prints one of four answers: *not attempted yet* (the names do not exist, or still
hold a placeholder such as `...`), *correct* (with what to notice), *not yet right* (the mistake
it recognises, in the learner's terms, and its fix), or *update the helper* (the notebook was
made for another version of this package). It judges what the answer does, never how it is
spelled, and never lets an answer that raises or hangs take the kernel with it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

PLACEHOLDERS = (Ellipsis, None)  # what a blank answer holds before the learner writes one
WANTED = "PTX_NOTEBOOK_HELPER"  # "<version> <wheel URL>", set by a notebook's first cell


class Mistake(Exception):  # noqa: N818 (a mistake is what a learner makes, not an error of ours)
    """A mistake an exercise recognises: its code (declared by the exercise) and its message.

    Args:
        code: The mistake's name among the exercise's `mistakes`.
        message: What is wrong and how to fix it, in the learner's terms.
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


class NotAttempted(Exception):  # noqa: N818
    """For a task that defines no name of its own (seeding, say): the check saw no attempt."""


@dataclass(frozen=True)
class Feedback:
    """What one check said: `status` is "correct", "mistake", "not attempted" (no name the task
    asks for is defined), "unfinished" (some are) or "outdated" (the helper is not the one the
    notebook was made with)."""

    exercise: str
    status: str
    message: str
    mistake: str | None = None  # the code of the recognised mistake
    handle: str = "ex"  # how the learner reaches the exercise set (for the hint line)

    def __str__(self) -> str:
        heading = {
            "correct": "correct.",
            "mistake": "not yet right.",
            "not attempted": "not attempted yet.",
            "unfinished": "not finished yet.",
            "outdated": "update the helper first.",
        }[self.status]
        message = self.message[:1].upper() + self.message[1:]
        # one line per paragraph: a notebook, a terminal and the page each wrap it to their width
        text = f"Exercise {self.exercise}: {heading} {message}"
        if self.status == "mistake":
            call = f"{self.handle}.q{self.exercise}"
            text += f"\nMore help: {call}.hint() gives a hint, {call}.solution() a solution."
        return text


@dataclass
class Answer:
    """The learner's namespace as a check sees it: the names the task asks for as attributes,
    any other name by `get()`."""

    namespace: Mapping[str, object]

    def __getattr__(self, name: str):
        try:
            return self.namespace[name]
        except KeyError:
            raise AttributeError(name) from None

    def get(self, name: str, default=None):
        return self.namespace.get(name, default)


Judge = Callable[[Answer], str]


@dataclass
class Exercise:
    """One exercise's check, hints and solution.

    Args:
        label: The exercise's number as the course gives it ("2", or "7a" for a part).
        title: What the exercise is about, in a few words.
        names: The names the task asks the learner to define, each with what it should hold.
        judge: Reads an `Answer`, raises `Mistake` for a recognised mistake, and returns what
            to notice when the answer is correct.
        mistakes: Every mistake code `judge` may raise, with a short description of it.
        hints: The hints, first the gentlest.
        solution_code: A solution's code, as the solved notebook has it.
        uses: Names from earlier exercises that this one builds on, each with where it comes
            from ("exercise 2").

    Taught in: Exercises (exercises/fundamentals.md).
    """

    label: str
    title: str
    names: dict[str, str]
    judge: Judge
    mistakes: dict[str, str]
    hints: list[str]
    solution_code: str
    uses: dict[str, str] = field(default_factory=dict)
    handle: str = field(default="ex", repr=False)

    def feedback(
        self, namespace: Mapping[str, object] | None = None, **answers: object
    ) -> Feedback:
        """What `check()` would print, as a `Feedback` (for tests and tools).

        Args:
            namespace: Where the learner's names live; by default the caller's globals and
                locals.
            **answers: Names to use instead of those in the namespace
                (`check(product=my_product)`).
        """
        if namespace is None:
            namespace = _callers_namespace(depth=2)
        merged = {**namespace, **answers}
        self.handle = _handle(merged, self) or self.handle
        outdated = _outdated_message()
        if outdated:
            return Feedback(self.label, "outdated", outdated, handle=self.handle)
        missing = [n for n in self.names if _blank(merged.get(n, Ellipsis))]
        if missing:
            status = "not attempted" if len(missing) == len(self.names) else "unfinished"
            return Feedback(self.label, status, self._missing(missing), handle=self.handle)
        earlier = [n for n in self.uses if _blank(merged.get(n, Ellipsis))]
        if earlier:
            where = "; ".join(f"`{n}` ({self.uses[n]})" for n in earlier)
            text = f"This exercise builds on {where}: run that first, then this check again."
            return Feedback(self.label, "unfinished", text, handle=self.handle)
        try:
            notice = self.judge(Answer(merged))
        except NotAttempted as nothing:
            return Feedback(self.label, "not attempted", str(nothing), handle=self.handle)
        except Mistake as mistake:
            if mistake.code not in self.mistakes:
                raise ValueError(
                    f"exercise {self.label}: undeclared mistake {mistake.code!r}"
                ) from mistake
            return Feedback(self.label, "mistake", mistake.message, mistake.code, self.handle)
        return Feedback(self.label, "correct", notice, handle=self.handle)

    def check(self, **answers: object) -> None:
        """Check the answer in the calling notebook or script, and print what is right or wrong.

        Args:
            **answers: Names to use instead of the ones the task gives, if yours differ
                (`ex.q3.check(product=my_product)`).
        """
        print(self.feedback(_callers_namespace(depth=2), **answers))

    def hint(self, n: int = 1) -> None:
        """Print hint number `n` (1 is the gentlest; the last one nearly gives the answer)."""
        n = max(1, min(n, len(self.hints)))
        more = (
            f" ({self.handle}.q{self.label}.hint({n + 1}) for another)"
            if n < len(self.hints)
            else ""
        )
        print(f"Hint {n} for exercise {self.label}: {self.hints[n - 1]}{more}")

    def solution(self) -> None:
        """Print a solution's code (the solved notebook has it with its output)."""
        print(f"A solution to exercise {self.label} ({self.title}):\n")
        print(self.solution_code.rstrip("\n"))

    def _missing(self, missing: list[str]) -> str:
        what = "; ".join(f"`{name}`: {self.names[name]}" for name in missing)
        done = [n for n in self.names if n not in missing]
        text = f"Define {what}. Then run this check again."
        if done:
            text = (
                f"{_listed(done)} {'is' if len(done) == 1 else 'are'} there; still missing: " + text
            )
        from ptx.exercises.errors import explain_last_error

        return text + explain_last_error()


def _blank(value: object) -> bool:
    return any(value is placeholder for placeholder in PLACEHOLDERS)


def _listed(names: list[str]) -> str:
    quoted = [f"`{n}`" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _callers_namespace(depth: int) -> dict[str, object]:
    """The globals and locals of the code `depth` frames up (a notebook cell, a script, a
    function that calls `check()`)."""
    frame = sys._getframe(depth)
    return {**frame.f_globals, **frame.f_locals}


def _handle(namespace: Mapping[str, object], exercise: Exercise) -> str | None:
    """The name the learner gave the exercise set (`ex` in `... import fundamentals as ex`)."""
    module = sys.modules.get(getattr(exercise.judge, "__module__", ""), None)
    for name, value in reversed(list(namespace.items())):  # the latest name, a local first
        if value is module and not name.startswith("_"):
            return name
    return None


def _outdated_message() -> str:
    """When a notebook's first cell said which helper it was made with and this is another."""
    wanted = os.environ.get(WANTED, "").split()
    if len(wanted) != 2:
        return ""
    import ptx

    version, wheel = wanted
    if ptx.__version__ == version:
        return ""
    return (
        f"These checks come from pytorch-exercises-helpers {ptx.__version__}, but this notebook "
        f"was made with {version}, whose checks may differ. Update the helper (in a notebook "
        "cell, with a % in front):\n"
        f"    pip install --upgrade {wheel}\n"
        "then restart the kernel and run the notebook again from its first cell."
    )
