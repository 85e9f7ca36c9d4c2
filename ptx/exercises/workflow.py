"""The checks of Exercises 01, the PyTorch workflow on linear regression: the course's five
exercises (`q1` ... `q5`).

    from ptx.exercises import workflow as ex
    ex.q3.check()
"""

from __future__ import annotations

from ptx.exercises.regression_data import q1
from ptx.exercises.regression_model import q2
from ptx.exercises.regression_results import q4, q5
from ptx.exercises.regression_training import q3
from ptx.exercises.sets import unknown_exercise

__all__ = ["q1", "q2", "q3", "q4", "q5"]
__getattr__ = unknown_exercise(__name__)
