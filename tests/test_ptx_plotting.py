"""Tests for ptx.plotting: every helper returns its Axes, leaves the caller's objects alone, and
names the cause when a model does not fit the plane it is asked to shade."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from torch import nn

from ptx.history import History
from ptx.models import Classifier
from ptx.plotting import (
    plot_decision_boundary,
    plot_loss_curves,
    plot_metric_curves,
    plot_predictions,
    to_numpy,
)


class SignOfFirstFeature(nn.Module):
    """A binary model: logit = X[:, 0], so class 1 exactly where the first feature is > 0."""

    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.tensor([[1.0], [0.0]]))

    def forward(self, x):
        return x @ self.weight


def _spy_contourf(ax, monkeypatch):
    calls = []
    original = ax.contourf
    monkeypatch.setattr(ax, "contourf", lambda *a, **k: calls.append((a, k)) or original(*a, **k))
    return calls


def test_to_numpy_detaches_and_copies_to_cpu():
    t = torch.tensor([1.0, 2.0], requires_grad=True) * 2
    array = to_numpy(t)
    assert isinstance(array, np.ndarray) and array.tolist() == [2.0, 4.0]
    same = np.zeros(2)
    assert to_numpy(same) is same
    with pytest.raises(TypeError, match="t must be a torch.Tensor, got list"):
        to_numpy([1, 2])


def test_plot_predictions_draws_on_given_axes():
    X = torch.arange(10, dtype=torch.float32).unsqueeze(1)
    _, ax = plt.subplots()
    result = plot_predictions(X[:8], X[:8], X[8:], X[8:], predictions=X[8:] + 1, ax=ax)
    assert result is ax
    assert [c.get_label() for c in ax.collections] == ["Training data", "Test data", "Predictions"]
    assert ax.collections[2].get_offsets()[:, 1].tolist() == [9.0, 10.0]
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("Data and predictions", "X", "y")


def test_plot_predictions_new_axes_and_length_check():
    X = torch.zeros(4, 1)
    ax = plot_predictions(X, X, X, X)
    assert len(ax.collections) == 2
    with pytest.raises(ValueError, match="X_test has 4 samples .* predictions has 3"):
        plot_predictions(X, X, X, X, predictions=torch.zeros(3, 1))


def test_binary_boundary_is_logit_above_zero(monkeypatch):
    X = torch.tensor([[-1.0, -1.0], [1.0, 1.0]])
    y = torch.tensor([[0.0], [1.0]])
    _, ax = plt.subplots()
    calls = _spy_contourf(ax, monkeypatch)
    assert plot_decision_boundary(SignOfFirstFeature(), X, y, ax=ax, resolution=5) is ax
    (xx, _, zz), kwargs = calls[0]
    assert zz.shape == (5, 5)
    assert np.array_equal(zz, (xx > 0).astype(zz.dtype))
    assert kwargs["levels"].tolist() == [-0.5, 0.5, 1.5]
    assert ax.get_title() == "Decision boundary"


def test_multiclass_boundary_is_argmax(monkeypatch):
    model = nn.Linear(2, 3)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[1.0, 0.0], [-1.0, 0.0], [0.0, 0.0]]))
        model.bias.zero_()
        model.bias[2] = 0.5  # class 2 wins near the middle
    X = torch.tensor([[-2.0, 0.0], [2.0, 1.0]])
    _, ax = plt.subplots()
    calls = _spy_contourf(ax, monkeypatch)
    plot_decision_boundary(model, X, torch.tensor([1, 0]), ax=ax, resolution=9)
    (xx, yy, zz), _ = calls[0]
    grid = np.stack([xx.ravel(), yy.ravel()], axis=1).astype(np.float32)
    expected = model(torch.from_numpy(grid)).argmax(1).reshape(9, 9).numpy()
    assert np.array_equal(zz, expected)
    assert set(np.unique(zz)) == {0, 1, 2}


@pytest.mark.parametrize("training", [True, False])
def test_boundary_leaves_model_mode_parameters_and_data_alone(training):
    torch.manual_seed(0)
    model = Classifier(2, 3).train(training)
    X, y = torch.randn(30, 2), torch.arange(30) % 3
    X_before, y_before = X.clone(), y.clone()
    state = {k: v.clone() for k, v in model.state_dict().items()}
    pointers = [p.data_ptr() for p in model.parameters()]
    plot_decision_boundary(model, X, y, resolution=20)
    assert model.training is training
    assert all(m.training is training for m in model.modules())
    assert all(torch.equal(state[k], v) for k, v in model.state_dict().items())
    assert [p.data_ptr() for p in model.parameters()] == pointers
    assert all(p.grad is None for p in model.parameters())
    assert torch.equal(X, X_before) and torch.equal(y, y_before)


def test_boundary_builds_grid_on_the_models_device_without_moving_it():
    class MetaModel(nn.Module):
        """Parameters on the meta device; records where its input lives."""

        def __init__(self):
            super().__init__()
            self.weight = nn.Parameter(torch.empty(2, 1, device="meta"))
            self.seen = []

        def forward(self, x):
            self.seen.append((x.device, self.training, torch.is_inference_mode_enabled()))
            return torch.zeros(len(x), 1)  # a real output, so the plot can be drawn

    model = MetaModel()
    X = torch.randn(10, 2)
    plot_decision_boundary(model, X, torch.zeros(10, 1), resolution=4)
    assert model.seen == [(torch.device("meta"), False, True)]
    assert model.weight.device == torch.device("meta") and X.device == torch.device("cpu")
    assert model.training


def test_boundary_grid_follows_model_dtype():
    model = Classifier(2, 1).double()
    plot_decision_boundary(model, torch.randn(6, 2), torch.ones(6, 1), resolution=3)
    assert model.layers[0].weight.dtype == torch.float64


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (
            ("net", torch.zeros(4, 2), torch.zeros(4)),
            TypeError,
            "model must be an nn.Module, got str",
        ),
        (
            (nn.Linear(2, 1), torch.zeros(4, 3), torch.zeros(4)),
            ValueError,
            r"expected 2 feature columns \(N, 2\)",
        ),
        (
            (nn.Linear(2, 1), torch.zeros(4, 2, dtype=torch.int64), torch.zeros(4)),
            TypeError,
            "expected float features",
        ),
        (
            (nn.Linear(2, 1), torch.zeros(4, 2), torch.zeros(5)),
            ValueError,
            "X has 4 samples .* y has 5",
        ),
        ((nn.Linear(2, 1), torch.zeros(4, 2), [0, 1, 0, 1]), TypeError, "y must be a torch.Tensor"),
    ],
)
def test_boundary_bad_input(args, error, message):
    with pytest.raises(error, match=message):
        plot_decision_boundary(*args)


def test_boundary_with_a_model_for_other_features_names_in_features_and_shape():
    model = Classifier(3, 1)  # trained on three features
    with pytest.raises(ValueError) as info:
        plot_decision_boundary(model, torch.zeros(4, 2), torch.zeros(4, 1))
    message = str(info.value)
    assert message.startswith(
        "X has shape (4, 2), but the model's first layer (layers.0: Linear) takes in_features=3"
    )
    assert "a model that takes 2 features" in message and "mat1" not in message


def test_boundary_with_a_model_that_returns_a_tuple_is_a_type_error():
    class TupleModel(nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = nn.Linear(2, 1)

        def forward(self, x):
            return self.linear(x), x

    with pytest.raises(TypeError, match=r"model returned a tuple of 2 .*output\[0\]"):
        plot_decision_boundary(TupleModel(), torch.zeros(4, 2), torch.zeros(4, 1), resolution=3)


def test_boundary_accepts_a_model_that_makes_its_own_features():
    class Squares(nn.Module):
        """Takes 2 features, but its first layer sees 4: [x, x**2]."""

        def __init__(self):
            super().__init__()
            self.linear = nn.Linear(4, 1)

        def forward(self, x):
            return self.linear(torch.cat([x, x**2], dim=1))

    ax = plot_decision_boundary(Squares(), torch.randn(6, 2), torch.ones(6, 1), resolution=3)
    assert ax.get_title() == "Decision boundary"


def test_boundary_rejects_bad_resolution():
    with pytest.raises(ValueError, match="resolution must be an int of at least 2, got 1"):
        plot_decision_boundary(nn.Linear(2, 1), torch.zeros(4, 2), torch.zeros(4), resolution=1)


def _history():
    history = History(metric_name="acc")
    for epoch, (loss, acc) in enumerate([(0.9, 0.5), (0.5, 0.8), (0.3, 0.9)], start=1):
        history.record(epoch, loss, loss + 0.1, acc, acc - 0.1, nn.Linear(1, 1))
    return history


def test_loss_curves_plot_history():
    _, ax = plt.subplots()
    assert plot_loss_curves(_history(), ax=ax) is ax
    train, val = ax.get_lines()
    assert train.get_label() == "Train" and val.get_label() == "Validation"
    assert list(train.get_xdata()) == [1, 2, 3] and list(train.get_ydata()) == [0.9, 0.5, 0.3]
    assert list(val.get_ydata()) == pytest.approx([1.0, 0.6, 0.4])
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("Loss curves", "Epoch", "Loss")


def test_metric_curves_plot_history():
    ax = plot_metric_curves(_history())
    train, val = ax.get_lines()
    assert list(train.get_ydata()) == [0.5, 0.8, 0.9]
    assert (train.get_label(), val.get_label()) == ("Train", "Validation")
    assert list(val.get_ydata()) == pytest.approx([0.4, 0.7, 0.8])
    assert (ax.get_title(), ax.get_ylabel()) == ("Accuracy curves", "Accuracy")


def test_curves_bad_input():
    with pytest.raises(TypeError, match="history must be the History that fit returns, got dict"):
        plot_loss_curves({"train_loss": [1.0]})
    with pytest.raises(ValueError, match="history is empty"):
        plot_loss_curves(History())
    no_metric = History()
    no_metric.record(1, 1.0, 1.0, None, None, nn.Linear(1, 1))
    with pytest.raises(ValueError, match="recorded no metric; pass metric='accuracy' to fit"):
        plot_metric_curves(no_metric)
