"""Small helpers for the PyTorch Exercises site: devices, seeds, toy data, models, training loops,
metrics, plots and checkpoints.

The distribution is named `pytorch-exercises-helpers` (`pip install -e .` in the site's
repository); the import name is `ptx`. Each submodule has one job; the public names are
re-exported here, so `ptx.fit` and `ptx.plotting.to_numpy` both work: the names the chapters
teach. A few more helpers stay in their modules (`ptx.seed.set_seed`, `ptx.steps.eval_mode`,
`ptx.plotting.plot_loss_curves`...). The argument checks
(`ptx.checks`) and the refusals at training time (`ptx.guards`, `ptx.forward`,
`ptx.divergence`) are internal. `ptx.exercises` holds the checks of the exercise notebooks
(`from ptx.exercises import fundamentals as ex`, then `ex.q2.check()`), and `ptx.__version__`
is a base release plus a digest of the package's code.
"""

from ptx import _version

__version__ = _version.version()  # a base release plus the digest of this package's code

from ptx import (  # noqa: E402 (the version first: it reads the files, imports nothing)
    checkpoint,
    data,
    device,
    engine,
    exercises,
    history,
    metrics,
    models,
    plotting,
    seed,
    steps,
)
from ptx import checks as checks  # internal modules: reachable, but not in __all__
from ptx import divergence as divergence
from ptx import forward as forward
from ptx import guards as guards
from ptx.checkpoint import CheckpointMismatchError, load_checkpoint, save_checkpoint
from ptx.data import (
    make_blobs,
    make_circles,
    make_line,
    make_moons,
    make_spirals,
    split_train_test,
)
from ptx.device import get_device
from ptx.engine import History, evaluate, fit, train_step
from ptx.exercises import Exercise
from ptx.metrics import accuracy
from ptx.models import Classifier, LinearRegression, LinearRegressionLinear
from ptx.plotting import plot_decision_boundary, plot_predictions, to_numpy

__all__ = [
    "CheckpointMismatchError",
    "Classifier",
    "Exercise",
    "History",
    "LinearRegression",
    "LinearRegressionLinear",
    "accuracy",
    "checkpoint",
    "data",
    "device",
    "engine",
    "evaluate",
    "exercises",
    "fit",
    "get_device",
    "history",
    "load_checkpoint",
    "make_blobs",
    "make_circles",
    "make_line",
    "make_moons",
    "make_spirals",
    "metrics",
    "models",
    "plot_decision_boundary",
    "plot_predictions",
    "plotting",
    "save_checkpoint",
    "seed",
    "split_train_test",
    "steps",
    "to_numpy",
    "train_step",
]
