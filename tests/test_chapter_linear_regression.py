"""The linear regression chapter and its Deeper page: each claim the pages make holds in the run
that they show."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest
import torch
from torch import nn

import ptx
from benchmarks.main_path import main_path_count
from tests.support.snippet_runs import ROOT, run


class Cell(NamedTuple):
    kind: str  # "code" or "markdown"
    header: str  # the `# %%` line, with its tags
    source: str


CHAPTER = "snippets/linear_regression"
PAGE = ROOT / "docs" / "linear-regression.md"
DEEPER = ROOT / "docs" / "deeper" / "linear-regression.md"
SNIPPETS = sorted((ROOT / CHAPTER).glob("*.py"))
NOTEBOOK = ROOT / CHAPTER / "exercises.py"


@pytest.fixture(scope="module")
def workflow():
    return run(f"{CHAPTER}/workflow.py")


@pytest.fixture(scope="module")
def l1_vs_mse():
    return run(f"{CHAPTER}/l1_vs_mse.py")


@pytest.fixture(scope="module")
def sgd():
    return run(f"{CHAPTER}/sgd_full_batch.py")


@pytest.fixture(scope="module")
def mistakes():
    return run(f"{CHAPTER}/loop_mistakes.py")


@pytest.fixture(scope="module")
def batches():
    return run(f"{CHAPTER}/batches.py")


@pytest.fixture(scope="module")
def eval_inference():
    return run(f"{CHAPTER}/eval_and_inference.py")


@pytest.fixture(scope="module")
def saving():
    return run(f"{CHAPTER}/save_state_dict.py")


@pytest.fixture(scope="module")
def whole_model():
    return run(f"{CHAPTER}/whole_model.py")


@pytest.fixture(scope="module")
def best_weights():
    return run(f"{CHAPTER}/best_weights.py")


@pytest.fixture(scope="module")
def shapes():
    return run(f"{CHAPTER}/shapes.py")


@pytest.fixture(scope="module")
def conditioning():
    return run(f"{CHAPTER}/conditioning.py")


@pytest.fixture(scope="module")
def timing():
    return run(f"{CHAPTER}/settings_timing.py")


@pytest.fixture(scope="module")
def notebook():
    return run(f"{CHAPTER}/exercises.py")


class Part(NamedTuple):
    name: str
    code: str
    varies: bool


def split_sections(path: Path) -> list[Part]:
    """The named sections of a snippet, in file order (as AUTHORING.md defines them)."""
    parts, name, lines = [], None, []
    for line in path.read_text().splitlines():
        if start := re.match(r"^# --8<-- \[start:([\w-]+)\]$", line):
            name, lines = start[1], []
        elif re.match(r"^# --8<-- \[end:([\w-]+)\]$", line):
            varies = any(re.match(r"^\s*#\s*varies\b", x) for x in lines)
            parts.append(Part(name, "\n".join(lines) + "\n", varies))
            name = None
        elif name is not None:
            lines.append(line)
    return parts


def read_cells(path: Path) -> list[Cell]:
    """The cells of a jupytext percent-format script: kind, header line and source."""
    cells: list[Cell] = []
    for line in path.read_text().splitlines():
        if line.startswith("# %%"):
            kind = "markdown" if "[markdown]" in line else "code"
            cells.append(Cell(kind, line, ""))
        elif cells:
            text = re.sub(r"^# ?", "", line) if cells[-1].kind == "markdown" else line
            cells[-1] = cells[-1]._replace(source=cells[-1].source + text + "\n")
    return [c._replace(source=c.source.strip("\n")) for c in cells]


def _floats(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"[-+]?\d+\.\d+(?:e[-+]?\d+)?", text)]


def _line_data():
    X = torch.arange(0, 1, 0.01).unsqueeze(1)
    return X, 0.3 * X + 0.9


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
    assert "tensor([0.3367], requires_grad=True)" in out  # a Parameter requires grad
    assert "tensor([0.1288], requires_grad=True)" in out
    out = workflow.section("state_dict").output
    assert "('weight', tensor([0.3367]))" in out and "('bias', tensor([0.1288]))" in out
    assert "['weight', 'bias']" in out  # named_parameters: the same names
    values = workflow.section("model").values
    assert round(values["start_weight"], 4) == 0.3367 and round(values["start_bias"], 4) == 0.1288


def test_l1_and_mse_losses_equal_the_formulas(workflow):
    ns = workflow.namespace
    assert isinstance(ns["loss_fn"], nn.L1Loss)
    out = workflow.section("loss").output
    assert out.count("identical: True") == 2
    values = workflow.section("loss").values
    assert round(values["loss"], 4) == 0.7567  # the original's first training loss, 0.757


def test_one_optimizer_step_is_weight_minus_lr_times_grad(workflow):
    out = workflow.section("optimizer").output
    assert "weight 0.3367, weight.grad -0.3950" in out
    assert "bias   0.1288, bias.grad   -1.0000" in out
    assert "step == weight - lr * weight.grad: True" in out
    after = re.search(r"after one step: weight (\S+), bias (\S+)", out).groups()
    expected = [
        0.3367 + 0.01 * 0.3950,
        0.1288 + 0.01,
    ]  # weight - lr * grad, from the printed values
    assert [float(x) for x in after] == pytest.approx(expected, abs=1e-4)


def test_the_exercise_loop_reproduces_the_original_run(workflow):
    out = workflow.section("train_and_test").output
    lines = [line for line in out.splitlines() if line.startswith("epoch")]
    assert len(lines) == 15  # every 20 epochs of 300
    assert "epoch   0 | train 0.757 | test 0.725" in out
    assert "epoch 280 | train 0.004 | test 0.006" in out
    values = workflow.section("train_and_test").values
    assert round(values["w"], 4) == 0.3067 and round(values["b"], 4) == 0.9011


def test_the_workflow_draws_data_predictions_and_loss_curves(workflow):
    names = ["split", "before_training", "after_training", "loss_curves"]
    assert all(len(workflow.section(name).figures) == 1 for name in names)
    assert len(workflow.namespace["train_losses"]) == 300


def test_the_l1_test_loss_dips_then_climbs(workflow):
    ns = workflow.namespace
    test_losses = torch.stack(ns["test_losses"])
    dip = ns["dip_epoch"]
    assert 40 < dip < 70
    assert test_losses[dip] < test_losses[dip + 25] / 5  # it climbs back after the dip
    assert torch.stack(ns["train_losses"])[dip + 25] < torch.stack(ns["train_losses"])[dip]


def test_nn_linear_model_predicts_like_the_parameter_model(workflow):
    ns = workflow.namespace
    assert "linear_layer.weight" in ns["model_v2"].state_dict()
    assert ns["same"] is True


# -- Deeper, takeaway 1: L1 or MSE; what squaring does ---------------------------------------------


def test_squaring_shrinks_errors_below_one_and_grows_those_above(l1_vs_mse):
    rows = [_floats(line) for line in l1_vs_mse.section("squares").output.splitlines()[:5]]
    for error, squared in rows:
        assert (squared < error) == (error < 1) and (squared > error) == (error > 1)


def test_mse_depends_on_the_units_of_y(l1_vs_mse):
    values = l1_vs_mse.section("squares").values
    assert values["mse_m"] < 0.25 < values["mse_cm"]  # the same errors: "small" or "big"
    assert values["mse_cm"] == pytest.approx(10_000 * values["mse_m"], rel=1e-5)
    out = l1_vs_mse.section("squares").output
    assert "MAE 0.25 m" in out and "MAE 25 cm" in out
    for line in out.splitlines()[5:]:
        found = re.search(r"MAE ([\d.]+) .*MSE ([\d.]+) .*RMSE ([\d.]+)", line).groups()
        mae, mse, rmse = (float(x) for x in found)
        assert rmse == pytest.approx(mse**0.5, rel=1e-3) and rmse >= mae


def test_at_lr_001_l1_gets_there_and_mse_does_not_measured_against_the_true_line(l1_vs_mse):
    runs = l1_vs_mse.namespace["runs"]
    assert set(runs) == {"L1 loss", "MSE loss"}
    values = l1_vs_mse.section("train_both").values
    for name, gap in [("L1 loss", values["l1_gap"]), ("MSE loss", values["mse_gap"])]:
        trained = runs[name][0]
        farther = max(abs(trained.weight.item() - 0.3), abs(trained.bias.item() - 0.9))
        assert gap == pytest.approx(farther, abs=1e-6)
    assert values["l1_gap"] < 0.01 < 0.1 < values["mse_gap"]
    source = (ROOT / "snippets/linear_regression/l1_vs_mse.py").read_text()
    train_both = source.split("[start:train_both]")[1].split("[end:train_both]")[0]
    assert "X_test" not in train_both and "y_test" not in train_both  # compared without test data
    assert len(l1_vs_mse.section("train_both").figures) == 1


def test_outliers_pull_mse_but_not_l1(l1_vs_mse):
    ns = l1_vs_mse.namespace
    assert abs(ns["l1_model"].weight.item() - 0.3) < 0.01
    assert abs(ns["l1_model"].bias.item() - 0.9) < 0.01
    assert abs(ns["mse_model"].weight.item() - 0.3) > 0.1
    assert ns["mse_model"].bias.item() > 1.0


# -- Deeper, takeaway 2: what SGD does in the exercise loop --------------------------------------


def test_the_exercise_step_is_plain_gradient_descent_on_all_points(sgd):
    out = sgd.section("one_step").output
    assert "points that went into this step: 80 of 80" in out
    assert "weight.grad -0.3950, by hand -0.3950" in out
    assert "step == weight - lr * grad: True" in out


def test_full_batch_training_draws_no_random_numbers(sgd):
    ns = sgd.namespace
    assert torch.equal(ns["a"], ns["b"])


# -- The mistakes of the loop ------------------------------------------------------------------


def test_gradients_accumulate_without_zero_grad(mistakes):
    out = mistakes.section("gradients_pile_up").output
    grads = [_floats(line) for line in out.splitlines()]
    assert [g[0] for g in grads] == [-0.395, -0.79, -1.185]
    assert [g[1] for g in grads] == [-1.0, -2.0, -3.0]


def test_training_without_zero_grad_goes_wrong(mistakes):
    last = mistakes.section("without_zero_grad").output.splitlines()[-1]
    epoch, w, b, _, bad_w, bad_b, _ = (float(x) for x in last.split())
    assert (epoch, w, b) == (300, 0.3067, 0.9011)  # with zero_grad: the six-step loop's result
    values = mistakes.section("without_zero_grad").values
    assert values["highest_bias"] > 1.5  # "shoots past 0.9"
    assert (round(values["end_weight"], 4), round(values["end_bias"], 4)) == (bad_w, bad_b)
    assert abs(bad_w - 0.3) > 0.3 and abs(bad_b - 0.9) > 0.2
    assert mistakes.section("without_zero_grad").error is None  # no error, no warning
    assert "Warning" not in mistakes.section("without_zero_grad").output


def test_a_step_before_backward_never_moves_the_model(mistakes):
    section = mistakes.section("step_before_backward")
    start, end = mistakes.namespace["start"], mistakes.namespace["end"]
    assert start == end and round(start[0], 4) == 0.3367  # 300 epochs, not one change
    assert "weight.grad after the loop: -0.3950" in section.output  # backward() did run
    assert section.error is None and "Warning" not in section.output


def test_the_forward_pass_outside_the_loop_fails_on_the_second_backward(mistakes):
    kind, message = mistakes.section("forward_outside_the_loop").error
    assert kind == "RuntimeError"
    assert "Trying to backward through the graph a second time" in message


def test_test_predictions_against_training_targets_warn_then_fail(mistakes):
    section = mistakes.section("wrong_targets")
    assert "UserWarning: Using a target size (torch.Size([80, 1]))" in section.output
    kind, message = section.error
    assert kind == "RuntimeError"
    assert "size of tensor a (20) must match the size of tensor b (80)" in message


# -- Data in batches -------------------------------------------------------------------------------


def test_tensor_dataset_and_the_written_out_dataset_hand_out_the_same_samples(batches):
    ns = batches.namespace
    assert len(ns["train_data"]) == 80 and len(ns["test_data"]) == 20
    row_3 = "features tensor([0.0300]), target tensor([0.9090])"  # row 3 of X_train, y_train
    assert f"train_data[3]: {row_3}" in batches.section("tensor_dataset").output
    out = batches.section("custom_dataset").output
    assert "len(line_data): 80" in out and f"line_data[3]: {row_3}" in out


def test_the_train_loader_shuffles_and_the_test_loader_keeps_the_order(batches):
    lines = batches.section("data_loader").output.splitlines()
    assert lines[0] == "batches: 5 in train_loader, 2 in test_loader"
    train = [line for line in lines if line.startswith("train batch")]
    test = [line for line in lines if line.startswith("test batch")]
    assert len(train) == 5 and all("X (16, 1), y (16, 1)" in line for line in train)
    firsts = [_floats(line)[0] for line in train]
    assert firsts != sorted(firsts) or _floats(train[0])[:4] != [0.0, 0.01, 0.02, 0.03]
    assert "X (16, 1), y (16, 1), X begins 0.80, 0.81, 0.82, 0.83" in test[0]
    assert "X (4, 1), y (4, 1), X begins 0.96, 0.97, 0.98, 0.99" in test[1]


def test_the_batch_loop_takes_five_steps_an_epoch_and_weighs_the_test_batches(batches):
    ns = batches.namespace
    assert ns["epochs"] == 60 and len(ns["train_loader"]) == 5  # 300 steps, like the full batch
    assert ns["test_loss"].item() == pytest.approx(ns["one_batch_loss"].item(), abs=1e-6)
    values = batches.section("batch_loop").values
    assert abs(values["w"] - 0.3) < 0.02 and abs(values["b"] - 0.9) < 0.01


def test_mini_batches_take_five_steps_per_epoch(batches):
    ns = batches.namespace
    full, mini = ns["full"], ns["mini"]
    assert len(full) == 300 and len(mini) == 60  # 300 optimizer steps each
    assert len(batches.section("full_or_mini").figures) == 1
    assert not batches.section("full_or_mini_code").figures  # the figure is on the main path
    values = batches.section("full_or_mini").values
    assert values["full_at_60"] == full[59] and values["mini_at_60"] == mini[59]
    assert mini[59] < full[59] / 5  # per epoch the mini-batches are far ahead
    assert (
        "batches of 80: 300 steps, weight 0.3067, bias 0.9011"
        in batches.section("full_or_mini").output
    )  # the full batch through a DataLoader is the exercise's loop


def test_the_full_or_mini_scaffolding_is_folded_and_the_main_path_only_calls_it():
    folded = [section for file, section, in_box in _includes(PAGE.read_text()) if in_box]
    assert "full_or_mini_code" in folded and "full_or_mini" not in folded
    code = split_sections(ROOT / CHAPTER / "batches.py")
    main = next(part.code for part in code if part.name == "full_or_mini")
    assert len(main.strip().splitlines()) <= 6
    assert "Generator" not in main and "subplots" not in main


def test_batch_mistakes_raise(batches):
    kind, message = batches.section("flat_batches").error
    assert kind == "RuntimeError" and "(1x16 and 1x1)" in message
    assert "X_batch (16,), y_batch (16,)" in batches.section("flat_batches").output
    kind, message = batches.section("mixed_up_tensors").error
    assert kind == "AssertionError" and "Size mismatch between tensors" in message


# -- Putting it all together: on a device, chosen on validation, tested once ---------------------


@pytest.fixture(scope="module")
def together():
    return run(f"{CHAPTER}/putting_it_together.py")


def test_the_final_run_picks_the_device_and_moves_data_and_model_there(together):
    ns = together.namespace
    device = ns["device"]
    assert device == ptx.get_device()  # Fundamentals' choice: cpu on this build
    for name in ("X_train", "y_train", "X_val", "y_val", "X_test", "y_test"):
        assert ns[name].device == device, name
    assert all(p.device == device for p in ns["model"].parameters())
    assert f"data on {device}, model on {device}" in together.section("setup").output
    setup = split_sections(ROOT / CHAPTER / "putting_it_together.py")[0].code
    assert setup.count(".to(device)") == 7  # six tensors and the model, moved once


def test_the_final_run_splits_off_a_validation_set_between_training_and_test(together):
    ns = together.namespace
    X, _ = _line_data()
    assert (len(ns["X_train"]), len(ns["X_val"]), len(ns["X_test"])) == (64, 16, 20)
    assert torch.equal(ns["X_test"].cpu(), X[80:])  # the chapter's test set, unchanged
    assert ns["X_train"].max() < ns["X_val"].min() and ns["X_val"].max() < ns["X_test"].min()


def test_the_final_run_keeps_the_epoch_with_the_lowest_validation_loss(together):
    ns = together.namespace
    losses = _validation_losses(ns)
    values = together.section("train").values
    assert values["best_epoch"] == int(np.argmin(losses)) + 1
    assert values["best_val_loss"] == pytest.approx(min(losses), abs=1e-6)
    assert 1 < values["best_epoch"] < ns["epochs"] == 300  # a real choice, not the last epoch
    assert values["last_val_loss"] > values["best_val_loss"]  # the kept weights are not the last
    state = ns["model"].state_dict()
    assert all(torch.equal(state[k], ns["best_state"][k]) for k in state)  # loaded back
    assert ns["best_state"]["weight"].data_ptr() != ns["model"].weight.data_ptr()  # a real copy


def test_the_final_run_measures_the_test_set_once_after_choosing(together):
    ns = together.namespace
    train = split_sections(ROOT / CHAPTER / "putting_it_together.py")[1].code
    assert "X_test" not in train and "y_test" not in train  # the choice never sees the test set
    fresh = ptx.LinearRegression()
    fresh.load_state_dict(ns["best_state"])
    with torch.no_grad():
        expected = nn.L1Loss()(fresh(ns["X_test"]), ns["y_test"]).item()
    test_loss = together.section("test_once").values["test_loss"]
    assert test_loss == pytest.approx(expected, abs=1e-7)
    assert len(together.section("test_once").figures) == 1


def test_the_final_run_agrees_with_the_deeper_pages_experiment(together, best_weights):
    # the same split, model and settings: the page's final run and the Deeper page's fix
    mine, theirs = together.section("train").values, best_weights.section("the_fix").values
    assert mine["best_epoch"] == theirs["best_epoch"]
    assert mine["best_val_loss"] == pytest.approx(theirs["best_val_loss"], abs=1e-7)


def test_the_gpu_paragraph_says_what_a_gpu_changes_without_claiming_a_run():
    page = PAGE.read_text()
    section = page.split("### What a GPU changes\n")[1].split("\n## ")[0]
    assert "has not been run on a GPU" in section
    assert "`cuda`" in section and "will" in section
    assert not re.search(r"\b(we|I) ran\b|\bon the GPU it (took|printed)\b", section)


# -- Deeper, takeaway 4: eval() and inference_mode() ----------------------------------------------


def test_dropout_differs_in_train_mode_and_not_in_eval_mode(eval_inference):
    out = eval_inference.section("eval_mode").output
    assert out.count("same: False") == 1 and out.count("same: True") == 1
    train_first, eval_first = _floats(out)[0], _floats(out)[8]
    assert train_first == pytest.approx(2 * eval_first, abs=1e-4)  # survivors scaled by 1/(1-p)


def test_eval_keeps_tracking_and_inference_mode_stops_it(eval_inference):
    out = eval_inference.section("inference_mode").output
    assert "requires_grad=True, grad_fn=AddmmBackward0" in out
    assert "requires_grad=False, grad_fn=None" in out
    kind, message = eval_inference.section("forgot_inference_mode").error
    assert kind == "RuntimeError" and "Can't call numpy() on Tensor that requires grad" in message


def test_the_timing_table_is_marked_as_varying(eval_inference):
    timing = eval_inference.section("timing")
    assert timing.varies
    rows = [line for line in timing.output.splitlines() if line.startswith("eval()")]
    assert len(rows) == 3
    assert all(_floats(row)[0] > 0 for row in rows)


# -- Saving the state_dict, and what goes wrong when loading --------------------------------------


def test_state_dict_reloads_to_identical_predictions(saving):
    ns = saving.namespace
    assert torch.equal(ns["y_pred"], ns["loaded_pred"])
    assert "identical predictions: True" in saving.section("save_and_load").output


def test_loading_into_other_names_other_shapes_or_from_a_path_raises(saving):
    kind, message = saving.section("other_names").error
    assert kind == "RuntimeError"
    assert 'Missing key(s) in state_dict: "linear.weight"' in message
    assert 'Unexpected key(s) in state_dict: "weight"' in message
    kind, message = saving.section("other_shapes").error
    assert kind == "RuntimeError" and "size mismatch for weight" in message
    assert "{'weight': (1, 1), 'bias': (1,)}" in saving.section("other_shapes").output
    kind, message = saving.section("path_not_state_dict").error
    assert kind == "TypeError" and "Expected state_dict to be dict-like" in message


def test_ptx_names_a_mismatch(saving):
    kind, message = saving.section("wrong_model").error
    assert kind == "CheckpointMismatchError"
    assert "missing keys" in message and "linear.weight" in message


def test_whole_model_files_name_code_and_do_not_load_by_default(whole_model):
    out = whole_model.section("whats_inside").output
    assert "linear_regression.pt   needs this code: []" in out
    assert "['ptx.models.LinearRegression']" in out
    kind, message = whole_model.section("whole_model_load").error
    assert kind == "UnpicklingError" and "Weights only load failed" in message


def test_unpickling_runs_code(whole_model):
    assert "I ran inside torch.load()" in whole_model.section("pickle_runs_code").output


# -- Deeper, takeaway 6: best weights, chosen on validation, with a real copy ---------------------


def test_validation_set_sits_between_training_and_the_original_test_set(best_weights):
    ns = best_weights.namespace
    X, _ = _line_data()
    assert (len(ns["X_train"]), len(ns["X_val"]), len(ns["X_test"])) == (64, 16, 20)
    assert torch.equal(ns["X_test"], X[80:])  # the original's last 20 are still the test set
    assert ns["X_train"].max() < ns["X_val"].min() and ns["X_val"].max() < ns["X_test"].min()


def _validation_losses(ns, epochs=300):
    """The validation loss after every epoch of the section's training, recomputed here."""
    torch.manual_seed(42)
    model = ptx.LinearRegression()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    losses = []
    for _ in range(epochs):
        loss = nn.L1Loss()(model(ns["X_train"]), ns["y_train"])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            losses.append(nn.L1Loss()(model(ns["X_val"]), ns["y_val"]).item())
    return losses


