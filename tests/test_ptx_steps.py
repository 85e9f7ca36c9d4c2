"""Tests for ptx.steps: train_step and evaluate, their modes, and the checks at their boundary."""

import pytest
import torch
from torch import nn

from ptx.models import Classifier, LinearRegression
from ptx.steps import eval_mode, evaluate, train_step


@pytest.fixture
def line():
    X = torch.linspace(0, 1, 20).unsqueeze(1)
    return X, 0.3 * X + 0.9


@pytest.fixture
def three_classes():
    torch.manual_seed(0)
    return torch.randn(12, 2), torch.arange(12) % 3


def test_train_step_returns_loss_and_updates_parameters(line):
    X, y = line
    torch.manual_seed(42)
    model = LinearRegression()
    model.eval()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    before = [p.detach().clone() for p in model.parameters()]
    expected = nn.MSELoss()(model(X), y).item()
    loss = train_step(model, X, y, nn.MSELoss(), optimizer)
    assert isinstance(loss, float) and loss == pytest.approx(expected)
    assert model.training
    assert all(not torch.equal(b, p) for b, p in zip(before, model.parameters(), strict=True))
    losses = [train_step(model, X, y, nn.MSELoss(), optimizer) for _ in range(20)]
    assert losses[-1] < losses[0] < loss


def test_evaluate_computes_loss_and_metric_without_changing_model(three_classes):
    X, y = three_classes
    model = Classifier(2, 3)
    state = {k: v.clone() for k, v in model.state_dict().items()}
    loss, acc = evaluate(model, X, y, nn.CrossEntropyLoss(), metric="accuracy")
    with torch.no_grad():
        y_logits = model(X)
    assert loss == pytest.approx(nn.CrossEntropyLoss()(y_logits, y).item())
    assert acc == pytest.approx((y_logits.argmax(1) == y).float().mean().item())
    assert all(torch.equal(state[k], v) for k, v in model.state_dict().items())
    assert evaluate(model, X, y, nn.CrossEntropyLoss())[1] is None


@pytest.mark.parametrize("training", [True, False])
def test_evaluate_runs_in_eval_and_inference_mode_then_restores(three_classes, training):
    X, y = three_classes
    model = Classifier(2, 3).train(training)
    seen = {}

    def spy(y_logits, y):
        seen["training"] = model.training
        seen["inference"] = torch.is_inference_mode_enabled()
        return 0.5

    _, score = evaluate(model, X, y, nn.CrossEntropyLoss(), metric=spy)
    assert score == 0.5
    assert seen == {"training": False, "inference": True}
    assert model.training is training


def test_eval_mode_restores_mixed_submodule_modes_even_after_an_error():
    model = Classifier(2, 3)
    model.layers[1].eval()  # one submodule in eval, the rest training
    with pytest.raises(RuntimeError, match="boom"), eval_mode(model):
        assert not any(m.training for m in model.modules())
        raise RuntimeError("boom")
    assert model.training and not model.layers[1].training and model.layers[0].training


def test_float_labels_for_cross_entropy_are_a_type_error(three_classes):
    X, y = three_classes
    model = Classifier(2, 3)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(TypeError, match=r"CrossEntropyLoss expects class labels .*y.long\(\)"):
        train_step(model, X, y.float(), nn.CrossEntropyLoss(), optimizer)
    with pytest.raises(TypeError, match="CrossEntropyLoss expects class labels"):
        evaluate(model, X, y.float(), nn.CrossEntropyLoss())


