"""The linear regression chapter: each takeaway's claim holds, and the notebook hits its targets."""

from __future__ import annotations

import re

import pytest
import torch

from tests.snippet_runs import ROOT, run

# one worker runs this file's snippets once (pytest -n 2 --dist loadgroup)
pytestmark = pytest.mark.xdist_group("test_chapter_linear_regression")

CHAPTER = "snippets/linear_regression"
PAGE = ROOT / "docs" / "linear-regression.md"


@pytest.fixture(scope="module")
def workflow():
    return run(f"{CHAPTER}/workflow.py")


@pytest.fixture(scope="module")
def l1_vs_mse():
    return run(f"{CHAPTER}/l1_vs_mse.py")


@pytest.fixture(scope="module")
def sgd():
    return run(f"{CHAPTER}/sgd_batches.py")


@pytest.fixture(scope="module")
def six_steps():
    return run(f"{CHAPTER}/six_steps.py")


@pytest.fixture(scope="module")
def eval_inference():
    return run(f"{CHAPTER}/eval_and_inference.py")


@pytest.fixture(scope="module")
def saving():
    return run(f"{CHAPTER}/save_state_dict.py")


@pytest.fixture(scope="module")
def best_weights():
    return run(f"{CHAPTER}/best_weights.py")


@pytest.fixture(scope="module")
def shapes():
    return run(f"{CHAPTER}/shapes.py")


@pytest.fixture(scope="module")
def faster():
    return run(f"{CHAPTER}/faster_config.py")


@pytest.fixture(scope="module")
def timing():
    return run(f"{CHAPTER}/settings_timing.py")


@pytest.fixture(scope="module")
def notebook():
    return run(f"{CHAPTER}/exercises.py")


def _floats(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"[-+]?\d+\.\d+(?:e[-+]?\d+)?", text)]


# -- The workflow, end to end -------------------------------------------------------------------


def test_data_is_100_points_split_80_20(workflow):
    ns = workflow.namespace
    assert ns["X"].shape == (100, 1) and ns["y"].shape == (100, 1)
    assert torch.equal(ns["X"], torch.arange(0, 1, 0.01).unsqueeze(1))
    assert torch.allclose(ns["y"], 0.3 * ns["X"] + 0.9)
    assert len(ns["X_train"]) == 80 and len(ns["X_test"]) == 20
    assert torch.equal(ns["X_test"][0], ns["X"][80])  # no shuffle: the test points are the last 20


def test_the_seeded_model_starts_at_the_reference_values(workflow):
    out = workflow.section("model").output
    assert "('weight', tensor([0.3367]))" in out and "('bias', tensor([0.1288]))" in out


def test_the_exercise_loop_reproduces_the_original_run(workflow):
    out = workflow.section("train_and_test").output
    lines = [line for line in out.splitlines() if line.startswith("epoch")]
    assert len(lines) == 15  # every 20 epochs of 300
    assert "epoch   0 | train 0.757 | test 0.725" in out
    assert "epoch 280 | train 0.004 | test 0.006" in out
    model = workflow.namespace["model"]
    assert model.weight.item() == pytest.approx(0.3067, abs=1e-4)
    assert model.bias.item() == pytest.approx(0.9011, abs=1e-4)


def test_the_workflow_draws_data_predictions_and_loss_curves(workflow):
    names = ["split", "before_training", "after_training", "loss_curves"]
    assert all(len(workflow.section(name).figures) == 1 for name in names)
    assert len(workflow.namespace["train_losses"]) == 300


def test_nn_linear_model_predicts_like_the_parameter_model(workflow):
    ns = workflow.namespace
    assert "linear_layer.weight" in ns["model_v2"].state_dict()
    assert ns["same"] is True


# -- Takeaway 1: L1 is mean absolute error -------------------------------------------------------


def test_l1_and_mse_losses_equal_the_formulas(l1_vs_mse):
    ns = l1_vs_mse.namespace
    assert torch.equal(ns["l1"], ns["mae"])
    assert torch.equal(ns["mse"], ns["by_hand"])
    assert l1_vs_mse.section("mae").output.count("identical: True") == 2


def test_both_losses_were_trained_and_plotted(l1_vs_mse):
    runs = l1_vs_mse.namespace["runs"]
    assert set(runs) == {"L1 loss", "MSE loss"}
    l1_mae, mse_mae = runs["L1 loss"][2][-1].item(), runs["MSE loss"][2][-1].item()
    assert l1_mae < 0.01 < mse_mae  # at lr=0.01, MSE is still on its way
    assert len(l1_vs_mse.section("train_both").figures) == 1


def test_outliers_pull_mse_but_not_l1(l1_vs_mse):
    ns = l1_vs_mse.namespace
    assert abs(ns["l1_model"].weight.item() - 0.3) < 0.01
    assert abs(ns["l1_model"].bias.item() - 0.9) < 0.01
    assert abs(ns["mse_model"].weight.item() - 0.3) > 0.1
    assert ns["mse_model"].bias.item() > 1.0