def test_the_best_epoch_is_chosen_on_the_validation_loss(best_weights):
    ns = best_weights.namespace
    losses = _validation_losses(ns)
    values = best_weights.section("the_bug").values
    assert values["best_epoch"] == int(np.argmin(losses)) + 1
    assert values["best_val_loss"] == pytest.approx(min(losses), abs=1e-6)
    assert ns["epochs"] == 300  # the exercise's settings, as in the plain run on the page
    assert 1 < values["best_epoch"] < 300  # a real choice: neither the first nor the last epoch


def test_uncopied_state_dict_follows_training(best_weights):
    out = best_weights.section("the_bug").output
    kept = re.search(r"kept weights: +(\S+), (\S+)", out).groups()
    final = re.search(r"final weights: +(\S+), (\S+)", out).groups()
    assert kept == final
    assert "shares the model's memory: True" in out
    values = best_weights.section("the_bug").values
    assert values["bug_kept_val_loss"] > 2 * values["best_val_loss"]


def test_deepcopy_keeps_the_best_weights(best_weights):
    out = best_weights.section("the_fix").output
    best = best_weights.section("the_bug").values["best_val_loss"]
    assert f"validation loss of the kept weights: {best:.4f}" in out
    assert "shares the model's memory: False" in out
    kept = re.search(r"kept weights: +(\S+), (\S+)", out).groups()
    final = re.search(r"final weights: +(\S+), (\S+)", out).groups()
    assert kept != final


