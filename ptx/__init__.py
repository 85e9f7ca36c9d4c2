"""Small helpers for the PyTorch Exercises site: devices, seeds, toy data, models, training loops,
metrics, plots and checkpoints.

The distribution is named `pytorch-exercises-helpers` (`pip install -e .` in the site's
repository); the import name is `ptx`. Each submodule has one job; the public names are
re-exported here, so `ptx.fit` and `ptx.plotting.to_numpy` both work. The argument checks
(`ptx.checks`) and the refusals at training time (`ptx.guards`, `ptx.forward`,
`ptx.divergence`) are internal.
"""

from ptx import (
    checkpoint,
    data,
    device,
    engine,
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
from ptx.checkpoint import (
    CheckpointCorruptError,
    CheckpointMismatchError,
    CheckpointNotFoundError,
    load_checkpoint,
    save_checkpoint,
)
from ptx.data import (
    make_blobs,
    make_circles,
    make_line,
    make_moons,
    make_spirals,
    split_train_test,
)
from ptx.device import available_devices, get_device
from ptx.engine import History, eval_mode, evaluate, fit, train_step
from ptx.metrics import accuracy, make_accuracy
from ptx.models import Classifier, LinearRegression, LinearRegressionLinear
from ptx.plotting import (
    plot_decision_boundary,
    plot_loss_curves,
    plot_metric_curves,
    plot_predictions,
    to_numpy,
)
from ptx.seed import make_generator, set_seed

__all__ = [
    "CheckpointCorruptError",
    "CheckpointMismatchError",
    "CheckpointNotFoundError",
    "Classifier",
    "History",
    "LinearRegression",
    "LinearRegressionLinear",
    "accuracy",
    "available_devices",
    "checkpoint",
    "data",
    "device",
    "engine",
    "eval_mode",
    "evaluate",
    "fit",
    "get_device",
    "history",
    "load_checkpoint",
    "make_accuracy",
    "make_blobs",
    "make_circles",
    "make_generator",
    "make_line",
    "make_moons",
    "make_spirals",
    "metrics",
    "models",
    "plot_decision_boundary",
    "plot_loss_curves",
    "plot_metric_curves",
    "plot_predictions",
    "plotting",
    "save_checkpoint",
    "seed",
    "set_seed",
    "split_train_test",
    "steps",
    "to_numpy",
    "train_step",
]
