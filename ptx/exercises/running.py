"""Running a learner's code inside a check, safely: a time limit, and every exception or warning
turned into a message, so that an answer which hangs or explodes never freezes the kernel."""

from __future__ import annotations

import signal
import threading
import time
import warnings
from collections.abc import Callable

from ptx.exercises.errors import explain
from ptx.exercises.feedback import Mistake

SECONDS = 10.0  # how long one call of the learner's code may take in a check


class _TimeUp(BaseException):  # not an Exception: the learner's `except Exception` can't eat it
    pass


def call(
    fn: Callable,
    *args,
    what: str,
    raises: str,
    hangs: str,
    seconds: float | None = None,
):
    """`fn(*args)`, or a `Mistake` saying what went wrong in the learner's terms.

    Args:
        fn: The learner's function, model or loss.
        *args: What to call it with.
        what: How the message names the call ("your model's forward pass on X_test[:5]").
        raises: The mistake code for an exception.
        hangs: The mistake code for a call that runs past `seconds`.
        seconds: The time limit (by default SECONDS).

    Returns:
        What `fn` returned, and the warnings it gave (a list of messages).

    Raises:
        Mistake: The call raised or ran too long.
    """
    seconds = SECONDS if seconds is None else seconds
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = _within(seconds, fn, *args)
        except _TimeUp:
            raise Mistake(
                hangs,
                f"{what} was still running after {seconds:g} s, so the check stopped it. Look "
                "for a loop that never ends (a `while` whose condition stays true) or work far "
                "larger than the task needs.",
            ) from None
        except Exception as error:  # the learner's code may raise anything
            first = str(error).splitlines()[0] if str(error) else ""
            meaning = explain(error)
            raise Mistake(
                raises,
                f"{what} raised `{type(error).__name__}: {first}`."
                + (f" {meaning}" if meaning else ""),
            ) from None
    return result, [str(w.message) for w in caught]


def _within(seconds: float, fn: Callable, *args):
    """Call `fn`, stopping it after `seconds`: with an alarm signal where there is one (the main
    thread on Linux and macOS, where notebook kernels run cells), else by giving up on a thread
    that goes on in the background (Windows, or a check called from another thread)."""
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():

        def stop(signum, frame):
            raise _TimeUp

        previous = signal.signal(signal.SIGALRM, stop)
        started = time.monotonic()
        pending, interval = signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return fn(*args)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            if pending:  # someone else's alarm was set: it goes on, less the time spent here
                left = max(pending - (time.monotonic() - started), 0.001)
                signal.setitimer(signal.ITIMER_REAL, left, interval)
    outcome: dict[str, object] = {}

    def target():
        try:
            outcome["value"] = fn(*args)
        except BaseException as error:  # handed back to the checking thread
            outcome["error"] = error

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise _TimeUp
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")
