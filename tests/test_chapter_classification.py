"""The classification chapters: each takeaway's claim holds, and the notebooks hit their targets."""

from __future__ import annotations

import math

import pytest
import torch

from tests.snippet_runs import run

# one worker runs this file's snippets once (pytest -n 2 --dist loadgroup)
pytestmark = pytest.mark.xdist_group("test_chapter_classification")

D = "snippets/classification/"


@pytest.fixture(scope="module")
def nonlinearity():
    return run(D + "nonlinearity.py")


@pytest.fixture(scope="module")
def relu_leaky():
    return run(D + "relu_leaky.py")


@pytest.fixture(scope="module")
def sequential():
    return run(D + "sequential_models.py")


@pytest.fixture(scope="module")
def activations():
    return run(D + "activations.py")


@pytest.fixture(scope="module")
def binary_predictions():
    return run(D + "binary_predictions.py")


@pytest.fixture(scope="module")
def bce():
    return run(D + "bce_with_logits.py")


@pytest.fixture(scope="module")
def shapes():
    return run(D + "shape_mistakes.py")


@pytest.fixture(scope="module")
def multiclass_predictions():
    return run(D + "multiclass_predictions.py")


@pytest.fixture(scope="module")
def metrics():
    return run(D + "accuracy_metrics.py")


@pytest.fixture(scope="module")
def optimizers():
    return run(D + "optimizers.py")


@pytest.fixture(scope="module")
def device_mismatch():
    return run(D + "device_mismatch.py")


@pytest.fixture(scope="module")
def binary_notebook():
    return run(D + "exercises_binary.py").namespace


@pytest.fixture(scope="module")
def multiclass_notebook():
    return run(D + "exercises_multiclass.py").namespace


# -- 1. Non-linearity, in pictures --------------------------------------------------------------


def test_relu_bends_the_boundary_on_circles_and_a_straight_line_is_enough_for_blobs(nonlinearity):
    scores = nonlinearity.namespace["scores"]
    assert scores["circles", None] < 0.6  # a straight line through two rings: a coin toss
    assert scores["circles", "relu"] >= 0.99
    assert scores["two blobs", None] >= 0.99  # no activation needed
    assert scores["two blobs", "relu"] >= 0.99
    assert len(nonlinearity.section("boundaries").figures) == 1


def test_three_linear_layers_without_activation_are_one_linear_layer(nonlinearity):
    assert nonlinearity.namespace["same"] is True
    assert nonlinearity.namespace["weight"].shape == (1, 2)


# -- 2. ReLU and LeakyReLU ----------------------------------------------------------------------


def test_relu_leaves_more_units_switched_off_than_leaky_relu_at_equal_accuracy(relu_leaky):
    results = relu_leaky.namespace["results"]  # (seed, activation) -> (off at start, after, acc)
    seeds = relu_leaky.namespace["seeds"]
    for seed in seeds:
        relu, leaky = results[seed, "relu"], results[seed, "leaky_relu"]
        assert relu[0] == leaky[0] > 0  # same start, some units dead from the first step
        assert relu[1] > relu[0]  # training kills a few more ReLU units
        assert relu[1] > leaky[1]  # fewer LeakyReLU units end up negative everywhere
        assert relu[2] == leaky[2]  # the same test accuracy, seed by seed
    assert any(results[s, "leaky_relu"][1] < results[s, "leaky_relu"][0] for s in seeds)
    assert results[0, "relu"][2] == pytest.approx(0.88)  # both stuck on seed 0


def test_a_switched_off_relu_unit_gets_no_gradient_and_a_leaky_one_does(relu_leaky):
    grads = relu_leaky.namespace["grads_of_off_units"]
    assert len(grads["relu"]) > 0 and torch.all(grads["relu"] == 0)
    assert len(grads["leaky_relu"]) > 0 and torch.all(grads["leaky_relu"] > 0)


# -- 3. nn.Sequential inside nn.Module, or alone --------------------------------------------------


def test_three_ways_of_writing_the_model_give_the_same_outputs(sequential):
    out = sequential.section("same_weights").output
    assert "Sequential alone equal: True" in out
    assert "layer by layer equal:   True" in out
    ns = sequential.namespace
    with torch.inference_mode():
        assert torch.equal(ns["model"](ns["X"]), ns["model_seq"](ns["X"]))


# -- 4. Activations by hand ---------------------------------------------------------------------


def test_hand_written_activations_match_the_builtins(activations):
    out = activations.section("by_hand").output
    for name in ("relu", "sigmoid", "tanh"):
        assert f"{name:<8} matches torch.{name}: True" in out


def test_the_formula_tanh_overflows_and_the_stable_one_does_not(activations):
    ns = activations.namespace
    big = torch.tensor([-100.0, 100.0])
    assert torch.isnan(ns["tanh"](big)).all()
    assert torch.equal(ns["tanh_stable"](big), torch.tensor([-1.0, 1.0]))


def test_the_timing_section_is_marked_as_varying_and_prints_a_table(activations):
    speed = activations.section("speed")
    assert speed.varies
    assert "torch.tanh costs" in speed.output


# -- 5. Binary predictions ----------------------------------------------------------------------


def test_sigmoid_then_round_equals_logits_above_zero(binary_predictions):
    ns = binary_predictions.namespace
    assert torch.equal(ns["y_pred"], ns["y_pred_shortcut"])
    assert ns["history"].test_metric[-1] >= 0.99
    assert set(ns["y_pred"].unique().tolist()) <= {0.0, 1.0}


# -- 6. BCEWithLogitsLoss -----------------------------------------------------------------------


def test_the_two_losses_agree_on_tame_logits(bce):
    out = bce.section("tame").output.splitlines()
    values = {line.rsplit(" ", 1)[1] for line in out}
    assert len(values) == 1  # the same six digits three times