def test_the_test_set_is_measured_once_on_the_chosen_weights(best_weights):
    ns = best_weights.namespace
    fresh = ptx.LinearRegression()
    fresh.load_state_dict(ns["best_state"])
    with torch.no_grad():
        expected = nn.L1Loss()(fresh(ns["X_test"]), ns["y_test"]).item()
    test_loss = best_weights.section("test_once").values["test_loss"]
    assert test_loss == pytest.approx(expected, abs=1e-7)
    the_bug = ROOT / CHAPTER / "best_weights.py"
    loop = split_sections(the_bug)[1].code  # the training loop keeps away from the test set
    assert "X_test" not in loop and "y_test" not in loop


def test_choosing_on_validation_costs_nothing_here_and_the_test_set_picks_the_same_epoch(
    best_weights, workflow
):
    test_loss = best_weights.section("test_once").values["test_loss"]
    plain = workflow.section("train_and_test").values["test_loss"]  # the plain 300-epoch run
    assert test_loss < float(plain)  # with 16 fewer training points, still no worse
    values = best_weights.section("chosen_on_test").values
    assert values["peeked_epoch"] == values["best_epoch"]  # the same epoch on this clean line
    assert float(values["peeked_loss"]) == pytest.approx(test_loss, abs=1e-7)
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