def test_int_labels_for_bce_are_a_type_error(three_classes):
    X, y = three_classes
    model = Classifier(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    y_int = (y > 0).long().unsqueeze(1)
    with pytest.raises(TypeError, match=r"BCEWithLogitsLoss expects float targets.*y.float\(\)"):
        train_step(model, X, y_int, nn.BCEWithLogitsLoss(), optimizer)
    with pytest.raises(TypeError, match="BCEWithLogitsLoss expects float targets"):
        evaluate(model, X, y_int, nn.BCEWithLogitsLoss())


def test_flat_target_against_column_output_names_shapes_and_fix(line):
    X, y = line
    model = LinearRegression()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    before = model.weight.item()
    with pytest.raises(ValueError, match=r"\(20, 1\) but y has shape \(20,\).*y.unsqueeze\(1\)"):
        train_step(model, X, y.squeeze(1), nn.MSELoss(), optimizer)
    assert model.weight.item() == before  # no step was taken


def test_model_and_data_on_different_devices(line):
    X, y = line
    model = LinearRegression().to("meta")
    with pytest.raises(ValueError, match="model is on meta, X is on cpu, y is on cpu"):
        evaluate(model, X, y, nn.MSELoss())
    with pytest.raises(ValueError, match="model is on meta, X is on cpu"):
        train_step(model, X, y, nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=0.1))


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"model": "net"}, TypeError, "model must be an nn.Module, got str"),
        ({"loss_fn": "mse"}, TypeError, "loss_fn must be a loss such as nn.MSELoss"),
        ({"optimizer": 0.1}, TypeError, "optimizer must be a torch.optim.Optimizer"),
        ({"X": torch.zeros(20, 1, dtype=torch.float64)}, TypeError, "X has dtype torch.float64"),
        ({"X": torch.zeros(20)}, ValueError, r"X has shape \(20,\), expected \(N, D\)"),
        ({"X": torch.zeros(0, 1), "y": torch.zeros(0, 1)}, ValueError, "X is empty"),
        ({"y": torch.zeros(19, 1)}, ValueError, "X has 20 samples .* y has 19"),
    ],
)
def test_train_step_bad_arguments(line, change, error, message):
    X, y = line
    model = LinearRegression()
    args = {"model": model, "X": X, "y": y, "loss_fn": nn.MSELoss()}
    args["optimizer"] = torch.optim.SGD(model.parameters(), lr=0.1)
    args.update(change)
    with pytest.raises(error, match=message):
        train_step(**args)


def test_evaluate_rejects_unknown_metric(line):
    X, y = line
    with pytest.raises(ValueError, match="metric must be None, 'accuracy' or a function.*'f1'"):
        evaluate(LinearRegression(), X, y, nn.MSELoss(), metric="f1")


# --- refusals: non-finite data, learning rates, losses and gradients ----------------------------


def test_train_step_and_evaluate_refuse_non_finite_data(line):
    X, y = line
    model = LinearRegression()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    X_bad = X.clone()
    X_bad[4] = float("inf")
    with pytest.raises(
        ValueError, match=r"^X holds 1 non-finite value \(1 inf\), the first in row 4"
    ):
        train_step(model, X_bad, y, nn.MSELoss(), optimizer)
    y_bad = y.clone()
    y_bad[[2, 7]] = float("nan")
    with pytest.raises(
        ValueError, match=r"^y holds 2 non-finite values \(2 NaN\), the first in row 2"
    ):
        evaluate(model, X, y_bad, nn.MSELoss())


def test_train_step_refuses_nan_learning_rate(line):
    X, y = line
    model = LinearRegression()
    optimizer = torch.optim.SGD(model.parameters(), lr=float("nan"))  # torch accepts it
    with pytest.raises(ValueError, match=r"optimizer's param group 0 has lr=nan.*lr=0\.01"):
        train_step(model, X, y, nn.MSELoss(), optimizer)


def _diverged_line_model():
    """A line model after five SGD steps with lr=1.0 on X in [0, 100): the sixth loss is inf."""
    X = torch.arange(0, 100, dtype=torch.float32).unsqueeze(1)
    y = 0.3 * X + 0.9
    torch.manual_seed(0)
    model = nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    for _ in range(5):
        train_step(model, X, y, nn.MSELoss(), optimizer)
    return model, optimizer, X, y


def test_train_step_refuses_a_non_finite_loss_without_stepping():
    model, optimizer, X, y = _diverged_line_model()
    before = [p.detach().clone() for p in model.parameters()]
    with pytest.raises(FloatingPointError) as info:
        train_step(model, X, y, nn.MSELoss(), optimizer)
    message = str(info.value)
    assert message.startswith("loss is inf, so the optimizer step was not taken")
    assert "learning rate may be too large (lr=1.0)" in message
    assert all(torch.equal(b, p) for b, p in zip(before, model.parameters(), strict=True))