# -- Takeaway 2: what SGD does here ------------------------------------------------------------


def test_the_exercise_step_is_plain_gradient_descent_on_all_points(sgd):
    out = sgd.section("one_step").output
    assert "points that went into this step: 80 of 80" in out
    assert "weight.grad -0.3950, by hand -0.3950" in out
    assert "step == weight - lr * grad: True" in out


def test_full_batch_training_draws_no_random_numbers(sgd):
    ns = sgd.namespace
    assert torch.equal(ns["a"], ns["b"])


def test_mini_batches_take_five_steps_per_epoch(sgd):
    full, mini = sgd.namespace["curves"].values()
    assert full[1] == 1 and mini[1] == 5
    assert len(full[0]) == 300 and len(mini[0]) == 60
    assert len(sgd.section("mini_batch").figures) == 1
    # per epoch the mini-batches are far ahead: after 40 epochs
    assert mini[0][39] < full[0][39] / 5


# -- Takeaway 3: six steps, and zero_grad --------------------------------------------------------


def test_six_step_loop_reaches_the_reference(six_steps):
    out = six_steps.section("six_steps").output
    assert "weight 0.3067, bias 0.9011" in out


def test_gradients_accumulate_without_zero_grad(six_steps):
    out = six_steps.section("accumulate").output
    grads = [_floats(line) for line in out.splitlines()]
    assert [g[0] for g in grads] == [-0.395, -0.79, -1.185]
    assert [g[1] for g in grads] == [-1.0, -2.0, -3.0]


def test_training_without_zero_grad_goes_wrong(six_steps):
    last = six_steps.section("without_zero_grad").output.splitlines()[-1]
    epoch, w, b, _, bad_w, bad_b, _ = (float(x) for x in last.split())
    assert (epoch, w, b) == (300, 0.3067, 0.9011)
    assert abs(bad_w - 0.3) > 0.3 and abs(bad_b - 0.9) > 0.2


# -- Takeaway 4: eval() and inference_mode() -----------------------------------------------------


def test_dropout_differs_in_train_mode_and_not_in_eval_mode(eval_inference):
    out = eval_inference.section("eval_mode").output
    assert out.count("same: False") == 1 and out.count("same: True") == 1
    assert "3.0498" in out and "1.5249" in out  # survivors scaled by 1 / (1 - p)


def test_eval_keeps_tracking_and_inference_mode_stops_it(eval_inference):
    out = eval_inference.section("inference_mode").output
    assert "requires_grad=True, grad_fn=AddmmBackward0" in out
    assert "requires_grad=False, grad_fn=None" in out
    kind, message = eval_inference.section("forgot_inference_mode").error
    assert kind == "RuntimeError" and "Can't call numpy() on Tensor that requires grad" in message


def test_the_timing_table_is_measured_quickly_and_marked_as_varying(eval_inference):
    timing = eval_inference.section("timing")
    assert timing.varies
    assert timing.seconds < 3.0
    rows = [line for line in timing.output.splitlines() if line.startswith("eval()")]
    assert len(rows) == 3
    assert all(_floats(row)[0] > 0 for row in rows)


# -- Takeaway 5: save the state_dict -------------------------------------------------------------


def test_state_dict_reloads_to_identical_predictions(saving):
    ns = saving.namespace
    assert torch.equal(ns["y_pred"], ns["loaded_pred"])
    assert "identical predictions: True" in saving.section("save_and_load").output


def test_whole_model_files_name_code_and_do_not_load_by_default(saving):
    out = saving.section("whats_inside").output
    assert "linear_regression.pt   needs this code: []" in out
    assert "['ptx.models.LinearRegression']" in out
    kind, message = saving.section("whole_model_load").error
    assert kind == "UnpicklingError" and "Weights only load failed" in message


def test_unpickling_runs_code_and_ptx_names_a_mismatch(saving):
    assert "I ran inside torch.load()" in saving.section("pickle_runs_code").output
    kind, message = saving.section("wrong_model").error
    assert kind == "CheckpointMismatchError"
    assert "missing keys" in message and "linear.weight" in message


# -- Takeaway 6: keep the best weights with a real copy ------------------------------------------


def test_uncopied_state_dict_follows_training(best_weights):
    out = best_weights.section("the_bug").output
    assert "best epoch 55: test loss 0.0134" in out
    assert "kept weights:  0.5261, 0.8031" in out and "final weights: 0.5261, 0.8031" in out
    assert "test loss of the kept weights: 0.1054" in out
    assert "shares the model's memory: True" in out


def test_deepcopy_keeps_the_best_weights(best_weights):
    out = best_weights.section("the_fix").output
    assert "test loss of the kept weights: 0.0134" in out
    assert "shares the model's memory: False" in out
    kind, message = best_weights.section("stat_dict").error
    assert kind == "AttributeError" and "stat_dict" in message


