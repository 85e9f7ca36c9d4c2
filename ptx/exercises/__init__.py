"""Checks for the site's exercises: after each exercise, `ex.q2.check()` says whether your answer
is right, and if not, which mistake it is and how to fix it.

    from ptx.exercises import fundamentals as ex  # or workflow, binary, multiclass

    ex.q2.check()     # not attempted yet / correct / the mistake and its fix
    ex.q2.hint()      # a hint (ex.q2.hint(2) for the next)
    ex.q2.solution()  # a solution's code

Each set is a module with one `Exercise` per exercise, named by the course's numbers. A check
reads the names the task asks for from your notebook or script, so it works wherever you run it.
"""

from ptx.exercises.feedback import Exercise, Feedback, Mistake, NotAttempted

__all__ = ["Exercise", "Feedback", "Mistake", "NotAttempted"]
