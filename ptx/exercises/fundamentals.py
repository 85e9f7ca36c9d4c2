"""The checks of Exercises 00, PyTorch fundamentals: the course's ten exercises on tensors, by the
course's numbers (`q1` ... `q10`).

    from ptx.exercises import fundamentals as ex
    ex.q2.check()
"""

from __future__ import annotations

from ptx.exercises.devices import q6
from ptx.exercises.extremes import q8, q9
from ptx.exercises.products import q3, q7
from ptx.exercises.seeds import q4, q5
from ptx.exercises.sets import unknown_exercise
from ptx.exercises.tensor_basics import q1, q2, q10

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9", "q10"]
__getattr__ = unknown_exercise(__name__)
