"""Imported once by the fork server, before any child is forked from it: the heavy imports and the
first-call costs that every child would otherwise pay again (torch's first optimizer step alone
takes about 2 s). Nothing from the project itself (ptx, snippets) is imported here, so an edited
`ptx` is what the next child imports."""

import contextlib
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy  # noqa: E402, F401
import torch  # noqa: E402

torch.set_num_threads(1)  # before any operation: no thread pool to lose across fork()
_model = torch.nn.Linear(2, 1)
_optimizer = torch.optim.SGD(_model.parameters(), lr=0.1)
_model(torch.ones(4, 2)).sum().backward()
_optimizer.step()
del _model, _optimizer

with contextlib.suppress(ImportError):
    import sklearn.datasets  # noqa: F401
    import sklearn.metrics  # noqa: F401
    import sklearn.model_selection  # noqa: F401
with contextlib.suppress(ImportError):
    import torchmetrics.functional

    torchmetrics.functional.accuracy(torch.tensor([1, 0]), torch.tensor([1, 1]), task="binary")

# the first figure loads fonts and the SVG backend
_figure = plt.figure()
_figure.add_subplot().set_title("warm-up")
_figure.savefig(io.BytesIO(), format="svg")
plt.close("all")
matplotlib.rcdefaults()