def test_ptx_train_step_refuses_flat_targets_with_the_fix(shapes):
    kind, message = shapes.section("see_it_coming").error
    assert kind == "ValueError"
    assert "(80, 1)" in message and "(80,)" in message and "unsqueeze(1)" in message


def test_unsqueezed_targets_train_right_and_flat_ones_train_a_flat_line(shapes):
    ns = shapes.namespace
    values = shapes.section("trains_wrong").values
    mean = values["target_mean"]
    # after 100 epochs on its way, not there: "has not arrived", with the height already right
    assert 0.001 < values["flat_weight"] < 0.05 and values["flat_bias"] < mean - 0.001
    assert values["height_at_middle"] == pytest.approx(mean, abs=5e-4)
    # after 300 epochs: the flat line at the mean
    assert abs(values["longer_weight"]) < 5e-5
    assert values["longer_bias"] == pytest.approx(mean, abs=5e-5)
    right = ns["right_model"]
    assert abs(right.weight.item() - 0.3) < 0.01 and abs(right.bias.item() - 0.9) < 0.01
    assert "UserWarning" in shapes.section("trains_wrong").output


# -- Deeper: why MSE crawls, the valley ------------------------------------------------------------


def test_the_hessian_is_the_formula_and_its_eigenvalues_set_the_limit(conditioning):
    values = conditioning.section("hessian").values
    X, _ = _line_data()
    x = X[:80, 0].double().numpy()
    H = 2 * np.array([[np.mean(x**2), np.mean(x)], [np.mean(x), 1.0]])  # worked out here too
    lam_min, lam_max = np.linalg.eigvalsh(H)
    assert values["lam_min"] == pytest.approx(lam_min, rel=1e-4)
    assert values["lam_max"] == pytest.approx(lam_max, rel=1e-4)
    assert (round(values["lam_min"], 4), round(values["lam_max"], 4)) == (0.0917, 2.3270)
    assert values["lr_limit"] == pytest.approx(2 / lam_max, rel=1e-4)
    assert 0.85 < values["lr_limit"] < 0.87  # the page's "just below" and "just above"
    assert values["condition"] == pytest.approx(lam_max / lam_min, rel=1e-4)
    assert 25 < values["condition"] < 26
    assert conditioning.section("hessian").output.count(": True") == 2  # formula, and constant


