"""Exercises that answer back: each exercise is an `Exercise` with `check()`, `hint()` and
`solution()`.

`check()` reads the names the task asks for from the code that calls it (a notebook, or a
script) and prints one of these answers: *not attempted yet* (the names do not exist, or still
hold a placeholder such as `...`), *correct* (with what to notice), *not yet right* (the mistake
it recognises, in the learner's terms, and its fix), *your cell stopped at an error* (the cell
that sets the names raised before it set them: the error explained, the older values left
unjudged), or *update the helper* (the notebook was made for another version of this package).
It judges what the answer does, never how it is spelled, and never lets an answer that raises
or hangs take the kernel with it: anything the check itself cannot read becomes a message that
says so, with a line to report it, never a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType

from ptx.exercises.cells import Stopped, stopped
from ptx.exercises.errors import explain, explain_last_error, first_line

# mistakes any exercise may meet, declared once here rather than by each exercise
GENERIC = {"meta_tensor": "a tensor on the meta device: a shape without numbers"}
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


class Unjudgeable(Exception):  # noqa: N818
    """The check cannot judge this answer here (this PyTorch keeps what it needs elsewhere, say):
    its message says why, and what the answer would have to be."""


@dataclass(frozen=True)
class Feedback:
    """What one check said: `status` is "correct", "mistake", "not attempted" (no name the task
    asks for is defined), "unfinished" (some are), "stopped" (the cell that sets them raised
    first), "not judged" (the check could not read the answer) or "outdated" (the helper is not
    the one the notebook was made with)."""

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
            "stopped": "your cell stopped at an error.",
            "not judged": "the check could not judge this answer.",
            "outdated": "update the helper first.",
        }[self.status]
        message = self.message[:1].upper() + self.message[1:]
        # one line per paragraph: a notebook, a terminal and the page each wrap it to their width
        text = f"Exercise {self.exercise}: {heading} {message}"
        if self.status in ("mistake", "stopped"):
            call = f"{self.handle}.q{self.exercise}"
            text += f"\nMore help: {call}.hint() gives a hint, {call}.solution() a solution."
        return text


@dataclass
class Answer:
    """The learner's namespace as a check sees it: the names the task asks for as attributes,
    any other name by `get()`."""

    namespace: Mapping[str, object]
    read: list[str] = field(default_factory=list)  # the names the check read, in order

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        self._note(name)
        try:
            return self.namespace[name]
        except KeyError:
            raise AttributeError(name) from None

    def get(self, name: str, default=None):
        self._note(name)
        return self.namespace.get(name, default)

    def _note(self, name: str) -> None:
        if name not in self.read:
            self.read.append(name)


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
        reads: Other names the judge reads when they are there (`loss_fn` for the cause of
            a loss that stopped going down).
        marks: For a task that sets no names (seeding): pieces of code that show a cell was an
            attempt at it, so that an error it raised is explained first.
        expected: What the course's reference output is, computed (never typed), for a task
            whose check compares with it; `reference()` prints it.

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
    reads: tuple[str, ...] = ()
    marks: tuple[str, ...] = ()
    expected: Callable[[], str] | None = None
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
            return self._said("outdated", outdated)
        halted = stopped(merged)
        missing = [n for n in self.names if _blank(merged.get(n, Ellipsis))]
        earlier = [n for n in self.uses if _blank(merged.get(n, Ellipsis))]
        if halted and (
            halted.unset & {*self.names, *self.uses, *self.reads} or self._attempted_last(halted)
        ):
            return self._said("stopped", self._stopped(halted))
        if missing:
            status = "not attempted" if len(missing) == len(self.names) else "unfinished"
            # the last error, when no cell can be named for it (outside IPython): it may be why
            return self._said(status, self._missing(missing, mention_error=halted is None))
        if earlier:
            where = "; ".join(f"`{n}` ({self.uses[n]})" for n in earlier)
            text = f"This exercise builds on {where}: run that first, then this check again."
            return self._said("unfinished", text)
        return self._judged(Answer(merged))

    def _judged(self, answer: Answer) -> Feedback:
        """The judge's verdict; any exception of the check's own becomes a message."""
        try:
            notice = self.judge(answer)
        except NotAttempted as nothing:
            return self._said("not attempted", str(nothing))
        except Unjudgeable as why:
            return self._said("not judged", str(why))
        except Mistake as mistake:
            if mistake.code not in self.mistakes and mistake.code not in GENERIC:
                raise ValueError(
                    f"exercise {self.label}: undeclared mistake {mistake.code!r}"
                ) from mistake
            return Feedback(self.label, "mistake", mistake.message, mistake.code, self.handle)
        except Exception as error:  # a gap in the check: said, never shown as a traceback
            return self._said("not judged", self._unreadable(error, answer.read))
        return self._said("correct", notice)

    def _said(self, status: str, message: str) -> Feedback:
        return Feedback(self.label, status, message, handle=self.handle)

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

    def reference(self) -> None:
        """Print the course's reference output for this exercise, computed here on a random
        generator of the check's own (yours is left as it was)."""
        if self.expected is None:
            print(
                f"Exercise {self.label} has no reference output: its check judges what your "
                "code does."
            )
            return
        print(f"The course's reference output for exercise {self.label}:\n{self.expected()}")

    def solution(self) -> None:
        """Print a solution's code (the solved notebook has it with its output)."""
        print(f"A solution to exercise {self.label} ({self.title}):\n")
        print(self.solution_code.rstrip("\n"))

    def _attempted_last(self, halted: Stopped) -> bool:
        """For a task that sets no names: the cell that raised was an attempt at it (its code
        from the failing line on holds a mark), and no later cell attempted it again."""

        def attempts(code: str) -> bool:
            return any(mark in code for mark in self.marks)

        return attempts(halted.rest) and not any(attempts(cell) for cell in halted.later)

    def _missing(self, missing: list[str], mention_error: bool = True) -> str:
        what = "; ".join(f"`{name}`: {self.names[name]}" for name in missing)
        done = [n for n in self.names if n not in missing]
        text = f"Define {what}. Then run this check again."
        if done:
            text = (
                f"{_listed(done)} {'is' if len(done) == 1 else 'are'} there; still missing: " + text
            )
        return text + (explain_last_error() if mention_error else "")

    def _stopped(self, halted: Stopped) -> str:
        names = [n for n in [*self.names, *self.uses, *self.reads] if n in halted.unset]
        stop = (
            "was interrupted (`KeyboardInterrupt`)"
            if isinstance(halted.error, KeyboardInterrupt)
            else f"stopped at `{first_line(halted.error)}`"
        )
        meaning = explain(halted.error) or (
            "The traceback's last lines show the line that failed and why."
        )
        if not names:  # a task that sets no names: the cell's later lines did not run
            return (
                f"Your last cell for this exercise (In [{halted.cell}]) {stop}, so its lines from "
                "there on did not run, and this "
                f"check does not judge what is left from before. {meaning} Fix the cell, run it "
                "again, then this check."
            )
        shown = _listed(names)
        return (
            f"The cell that sets {shown} (In [{halted.cell}]) {stop} "
            f"before it set {'it' if len(names) == 1 else 'them'}, so {shown} "
            f"{'holds' if len(names) == 1 else 'hold'} what an earlier run left, and this check "
            f"does not judge that. {meaning} Fix the cell, run it again, then this check."
        )

    def _unreadable(self, error: Exception, read: list[str]) -> str:
        import ptx  # here: ptx imports this module

        names = _listed(read[-1:]) if read else "your answer"
        meaning = explain(error)
        report = (
            f"ptx {ptx.__version__}, {self.handle}.q{self.label}, reading {names}: "
            f"{first_line(error)}"
        )
        return (
            f"While it read {names}, the check met `{first_line(error)}`, a case it does not know, "
            "so it cannot say whether the answer is right."
            + (f" What that error usually means: {meaning}" if meaning else "")
            + " Please report it to the site's authors, with your cell's code and this line:\n"
            + f"    {report}"
        )


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
    """The name the learner gave the exercise set (`ex` in `... import fundamentals as ex`): the
    module in their namespace that holds this exercise as `q<label>`."""
    for name, value in reversed(list(namespace.items())):  # the latest name, a local first
        if (
            isinstance(value, ModuleType)
            and not name.startswith("_")
            and value.__dict__.get(f"q{exercise.label}") is exercise
        ):
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