# -- Where I got stuck: shapes -------------------------------------------------------------------


def test_shape_mistakes_raise_or_warn(shapes):
    kind, message = shapes.section("features_without_unsqueeze").error
    assert kind == "RuntimeError" and "(1x100 and 1x1)" in message
    out = shapes.section("targets_without_unsqueeze").output
    assert "y_pred - y_train: (80, 80)" in out
    assert "UserWarning: Using a target size (torch.Size([80]))" in out
    assert "(80,) targets:   0.0800" in out and "(80, 1) targets: 0.0000" in out
    kind, message = shapes.section("plot_columns").error
    assert kind == "TypeError" and "0-dimensional" in message
    kind, message = shapes.section("see_it_coming").error
    assert kind == "ValueError" and "fix: y_train = y_train.unsqueeze(1)" in message


def test_unsqueezed_targets_train_right_and_flat_ones_train_a_flat_line(shapes):
    ns = shapes.namespace
    wrong, right = ns["wrong_model"], ns["right_model"]
    assert abs(wrong.weight.item()) < 0.05
    assert wrong.bias.item() == pytest.approx(ns["y_train_flat"].mean().item(), abs=0.01)
    assert abs(right.weight.item() - 0.3) < 0.01 and abs(right.bias.item() - 0.9) < 0.01
    assert "UserWarning" in shapes.section("trains_wrong").output


# -- The faster configuration --------------------------------------------------------------------


def test_settling_epochs_of_each_configuration(faster):
    ns = faster.namespace
    settled = {key: ns["settled_at"](path) for key, path in ns["paths"].items()}
    assert settled[("L1", 0.01)] == 228  # the exercise's settings do end within 0.01
    assert settled[("L1", 0.1)] is None
    assert settled[("MSE", 0.7)] == 52 and settled[("MSE", 0.7)] <= 60
    assert settled[("MSE", 0.9)] is None  # past the edge: diverges
    assert ns["paths"][("L1", 0.01)][-1].tolist() == pytest.approx([0.3067, 0.9011], abs=1e-4)


def test_chapter_settings_reach_the_target_in_a_fraction_of_the_time(timing):
    ns = timing.namespace
    for model in ns["models"].values():
        assert abs(model.weight.item() - 0.3) < 0.01 and abs(model.bias.item() - 0.9) < 0.01
    assert timing.section("timing").varies
    # the target is a fifth; the build measures about 15 %, a loaded machine blurs it
    assert ns["chapter"] < ns["original"] * 0.3


# -- The exercise notebook -----------------------------------------------------------------------


def test_notebook_meets_the_targets(notebook):
    ns = notebook.namespace
    assert abs(ns["learned_weight"] - 0.3) < 0.01
    assert abs(ns["learned_bias"] - 0.9) < 0.01
    assert ns["epochs"] == 60 and ns["lr"] == 0.7


def test_notebook_starts_from_the_reference_values(notebook):
    outputs = "".join(section.output for section in notebook.sections)
    assert "('weight', tensor([0.3367])), ('bias', tensor([0.1288]))" in outputs


def test_notebook_prints_the_test_loss_every_20_epochs(notebook):
    logged = [epoch for epoch, _, _ in notebook.namespace["log"]]
    assert logged == [0, 20, 40, 59]
    outputs = "".join(section.output for section in notebook.sections)
    for epoch in (0, 20, 40):
        assert re.search(rf"epoch +{epoch} \| train loss [\d.]+ \| test loss [\d.]+", outputs)


def test_notebook_plots_and_reloads_to_identical_predictions(notebook):
    ns = notebook.namespace
    assert torch.equal(ns["y_pred"], ns["loaded_pred"])
    assert sum(len(section.figures) for section in notebook.sections) == 2


def test_notebook_also_runs_the_exercise_settings(notebook):
    ns = notebook.namespace
    assert ns["l1_weight"] == pytest.approx(0.3067, abs=1e-4)
    assert ns["l1_bias"] == pytest.approx(0.9011, abs=1e-4)
    outputs = "".join(section.output for section in notebook.sections)
    assert "epoch   0 | train loss 0.757 | test loss 0.725" in outputs


# -- The page ------------------------------------------------------------------------------------


def test_page_has_every_takeaway_and_stuck_point_and_links_the_notebook():
    page = PAGE.read_text()
    headings = [
        "### `nn.L1Loss` is mean absolute error",
        "### What SGD really does here",
        "### The training loop in six steps",
        "### `model.eval()` and `torch.inference_mode()` do different things",
        "### Save the `state_dict`, not the whole model",
        "### Keep the best weights with a real copy",
        "## Where I got stuck: squeeze and unsqueeze, again",
        "## Exercises",
    ]
    for heading in headings:
        assert heading in page
    assert "(exercises/linear-regression.ipynb)" in page
    assert page.count('!!! tip "Key takeaway"') == 6