class SqrtModel(nn.Module):
    """sqrt(w * x) at w = 0: a finite output whose gradient is infinite."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        return torch.sqrt(self.w * x)


def test_train_step_refuses_non_finite_gradients_without_stepping(line):
    X, y = line
    model = SqrtModel()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(FloatingPointError, match="the gradient of w holds 1 non-finite value"):
        train_step(model, X, y, nn.MSELoss(), optimizer)
    assert model.w.item() == 0.0


def test_evaluate_refuses_a_non_finite_loss(line):
    X, y = line
    model = LinearRegression()
    with torch.no_grad():
        model.weight.fill_(float("nan"))  # as a diverged training run leaves it
    with pytest.raises(FloatingPointError, match=r"loss is nan.*weight holds 1 non-finite value"):
        evaluate(model, X, y, nn.MSELoss())


# --- refusals: optimizer, targets, outputs ------------------------------------------------------


def test_train_step_refuses_optimizer_over_other_parameters(line):
    X, y = line
    model = LinearRegression()
    optimizer = torch.optim.SGD(LinearRegression().parameters(), lr=0.1)
    with pytest.raises(
        ValueError,
        match=r"optimizer holds none of the model's trainable parameters.*"
        r"optimizer = torch\.optim\.SGD\(model\.parameters\(\), lr=\.\.\.\)",
    ):
        train_step(model, X, y, nn.MSELoss(), optimizer)


def test_optimizer_over_a_subset_of_the_model_is_fine(line):
    X, y = line
    model = LinearRegression()
    optimizer = torch.optim.SGD([model.weight], lr=0.1)  # bias frozen on purpose
    bias = model.bias.item()
    train_step(model, X, y, nn.MSELoss(), optimizer)
    assert model.bias.item() == bias


@pytest.mark.parametrize("loss_fn", [nn.BCEWithLogitsLoss(), nn.BCELoss()])
def test_bce_targets_outside_zero_one_are_refused(three_classes, loss_fn):
    X, y = three_classes
    model = nn.Sequential(nn.Linear(2, 1), nn.Sigmoid())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    y_classes = y.float().unsqueeze(1)  # class labels 0, 1, 2 given to a binary loss
    name = type(loss_fn).__name__
    with pytest.raises(ValueError) as info:
        train_step(model, X, y_classes, loss_fn, optimizer)
    message = str(info.value)
    assert message.startswith("y holds 4 values other than 0 and 1 (the first, 2.0, in row 2)")
    assert f"{name} expects targets 0. or 1." in message
    assert "nn.CrossEntropyLoss" in message
    with pytest.raises(ValueError, match=r"y holds 12 values other than 0 and 1 \(the first, 0.5"):
        evaluate(model, X, torch.full((12, 1), 0.5), loss_fn)


class DictModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1)

    def forward(self, x):
        return {"out": self.linear(x)}


class NoReturnModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1)

    def forward(self, x):
        self.linear(x)


@pytest.mark.parametrize(
    ("model", "message"),
    [
        (
            DictModel(),
            "model returned a dict with keys 'out', expected one tensor.*output\\['out'\\]",
        ),
        (NoReturnModel(), "model returned None, expected one tensor.*does forward end with return"),
    ],
)
def test_model_output_that_is_not_a_tensor_is_a_type_error(line, model, message):
    X, y = line
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(TypeError, match=message):
        train_step(model, X, y, nn.MSELoss(), optimizer)
    with pytest.raises(TypeError, match=message):
        evaluate(model, X, y, nn.MSELoss())


def test_layers_that_do_not_fit_each_other_are_not_blamed_on_the_data(three_classes):
    X, y = three_classes
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(4, 3))
    with pytest.raises(ValueError) as info:
        evaluate(model, X, y, nn.CrossEntropyLoss())
    message = str(info.value)
    assert "the model's layers do not fit together" in message
    assert "X has shape" not in message


def test_data_that_does_not_fit_the_first_layer_names_its_in_features(three_classes):
    X, y = three_classes
    model = Classifier(3, 3)
    with pytest.raises(
        ValueError,
        match=r"X has shape \(12, 2\), which does not fit the model's first layer "
        r"\(layers\.0: Linear, in_features=3\); expected 3 feature columns",
    ):
        evaluate(model, X, y, nn.CrossEntropyLoss())