def test_bce_with_logits_is_one_fused_op(bce):
    out = bce.section("graph").output
    assert "BinaryCrossEntropyBackward0 <- SigmoidBackward0" in out
    assert "BCEWithLogitsLoss: BinaryCrossEntropyWithLogitsBackward0" in out


def test_at_extreme_logits_bce_clamps_and_its_gradient_vanishes(bce):
    ns = bce.namespace  # the curves section: logits from -5 to 50, label 0
    z = ns["z"]
    far = z >= 17
    assert torch.all(ns["loss_two"][far] == 100)  # BCELoss clamps log() at -100
    assert torch.all(ns["grad_two"][far] == 0)
    assert torch.allclose(ns["loss_fused"][far], z[far], rtol=1e-5)  # exact: loss = logit
    assert torch.allclose(ns["grad_fused"][far], torch.ones(int(far.sum())))
    tame = z.abs() < 5
    assert torch.allclose(ns["loss_two"][tame], ns["loss_fused"][tame], atol=1e-5)


# -- Where I got stuck: in_features and out_features --------------------------------------------


def test_shape_mistakes_raise_the_real_errors(shapes):
    assert shapes.section("wrong_in_features").error == (
        "RuntimeError",
        "mat1 and mat2 shapes cannot be multiplied (800x2 and 3x10)",
    )
    kind, message = shapes.section("two_outputs").error
    assert kind == "ValueError"
    assert message.startswith("Target size (torch.Size([800, 1])) must be the same as input size")
    kind, message = shapes.section("float_labels").error
    assert kind == "RuntimeError" and "Long" in message
    assert "torch.Size([800, 1])" in shapes.section("fix_in_features").output
    out = shapes.section("the_rule").output
    assert "binary:     loss" in out and "multiclass: loss" in out


# -- 7. Multiclass predictions ------------------------------------------------------------------


def test_argmax_of_logits_equals_argmax_of_softmax(multiclass_predictions):
    ns = multiclass_predictions.namespace
    assert torch.equal(ns["y_logits"].argmax(dim=1), ns["y_pred"])
    assert torch.allclose(ns["y_probs"].sum(dim=1), torch.ones(len(ns["y_probs"])))
    assert ns["history"].test_metric[-1] >= 0.99


# -- 8. Accuracy: TorchMetrics and scikit-learn --------------------------------------------------


def test_torchmetrics_and_sklearn_agree_and_torchmetrics_gives_a_fraction(metrics):
    ns = metrics.namespace
    assert math.isclose(ns["acc_torchmetrics"].item(), ns["acc_sklearn"], abs_tol=1e-7)
    assert 0 < ns["acc_sklearn"] < 1  # an imperfect model: the agreement means something
    assert ns["accuracy_fn"](ns["y_test"], ns["y_pred"]) == pytest.approx(100 * ns["acc_sklearn"])


def test_num_classes_4_on_three_classes_adds_a_phantom_class(metrics):
    ns = metrics.namespace
    per_class = ns["per_class"]
    assert per_class.shape == (4,) and per_class[3] == 0
    out = metrics.section("num_classes_trap").output
    assert "scikit-learn, told about 4 labels: 0.49" in out
    kind, message = metrics.section("ptx_refuses").error
    assert kind == "ValueError" and "num_classes=4" in message
    assert metrics.section("trap_with_logits").error[0] == "ValueError"


# -- 9. SGD against Adam -------------------------------------------------------------------------


def test_adam_at_a_higher_learning_rate_reaches_95_percent_and_the_originals_do_not(optimizers):
    curves = optimizers.namespace["curves"]
    assert curves["Adam", 0.03][1].max() >= 0.95
    assert curves["Adam", 0.001][1].max() < 0.95  # the original Adam setting, in 250 epochs
    assert curves["SGD", 0.1][1].max() < 0.95  # the original SGD setting


# -- Where I got stuck: the device ---------------------------------------------------------------


def test_device_mismatches_are_real_errors(device_mismatch):
    for name in ("model_rebuilt", "data_recreated"):
        kind, message = device_mismatch.section(name).error
        assert kind == "RuntimeError" and "meta" in message and "cpu" in message
    assert device_mismatch.section("course_helper").error[0] == "NotImplementedError"
    kind, message = device_mismatch.section("fix").error
    assert kind == "ValueError" and "stray is on meta" in message


def test_ptx_plot_leaves_the_model_as_it_was_and_the_course_helper_does_not(device_mismatch):
    out = device_mismatch.section("ptx_plot").output
    assert "device: cpu -> cpu" in out
    assert "training mode still on: True" in out
    assert "parameters unchanged: True" in out
    assert len(device_mismatch.section("ptx_plot").figures) == 1
    assert "training mode: False" in device_mismatch.section("course_helper_mode").output


# -- The exercise notebooks ----------------------------------------------------------------------


def test_moons_beats_99_percent_and_passes_96_long_before_epoch_460(binary_notebook):
    ns = binary_notebook
    assert ns["test_accs"][-1] >= 0.99
    assert ns["first_96"] <= 100


def test_hand_written_tanh_matches_torch_tanh(binary_notebook):
    x = binary_notebook["x"]
    assert torch.allclose(binary_notebook["tanh"](x), torch.tanh(x), atol=1e-6)


def test_spirals_beat_97_percent_in_far_fewer_epochs_than_1300(multiclass_notebook):
    ns = multiclass_notebook
    assert ns["spirals_acc"] >= 0.97
    assert ns["first_95"] <= 260  # a fifth of the original run's 1300 epochs


def test_blobs_beat_99_percent(multiclass_notebook):
    assert multiclass_notebook["blobs_acc"] >= 0.99