def test_just_below_the_limit_converges_and_just_above_diverges(conditioning):
    ns = conditioning.namespace
    paths, settled_at = ns["paths"], ns["settled_at"]
    assert settled_at(paths[0.85]) is not None
    assert settled_at(paths[0.87]) is None and paths[0.87][-1].abs().max() > 100
    assert settled_at(paths[0.01]) is None  # the crawl
    assert conditioning.section("the_limit").values["settled_07"] == 52
    rows = conditioning.section("the_limit").output.splitlines()[1:]
    for row in rows:
        lr, steep, _ = _floats(row)[:3]
        assert (steep < 1) == (lr < ns["lr_limit"])


def test_the_flat_direction_turns_the_line_inside_the_training_data(conditioning):
    values = conditioning.section("valley").values
    assert 0.3 < values["pivot"] < 0.5
    assert values["flat_part"] > 0.3  # the start's error has a large flat part
    assert values["epochs_flat_001"] > 3000  # at lr=0.01 it needs thousands of epochs
    flat = conditioning.section("the_limit").values["flat_factor_001"]
    assert flat == pytest.approx(1 - 0.01 * conditioning.section("hessian").values["lam_min"])
    assert len(conditioning.section("valley").figures) == 1


def test_at_lr_0_01_both_directions_crawl_and_at_the_cap_the_flat_one_is_still_slow(conditioning):
    hessian = conditioning.section("hessian").values
    values = conditioning.section("the_limit").values
    steep_001 = 1 - 0.01 * hessian["lam_max"]
    assert hessian["lr_limit"] > 50 * 0.01  # lr=0.01 is far below the cap
    assert steep_001 > 0.97 and values["flat_factor_001"] > 0.99  # both crawl: a tiny step
    at_cap = values["flat_factor_at_cap"]
    assert at_cap == pytest.approx(1 - 2 / hessian["condition"])  # set by the valley's shape
    assert 0.9 < at_cap < 0.95  # even at the cap the flat direction shrinks slowly
    assert round(hessian["lr_limit"], 2) == 0.86


