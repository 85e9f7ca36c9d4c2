"""Tests for ptx.models: seeded initial values, layer structure and bad arguments."""

import pytest
import torch
from torch import nn

from ptx.models import Classifier, LinearRegression, LinearRegressionLinear


def test_linear_regression_initial_values_with_seed_42():
    torch.manual_seed(42)
    model = LinearRegression()
    assert [name for name, _ in model.named_parameters()] == ["weight", "bias"]
    assert model.weight.item() == pytest.approx(0.3367, abs=1e-4)
    assert model.bias.item() == pytest.approx(0.1288, abs=1e-4)


def test_linear_regression_forward():
    model = LinearRegression()
    with torch.no_grad():
        model.weight.fill_(2.0)
        model.bias.fill_(0.5)
    X = torch.tensor([[0.0], [1.0], [3.0]])
    torch.testing.assert_close(model(X), torch.tensor([[0.5], [2.5], [6.5]]))


def test_linear_regression_linear_uses_nn_linear():
    model = LinearRegressionLinear()
    assert isinstance(model.linear, nn.Linear)
    assert (model.linear.in_features, model.linear.out_features) == (1, 1)
    X = torch.rand(5, 1)
    torch.testing.assert_close(model(X), X * model.linear.weight[0, 0] + model.linear.bias)


def test_classifier_default_layers():
    model = Classifier(2, 1)
    kinds = [type(layer) for layer in model.layers]
    assert isinstance(model.layers, nn.Sequential)
    assert kinds == [nn.Linear, nn.ReLU, nn.Linear, nn.ReLU, nn.Linear]
    assert [(m.in_features, m.out_features) for m in model.layers if isinstance(m, nn.Linear)] == [
        (2, 10),
        (10, 10),
        (10, 1),
    ]
    assert model(torch.rand(7, 2)).shape == (7, 1)


@pytest.mark.parametrize(
    ("activation", "kind"),
    [("leaky_relu", nn.LeakyReLU), ("tanh", nn.Tanh), ("sigmoid", nn.Sigmoid), (nn.GELU, nn.GELU)],
)
def test_classifier_activations(activation, kind):
    model = Classifier(3, 4, hidden=(5,), activation=activation)
    assert [type(layer) for layer in model.layers] == [nn.Linear, kind, nn.Linear]
    assert model(torch.rand(2, 3)).shape == (2, 4)


def test_classifier_without_activation_or_hidden_layers():
    assert [type(m) for m in Classifier(2, 3, activation=None).layers] == [nn.Linear] * 3
    assert [type(m) for m in Classifier(2, 3, hidden=()).layers] == [nn.Linear]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"activation": "swish"}, ValueError, "activation must be one of 'relu'.*got 'swish'"),
        ({"activation": nn.ReLU()}, TypeError, "nn.Module class such as nn.ReLU, got ReLU()"),
        ({"in_features": 0}, ValueError, "in_features must be a positive int, got 0"),
        ({"out_features": 2.0}, TypeError, "out_features must be an int, got float"),
        ({"hidden": 10}, TypeError, r"hidden must be a sequence .* hidden=\(10,\)"),
        ({"hidden": (10, 0)}, ValueError, r"hidden\[1\] must be a positive int, got 0"),
    ],
)
def test_classifier_bad_arguments(kwargs, error, message):
    args = {"in_features": 2, "out_features": 1, **kwargs}
    with pytest.raises(error, match=message):
        Classifier(**args)
