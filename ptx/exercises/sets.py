"""What every exercise set shares: solutions written as code, questions answered with a letter,
and a clear word for an exercise this version of the helper does not have."""

from __future__ import annotations

from ptx.exercises.feedback import Mistake


def code(text: str) -> str:
    """A solution's code, written flush left in a triple-quoted string."""
    return text.strip("\n") + "\n"


def choice(value: object, name: str, right: str, wrong: dict[str, tuple[str, str]]) -> None:
    """Judge a multiple-choice answer: a letter, in any case, with or without brackets.

    Args:
        value: The learner's answer.
        name: Its name, for the message.
        right: The right letter.
        wrong: Each wrong letter's mistake code and message.

    Raises:
        Mistake: A wrong letter (its own message), or something that is not a letter.
    """
    letters = sorted([right, *wrong])
    picked = str(value).strip().strip("()").strip().lower() if isinstance(value, str) else None
    if picked not in letters:
        raise Mistake(
            "not_a_choice",
            f"`{name}` is {value!r}; the answer is one of the letters "
            + ", ".join(f'"{letter}"' for letter in letters)
            + f', as a string: `{name} = "{letters[0]}"`.',
        )
    if picked != right:
        raise Mistake(*wrong[picked])


def unknown_exercise(module: str):
    """A module `__getattr__` that answers `ex.q11` with what to do instead of an AttributeError."""

    def __getattr__(name: str):
        if name.startswith("q") and name[1:2].isdigit():
            import ptx

            raise AttributeError(
                f"{module} has no exercise {name[1:]} in pytorch-exercises-helpers "
                f"{ptx.__version__}. If your notebook has one, it was made with another "
                "version of the helper: run the notebook's first cell, which installs the "
                "right one, then restart the kernel"
            )
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    return __getattr__