def test_the_test_error_dips_then_climbs_because_of_the_weight(conditioning):
    values = conditioning.section("dip_and_climb").values
    ns = conditioning.namespace
    assert 60 <= values["dip_epoch"] <= 100
    assert ns["test_mae_by_epoch"][values["dip_epoch"]] < 0.02
    assert values["final_test_mae"] > 0.1  # climbed back
    assert values["train_mae_final"] < values["final_test_mae"] / 2  # extrapolation magnifies
    w, b = ns["paths"][0.01][-1]
    assert abs(w - 0.3) > 0.2  # the weight is still wrong
    assert (
        abs(w * values["pivot"] + b - (0.3 * values["pivot"] + 0.9)) < 0.01
    )  # the height is right
    assert 0.35 < values["nearest"] < values["farthest"] < 0.6


def test_standardising_makes_mse_fast_at_a_modest_learning_rate(conditioning):
    values = conditioning.section("standardise").values
    ns = conditioning.namespace
    assert ns["lr"] == 0.1
    assert ns["settled_raw"] is None  # raw x at lr=0.1: not there in 300 epochs
    assert values["settled_standardised"] < values["settled_centred"]
    assert values["settled_standardised"] < conditioning.section("the_limit").values["settled_07"]
    assert values["settled_standardised"] <= 30
    assert values["limit_centred"] == pytest.approx(1.0) and values[
        "limit_standardised"
    ] == pytest.approx(1.0)
    rows = {
        line.split()[0]: _floats(line)
        for line in conditioning.section("standardise").output.splitlines()[2:]
    }
    assert rows["standardised"][3] < 1.05  # condition number about 1: a round bowl
    assert rows["centred"][0] == pytest.approx(2 * ns["X_train"].var(correction=0).item(), rel=1e-3)
    assert len(conditioning.section("standardise").figures) == 1


# -- Deeper: the exercise's settings against the improved ones -----------------------------------


def test_epochs_and_work_of_the_two_settings(timing):
    values = timing.section("epochs").values
    assert values["exercise_epochs"] == 228
    assert values["improved_epochs"] == 23
    rows = [line.split() for line in timing.section("epochs").output.splitlines()[1:]]
    assert [row[-2:] for row in rows] == [["300", "228"], ["30", "23"]]
    rows = [line.split() for line in timing.section("work").output.splitlines()[1:]]
    assert [row[-3:] for row in rows] == [["300", "300", "600"], ["30", "3", "6"]]
    assert not timing.section("epochs").varies and not timing.section("work").varies


def test_the_timing_is_marked_as_varying(timing):
    section = timing.section("timing")
    assert section.varies
    assert "of the time" in section.output


# -- The exercise notebook -----------------------------------------------------------------------


def test_notebook_solves_exercise_3_with_the_course_settings(notebook):
    ns = notebook.namespace
    assert isinstance(ns["loss_fn"], nn.L1Loss)
    assert isinstance(ns["optimizer"], torch.optim.SGD)
    assert ns["optimizer"].param_groups[0]["lr"] == 0.01
    assert ns["epochs"] == 300
    outputs = "".join(section.output for section in notebook.sections)
    logged = re.findall(r"epoch +(\d+) \| train loss", outputs)
    assert [int(e) for e in logged[:15]] == list(range(0, 300, 20))
    assert "epoch   0 | train loss 0.757 | test loss 0.725" in outputs
    assert ns["learned_weight"] == pytest.approx(0.3067, abs=5e-5)
    assert ns["learned_bias"] == pytest.approx(0.9011, abs=5e-5)


def test_notebook_starts_from_the_reference_values(notebook):
    outputs = "".join(section.output for section in notebook.sections)
    assert "('weight', tensor([0.3367])), ('bias', tensor([0.1288]))" in outputs


def test_notebook_plots_and_reloads_to_identical_predictions(notebook):
    ns = notebook.namespace
    assert torch.equal(ns["y_preds"], ns["loaded_preds"])
    assert sum(len(section.figures) for section in notebook.sections) == 3


def test_notebook_sets_each_exercise_before_its_tagged_solution():
    cells = read_cells(NOTEBOOK)
    for number in range(1, 6):
        index = next(
            i for i, c in enumerate(cells) if c.source.startswith(f"## Exercise {number}:")
        )
        assert cells[index].kind == "markdown"
        solution = cells[index + 1]
        assert solution.kind == "code" and solution.header == '# %% tags=["solution"]'
    assert NOTEBOOK.read_text().count('# %% tags=["solution"]') == 5  # improvements are not
    exercise_3 = next(c.source for c in cells if c.source.startswith("## Exercise 3:"))
    for setting in ("nn.L1Loss()", "0.01", "300 epochs", "every 20 epochs"):
        assert setting in exercise_3  # set as the course sets it


def test_notebook_improvement_is_labelled_and_meets_the_target(notebook):
    cells = read_cells(NOTEBOOK)
    headings = [c.source.splitlines()[0] for c in cells if c.kind == "markdown"]
    improvement = [h for h in headings if h.startswith("## Beyond the exercise")]
    assert len(improvement) == 1
    assert headings.index(improvement[0]) > headings.index(
        next(h for h in headings if "Exercise 5" in h)
    )
    ns = notebook.namespace
    assert isinstance(ns["std_loss_fn"], nn.MSELoss)
    assert ns["std_optimizer"].param_groups[0]["lr"] == 0.1  # a tenth of the limit, not near it
    assert ns["std_close"] is True and ns["std_epochs"] == 30
    assert ns["x_mean"].item() == pytest.approx(ns["X_train"].mean().item())  # training stats


def _slugs(page: Path) -> set[str]:
    headings = re.findall(r"^#{2,3} (.*)$", page.read_text(), flags=re.M)
    return {re.sub(r"[^\w\s-]", "", h.lower()).strip().replace(" ", "-") for h in headings}


def test_notebook_links_are_relative_to_the_docs_root_and_resolve():
    for cell in read_cells(NOTEBOOK):
        if cell.kind != "markdown":
            continue
        for target in re.findall(r"\]\(([^)]+)\)", cell.source):
            path, _, anchor = target.partition("#")
            assert not path.startswith(("/", "..", "http")), target
            assert (ROOT / "docs" / path).exists(), target
            assert not anchor or anchor in _slugs(ROOT / "docs" / path), target


# -- Reader code shows PyTorch: imports, evaluation, helpers --------------------------------------


def _imported_names(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(alias.asname or alias.name).split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names += [alias.asname or alias.name for alias in node.names]
    return names


def _blocks(path: Path) -> list[str]:
    if path == NOTEBOOK:
        return [c.source for c in read_cells(path) if c.kind == "code"]
    return [section.code for section in split_sections(path)]


@pytest.mark.parametrize("path", SNIPPETS, ids=lambda p: p.name)
def test_no_block_imports_what_it_does_not_use(path):
    for code in _blocks(path):
        tree = ast.parse(code)
        used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
        for name in _imported_names(tree):
            if path == NOTEBOOK and name == "ex":
                continue  # the exercise checks, imported once, used by every check cell
            assert name in used, f"{path.name}: a block imports {name} without using it"


@pytest.mark.parametrize("path", SNIPPETS, ids=lambda p: p.name)
def test_evaluation_switches_to_eval_mode_first(path):
    for code in _blocks(path):
        for match in re.finditer(r"with torch\.inference_mode\(\):", code):
            assert ".eval()" in code[: match.start()], f"{path.name}: {code[:80]!r}"


def test_no_ptx_check_functions_on_the_page_or_in_snippets():
    assert "check_same_shape" not in PAGE.read_text()
    for path in SNIPPETS:
        assert "ptx.check" not in path.read_text(), path.name


# -- The pages -----------------------------------------------------------------------------------

# learnpytorch 01's order, then the batches and the rest: each step is explained before the run
# that uses it, so the headings come in the order a beginner needs them.
MAIN_PATH_HEADINGS = [
    "## The data: a straight line, split in two",
    "## The model: a weight and a bias",
    "### Predictions before training: `model.eval()` and `torch.inference_mode()`",
    "## Training the model",
    "### Measuring the error: `nn.L1Loss`",
    "### Improving the parameters: `torch.optim.SGD`",
    "### The training loop",
    "### The testing loop",
    "### Training and testing for 300 epochs",
    "## Predictions after training",
    "## The same model with `nn.Linear`",
    "## What goes wrong in the loop",
    "## Data in batches: `Dataset` and `DataLoader`",
    "## Saving and loading the `state_dict`",
    "## Putting it all together",
    "### On any device",
    "### A validation set",
    "### Training, keeping the best epoch",
    "### What a GPU changes",
    "## Key takeaways",
    "## Where I got stuck: squeeze and unsqueeze, again",
    "## Exercises",
    "## Summary",
    "## Extra reading",
]

TAKEAWAYS = [
    "### `nn.L1Loss` is mean absolute error",
    "### What SGD really does here",
    "### The training loop in six steps",
    "### `model.eval()` and `torch.inference_mode()` do different things",
    "### Save the `state_dict`, not the whole model",
    "### Keep the best weights with a real copy, chosen on validation data",
]

DEEPER_HEADINGS = [
    "## L1 or MSE",
    "## Why MSE crawls here: a long, narrow valley",
    "### The test error that dips, then climbs",
    "### Centring and standardising `x`",
    "### The exercise's settings against the improved ones",
    "## SGD in the exercise loop",
    "## Eval mode and inference mode",
    "### Is `inference_mode()` faster?",
    "## What is wrong with saving the whole model",
    "## Keeping the best weights",
]


def _lines(page: Path) -> list[str]:
    return page.read_text().splitlines()


def test_the_main_path_teaches_in_the_order_a_beginner_needs():
    lines = _lines(PAGE)
    positions = [lines.index(heading) for heading in MAIN_PATH_HEADINGS]
    assert positions == sorted(positions)
    # the loop runs only after the six steps and the testing loop are explained
    page = PAGE.read_text()
    first_run = page.index('--8<-- "snippets/linear_regression/workflow.py:train_and_test"')
    assert page.index("### The training loop\n") < page.index("### The testing loop") < first_run
    assert page.index("**epoch**") < first_run and page.index("**optimizer**") < first_run


def test_each_takeaway_opens_with_the_note_and_its_answer_and_links_its_experiment():
    page = PAGE.read_text()
    assert page.count('!!! tip "Key takeaway"') == len(TAKEAWAYS) == 6
    sections = page.split("### ")
    for heading in TAKEAWAYS:
        section = next(s for s in sections if ("### " + s).startswith(heading))
        section = section.split("\n## ")[0]
        assert section.index("My notes") < section.index('!!! tip "Key takeaway"'), heading
        links = re.findall(r"\]\(([^)]+)\)", section.split('!!! tip "Key takeaway"')[1])
        assert any(link.startswith(("deeper/linear-regression.md#", "#")) for link in links)


def test_the_deeper_page_holds_every_experiment_and_each_links_back():
    lines = _lines(DEEPER)
    positions = [lines.index(heading) for heading in DEEPER_HEADINGS]
    assert positions == sorted(positions)
    deeper = DEEPER.read_text()
    page = PAGE.read_text()
    for link in set(re.findall(r"\]\(deeper/linear-regression\.md#([\w-]+)\)", page)):
        assert link in _slugs(DEEPER), link
    for link in set(re.findall(r"\]\(\.\./linear-regression\.md#([\w-]+)\)", deeper)):
        assert link in _slugs(PAGE), link
    assert "(exercises/linear-regression.md)" in page


def _includes(page: str) -> list[tuple[str, str, bool]]:
    """(file, section, inside a ??? box) for every include on the page, in page order."""
    found, in_box = [], False
    for line in page.splitlines():
        if line.startswith("??? "):
            in_box = True
        elif line.strip() and not line.startswith("    "):
            in_box = False
        if m := re.search(r'--8<-- "snippets/linear_regression/([\w.]+):([\w-]+)"', line):
            found.append((m[1], m[2], in_box))
    return found


def test_each_file_is_shown_whole_in_file_order_on_one_of_the_two_pages():
    on_page = _includes(PAGE.read_text())
    on_deeper = _includes(DEEPER.read_text())
    for path in SNIPPETS:
        if path == NOTEBOOK:
            continue
        here = [section for file, section, _ in on_page if file == path.name]
        there = [section for file, section, _ in on_deeper if file == path.name]
        assert not (here and there), f"{path.name} is split over the two pages"
        assert (here or there) == [s.name for s in split_sections(path)], path.name


def test_experiments_and_timings_stay_off_the_main_path():
    shown = {file for file, _, _ in _includes(PAGE.read_text())}
    for experiment in [
        "conditioning.py",
        "l1_vs_mse.py",
        "settings_timing.py",
        "eval_and_inference.py",
        "best_weights.py",
        "whole_model.py",
        "sgd_full_batch.py",
    ]:
        assert experiment not in shown, experiment
    for file, section, in_box in _includes(PAGE.read_text()):
        names = [s.name for s in split_sections(ROOT / CHAPTER / file)]
        timing = split_sections(ROOT / CHAPTER / file)[names.index(section)].varies
        assert not timing or in_box, f"{file}:{section} is a timing on the main path"


def test_the_main_path_reads_in_about_twenty_minutes():
    """Counted as the Home page's reading times are (benchmarks/main_path.py): prose outside
    collapsed boxes, code blocks apart."""
    words = main_path_count(ROOT, "linear-regression.md").words
    assert words <= 3500, f"{words} words on the main path"


def test_the_page_ends_with_extra_reading_linked_to_the_exact_pages():
    page = PAGE.read_text()
    extra = page.split("## Extra reading")[1]
    for url in [
        "https://docs.pytorch.org/tutorials/beginner/basics/data_tutorial.html",
        "https://docs.pytorch.org/tutorials/beginner/basics/optimization_tutorial.html",
        "https://docs.pytorch.org/tutorials/beginner/basics/saveloadrun_tutorial.html",
        "https://d2l.ai/chapter_linear-regression/linear-regression.html",
    ]:
        assert f"({url})" in extra, url


def test_numbers_restating_a_run_are_references():
    for page in (PAGE, DEEPER):
        # the chapter's own results, which would drift from the build page if typed
        prose = re.sub(r"\{\{[^}]*\}\}", "", page.read_text())
        for typed in [
            "epoch 52",
            "epoch 55",
            "epoch 23",
            "epoch 228",
            "0.8595",
            "2.3270",
            "0.0917",
            "1.0162",
            "1.0185",
            "0.0055",
            "epoch 237",
            "0.0019",
        ]:
            assert typed not in prose, f"{page.name}: {typed}"
