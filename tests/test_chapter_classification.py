"""The classification chapters: each claim the pages make holds in the run, and the notebooks hit
their targets. No wall-clock asserts: timing sections are only checked to be marked as varying."""

from __future__ import annotations

import ast
import math
import re

import pytest
import torch
import yaml
from markdown.extensions.toc import slugify

from tests.support.snippet_runs import ROOT, run

D = "snippets/classification/"
SNIPPETS = sorted((ROOT / D).glob("*.py"))
PAGES = {
    name: (ROOT / "docs/classification" / f"{name}.md").read_text()
    for name in ("binary", "multiclass")
}
DEEPER = (ROOT / "docs/deeper/classification.md").read_text()


def fixture_for(fixture_name, snippet):
    """A module-scoped fixture named `fixture_name`: the run of snippets/classification/<snippet>."""

    @pytest.fixture(scope="module", name=fixture_name)
    def result():
        return run(D + snippet)

    return result


moons_fixture = fixture_for("moons", "moons_workflow.py")
validation_fixture = fixture_for("validation", "validation.py")
optimism_fixture = fixture_for("optimism", "test_set_optimism.py")
binary_metrics_fixture = fixture_for("binary_metrics", "binary_metrics.py")
nonlinearity_fixture = fixture_for("nonlinearity", "nonlinearity.py")
relu_leaky_fixture = fixture_for("relu_leaky", "relu_leaky.py")
zero_centred_fixture = fixture_for("zero_centred", "zero_centred.py")
sequential_fixture = fixture_for("sequential", "sequential_models.py")
activations_fixture = fixture_for("activations", "activations.py")
bce_fixture = fixture_for("bce", "bce_with_logits.py")
shapes_fixture = fixture_for("shapes", "shape_mistakes.py")
spirals_fixture = fixture_for("spirals", "spirals_workflow.py")
spirals_fit_fixture = fixture_for("spirals_fit", "spirals_fit.py")
metrics_fixture = fixture_for("metrics", "accuracy_metrics.py")
traps_fixture = fixture_for("traps", "accuracy_traps.py")
mistakes_fixture = fixture_for("mistakes", "binary_mistakes.py")
improving_fixture = fixture_for("improving", "improving.py")
straight_line_fixture = fixture_for("straight_line", "straight_line.py")
threshold_fixture = fixture_for("threshold", "threshold.py")
targets_fixture = fixture_for("targets", "target_mistakes.py")
multi_label_fixture = fixture_for("multi_label", "multi_label.py")
optimizers_fixture = fixture_for("optimizers", "optimizers.py")
device_mismatch_fixture = fixture_for("device_mismatch", "device_mismatch.py")
binary_notebook_fixture = fixture_for("binary_notebook", "exercises_binary.py")
multiclass_notebook_fixture = fixture_for("multiclass_notebook", "exercises_multiclass.py")


# -- Rules every classification snippet and page follows -----------------------------------------


def _units(path):
    """The named sections of a snippet, or the cells of a notebook, as lists of lines."""
    units, current = [], None
    for line in path.read_text().splitlines():
        if re.match(r"# --8<-- \[start:|# %%", line):
            current = []
            units.append(current)
        elif current is not None:
            current.append(line)
    return units


@pytest.mark.parametrize("path", SNIPPETS, ids=lambda p: p.name)
def test_every_evaluation_switches_to_eval_mode_and_every_training_loop_to_train_mode(path):
    """Before each `torch.inference_mode()` the nearest mode switch is `.eval()`; before each
    `optimizer.step()` it is `.train()` (a fresh model is in training mode, but the pages always
    say it)."""
    for unit in _units(path):
        for i, line in enumerate(unit):
            wanted = {"inference_mode()": ".eval()", "optimizer.step()": ".train()"}
            for marker, mode in wanted.items():
                if marker not in line:
                    continue
                before = [text for text in unit[:i] if ".eval()" in text or ".train()" in text]
                assert before and mode in before[-1], f"{path.name}: {line.strip()} without {mode}"


def _fit_calls(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "fit":
            yield node


@pytest.mark.parametrize("path", SNIPPETS, ids=lambda p: p.name)
def test_no_model_is_chosen_on_the_test_set(path):
    """`ptx.fit` keeps the best weights on the data it gets as validation data: never X_test.
    Loops that keep a best epoch compare validation losses, never test losses."""
    for call in _fit_calls(path):
        assert len(call.args) >= 5
        assert ast.unparse(call.args[3]) not in ("X_test", "X_test_b"), ast.unparse(call)
    source = path.read_text()
    for match in re.finditer(r"if (\w+) < best", source):
        assert "test" not in match.group(1), f"{path.name}: best chosen on {match.group(1)}"


def test_the_pages_have_no_inline_python_blocks_and_no_cuda_markers():
    for text in (*PAGES.values(), DEEPER):
        assert "```python" not in text
        assert "pytest.mark" not in text and "pytest-codeblocks" not in text


def test_gpu_only_code_is_in_a_needs_cuda_snippet_that_fails_the_way_the_page_says():
    source = (ROOT / D / "device_mismatch_cuda.py").read_text()
    assert source.startswith("# needs: cuda\n")
    assert "model(X_train)  # raises RuntimeError" in source
    assert "device_mismatch_cuda.py:course_helper_on_gpu" in PAGES["multiclass"]


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_on_a_gpu_the_course_helper_leaves_the_model_on_the_cpu():
    result = run(D + "device_mismatch_cuda.py")
    kind, message = result.section("course_helper_on_gpu").error
    assert kind == "RuntimeError" and "cuda" in message and "cpu" in message
    assert "model on cuda:0" in result.section("ptx_plot_on_gpu").output


# -- Binary page: the workflow ---------------------------------------------------------------------


def test_numpy_data_is_float64_and_the_layer_refuses_it(moons):
    assert "ndarray of float64, shape (1000, 2)" in moons.section("make_data").output
    kind, message = moons.section("float64_error").error
    assert kind == "RuntimeError" and "same dtype" in message and "Double" in message
    assert (
        "X torch.float32 (1000, 2), y torch.float32 (1000, 1)" in moons.section("to_tensors").output
    )
    assert "train 800, test 200; share of class 1 in train 0.500" in moons.section("split").output
    assert len(moons.section("split").figures) == 1


def test_the_untrained_model_is_no_better_than_chance_and_logit_above_0_is_round_of_sigmoid(moons):
    untrained = moons.section("untrained")
    assert untrained.values["untrained_acc"] < 0.55
    assert "logit > 0 gives the same labels: True" in untrained.output
    probabilities = re.search(r"probabilities: tensor\(\[(.*)\]\)", untrained.output).group(1)
    assert all(abs(float(p) - 0.5) < 0.05 for p in probabilities.split(","))  # logits near 0


def test_the_plain_loop_reproduces_the_original_run(moons):
    values = moons.section("train_loop").values
    # the original run: epoch 460. The first evaluation above 96% counts 193 of 200 samples
    # right, and where a sample crosses can move by an evaluation with the CPU's rounding
    assert abs(values["first_96"] - 460) <= 20
    assert values["final_test_acc"] == pytest.approx(0.99, abs=0.01)  # the original run: 0.99
    lines = [
        line for line in moons.section("train_loop").output.splitlines() if line.startswith("epoch")
    ]
    assert len(lines) == 6 and all("train loss" in line and "test loss" in line for line in lines)


def test_after_training_labels_are_logits_above_zero_and_the_boundary_is_drawn(moons):
    ns = moons.namespace
    assert torch.equal(ns["y_pred"], torch.round(ns["y_probs"]))
    assert len(moons.section("trained").figures) == 1
    assert len(moons.section("boundary").figures) == 1
    assert ns["grid_pred"].shape == (100, 100)


def test_the_ptx_helpers_are_the_code_above_saved(moons, validation):
    import ptx

    X, y = ptx.make_moons(n_samples=1000, noise=0.03, seed=42)
    assert torch.equal(X, moons.namespace["X"]) and torch.equal(y, moons.namespace["y"])
    torch.manual_seed(42)
    model = ptx.Classifier(2, 1, hidden=(10, 10))
    torch.manual_seed(42)
    mine = moons.namespace["MoonModel"]()
    with torch.inference_mode():
        assert torch.equal(model(X), mine(X))
    assert torch.equal(validation.namespace["X_test"], moons.namespace["X_test"])  # same test set


def test_the_best_epoch_is_chosen_on_validation_and_the_test_set_is_used_once(validation):
    values = validation.section("best_on_validation").values
    ns = validation.namespace
    losses = ns["val_losses"]
    assert values["best_epoch"] == ns["evaluated"][losses.index(min(losses))]
    # the page: "the loss was still falling when the run ended" (the best epoch is read from the
    # run; here the loss falls by a clear margin over the last 100 epochs, so it is one of the
    # last evaluations on any machine)
    assert losses[-1] < 0.9 * losses[-11]
    assert values["best_epoch"] >= values["epochs"] - 20
    assert "train 640, validation 160, test 200" in validation.section("three_way_split").output
    sections = (ROOT / D / "validation.py").read_text().split("[start:")
    loop = next(s for s in sections if s.startswith("best_on_validation"))
    assert "X_test" not in loop and "y_test" not in loop
    assert validation.section("test_once").values["test_acc"] == 1.0  # "every metric is 1"


def test_ptx_fit_reproduces_the_plain_loop(validation):
    plain = validation.section("best_on_validation").values
    ns = validation.namespace
    history = ns["history"]
    assert history.best_epoch == plain["best_epoch"]
    assert history.best_val_loss == pytest.approx(plain["best_val_loss"], rel=1e-5)
    test_once = validation.section("test_once").values
    assert ns["fit_test_acc"] == pytest.approx(test_once["test_acc"])
    assert ns["fit_test_loss"] == pytest.approx(test_once["test_loss"], rel=1e-5)


def test_on_noisy_moons_the_validation_loss_turns_up_and_test_picking_is_optimistic(optimism):
    ns = optimism.namespace
    assert ns["best_epoch"] < 200  # the validation loss turns back up long before epoch 400
    assert ns["new_accs"][ns["best"]] > ns["new_accs"][-1]  # the best epoch beats the last
    assert ns["reported_if_picked_on_test"] > ns["true_if_picked_on_test"] + 0.01
    assert ns["reported_if_picked_on_val"] == pytest.approx(ns["true_if_picked_on_val"], abs=0.005)
    assert ns["reported_if_picked_on_test"] >= ns["reported_if_picked_on_val"]  # by construction
    assert len(optimism.section("overfit").figures) == 1


def test_precision_recall_and_f1_follow_from_the_confusion_matrix(binary_metrics):
    ns = binary_metrics.namespace
    out = binary_metrics.section("four_metrics").output
    rows = re.findall(r"^(\w+)\s*\|\s*([\d.]+) \|\s*([\d.]+)$", out, re.MULTILINE)
    assert [name for name, _, _ in rows] == ["accuracy", "precision", "recall", "F1"]
    for _, torchmetrics_value, from_matrix in rows:
        assert float(torchmetrics_value) == pytest.approx(float(from_matrix), abs=1e-4)
    values = binary_metrics.section("four_metrics").values
    tn, fp, fn, tp = values["tn"], values["fp"], values["fn"], values["tp"]
    assert tn + fp + fn + tp == 200 and fp > 0 and fn > 0  # the noisy moons have mistakes
    scores = [float(torchmetrics_value) for _, torchmetrics_value, _ in rows]
    assert max(scores) - min(scores) < 0.05  # the page: "with balanced classes all four are close"
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert float(rows[3][1]) == pytest.approx(
        2 * precision * recall / (precision + recall), abs=1e-4
    )
    assert ns is not None


def test_with_a_rare_class_accuracy_looks_good_and_recall_tells_the_truth(binary_metrics):
    values = binary_metrics.section("rare_class").values
    assert values["always_0_acc"] > 0.9  # never finding the rare class still scores over 90%
    assert values["always_0_acc"] < values["rare_model_acc"] < values["always_0_acc"] + 0.1
    assert values["rare_model_recall"] < values["rare_model_acc"] - 0.1
    assert "test set: 220 samples, 20 of class 1" in binary_metrics.section("rare_class").output


def test_a_lower_threshold_trades_precision_for_recall_on_validation(binary_metrics, threshold):
    """On the Deeper page, the binary page's rare-class model trained again: the same model."""
    rare = binary_metrics.namespace
    ns = threshold.namespace
    with torch.inference_mode():
        assert torch.equal(ns["val_logits"], rare["model"](rare["X_val"]))
    precision, recall = ns["val_precision"], ns["val_recall"]
    assert list(ns["thresholds"]) == sorted(ns["thresholds"], reverse=True)
    assert recall == sorted(recall) and recall[-1] > recall[0]
    assert precision == sorted(precision, reverse=True) and precision[-1] < precision[0]


def test_the_binary_loss_and_accuracy_mistakes_raise_or_mislead(mistakes):
    values = mistakes.section("bce_on_logits").output.splitlines()
    assert values[0].split()[-1] == values[1].split()[-1]  # the same loss, two ways
    assert mistakes.section("bce_on_logits").error == (
        "RuntimeError",
        "all elements of input should be between 0 and 1",
    )
    kind, message = mistakes.section("integer_labels").error
    assert kind == "RuntimeError" and "can't be cast to the desired output type Long" in message
    ns = mistakes.namespace
    assert ns["wrong_acc"] == 0.0 and ns["right_acc"] == 0.75  # silent: never right, or 3 of 4
    assert mistakes.section("accuracy_on_probabilities").error is None


# -- Binary page: improving a model ---------------------------------------------------------------


def test_every_lever_is_a_real_run_and_only_relu_with_the_others_learns_the_circles(improving):
    values = improving.section("levers").values
    val_acc = improving.namespace["val_acc"]
    out = improving.section("levers").output
    changes = improving.namespace["changes"]
    for lever in ("hidden", "activation", "optimizer", "lr", "epochs"):  # each lever is pulled
        assert any(lever in change for change in changes.values()), lever
    assert set(val_acc) == set(changes)
    for name, acc in val_acc.items():  # the printed table is the runs' values
        assert re.search(rf"^{re.escape(name)} .*\| {acc:.3f}$", out, re.MULTILINE), name
    assert values["best_without_relu"] < 0.6  # no lever without an activation beats a coin toss
    assert values["relu_alone"] < 0.6  # ReLU alone, in 100 epochs of SGD, not either
    assert values["relu_all"] >= 0.99  # together they do
    assert val_acc["all four"] < 0.6  # the same settings without ReLU
    assert len(improving.section("missing_piece").figures) == 1
    # the circles' test set is set aside and never used
    source = (ROOT / D / "improving.py").read_text().split("[end:circles]")[1]
    assert "X_test" not in source and "y_test" not in source


def test_the_model_without_activations_fits_a_straight_line(straight_line):
    ns = straight_line.namespace
    assert ns["line_weight"] == pytest.approx(0.3, abs=0.03)
    assert ns["line_bias"] == pytest.approx(0.9, abs=0.03)
    losses = re.findall(r"test loss ([\d.]+)", straight_line.sections[0].output)
    assert float(losses[-1]) < float(losses[0]) / 5  # the loss falls: the model can learn
    layers = list(ns["model_line"])
    assert len(layers) == 3 and all(isinstance(m, torch.nn.Linear) for m in layers)
    assert len(straight_line.sections[0].figures) == 1


# -- Binary page: takeaways -----------------------------------------------------------------------


def test_relu_bends_the_boundary_on_circles_and_a_straight_line_is_enough_for_blobs(nonlinearity):
    scores = nonlinearity.namespace["scores"]
    assert scores["circles", None] < 0.6  # a straight line through two rings: a coin toss
    assert scores["circles", "relu"] >= 0.99
    assert scores["two blobs", None] == 1.0  # no activation needed: every sample right
    assert 0.99 <= scores["two blobs", "relu"] <= scores["two blobs", None]  # ReLU: no better
    assert len(nonlinearity.section("boundaries").figures) == 1


def test_the_comparisons_use_validation_data_and_never_the_test_set(
    nonlinearity, relu_leaky, metrics, moons
):
    """Choosing an activation is a choice: validation samples, three-way split, no test rows."""
    moons_test = moons.namespace["X_test"]
    ns = relu_leaky.namespace
    assert (len(ns["X_train"]), len(ns["X_val"]), len(ns["X_test"])) == (640, 160, 200)
    assert torch.equal(ns["X_test"], moons_test)  # the course's 200 test samples, set aside
    assert not (ns["X_val"][:, None, :] == moons_test[None, :, :]).all(dim=2).any()
    for X_train, X_val, _, _ in nonlinearity.namespace["data"].values():
        assert (len(X_train), len(X_val)) == (640, 160)
    spirals_test = metrics.namespace["X_test"]
    assert (len(metrics.namespace["X_val"]), len(spirals_test)) == (60, 60)
    assert not (metrics.namespace["X_val"][:, None, :] == spirals_test[None]).all(dim=2).any()


def test_three_linear_layers_without_activation_are_one_linear_layer(nonlinearity):
    assert nonlinearity.namespace["same"] is True
    assert nonlinearity.namespace["weight"].shape == (1, 2)


def test_relu_leaves_more_units_switched_off_than_leaky_relu_at_equal_accuracy(relu_leaky):
    results = relu_leaky.namespace["results"]  # (seed, activation) -> (off at start, after, acc)
    seeds = relu_leaky.namespace["seeds"]
    for seed in seeds:
        relu, leaky = results[seed, "relu"], results[seed, "leaky_relu"]
        assert relu[0] == leaky[0] > 0  # same start, some units dead from the first step
        assert relu[1] > relu[0]  # training switches off a few more ReLU units
        assert relu[1] > leaky[1]  # fewer LeakyReLU units end up negative everywhere
        assert relu[2] >= leaky[2]  # LeakyReLU is no better, seed by seed
    for seed in (1, 2, 3):
        assert results[seed, "relu"][2] == results[seed, "leaky_relu"][2] == 1.0
    assert any(results[s, "leaky_relu"][1] < results[s, "leaky_relu"][0] for s in seeds)
    values = relu_leaky.section("dead_units").values
    assert values["stuck_leaky"] <= values["stuck_relu"] < 0.95  # seed 0: neither got that far


def test_seed_0_is_stuck_with_10_units_whatever_the_activation_and_20_units_get_out(relu_leaky):
    """The correction to "the lost units cost nothing": on seed 0 both activations stop short,
    four times the epochs do not help, twice the units do, with many ReLU units still off."""
    seed_0 = relu_leaky.namespace["seed_0"]  # (hidden, epochs, activation) -> (start, off, acc)
    values = relu_leaky.section("seed_0").values
    for activation in ("relu", "leaky_relu"):
        assert seed_0[(10, 10), 600, activation][2] < 0.95
        assert seed_0[(20, 20), 150, activation][2] >= 0.98
    assert seed_0[(20, 20), 150, "relu"][1] > seed_0[(20, 20), 150, "leaky_relu"][1]
    assert values["longer_best"] < 0.95 <= values["wider_worst"]
    dead_units = relu_leaky.section("dead_units").values
    assert dead_units["other_seeds_worst"] > max(
        dead_units["stuck_relu"], dead_units["stuck_leaky"]
    )
    binary = PAGES["binary"]
    assert "cost nothing" not in binary
    assert "relu_leaky.py:dead_units stuck_relu" in binary  # the takeaway quotes the seed-0 rows


def test_a_switched_off_relu_unit_gets_no_gradient_and_a_leaky_one_does(relu_leaky):
    grads = relu_leaky.namespace["grads_of_off_units"]
    assert len(grads["relu"]) > 0 and torch.all(grads["relu"] == 0)
    assert len(grads["leaky_relu"]) > 0 and torch.all(grads["leaky_relu"] > 0)


def test_shifting_an_activation_moves_its_centre_not_its_slope(zero_centred):
    out = zero_centred.section("shapes").output
    for name, slope in (
        ("sigmoid ", 0.25),
        ("sigmoid - 0.5", 0.25),
        ("tanh + 1", 1.0),
        ("tanh ", 1.0),
    ):
        assert re.search(rf"^{re.escape(name)}.*largest slope {slope:.2f}$", out, re.MULTILINE)
    assert len(zero_centred.section("shapes").figures) == 1


def test_zero_centring_made_no_difference_on_the_moons_and_the_slope_did(zero_centred):
    results = zero_centred.namespace["results"]  # name -> (hidden mean, accs: seeds x evals)
    mean = {name: accs.mean(dim=0) for name, (_, accs) in results.items()}
    hidden = {name: float(h) for name, (h, _) in results.items()}
    # which ones are zero-centred
    assert hidden["sigmoid"] > 0.3 and hidden["tanh + 1"] > 0.7 and hidden["relu"] > 0
    assert abs(hidden["sigmoid - 0.5"]) < 0.1 and abs(hidden["tanh"]) < 0.15
    # centring does not matter: both sigmoids stuck near chance, both tanhs learn alike
    assert mean["sigmoid"].max() < 0.6 and mean["sigmoid - 0.5"].max() < 0.6
    assert torch.allclose(mean["tanh"], mean["tanh + 1"], atol=0.03)
    assert mean["tanh"][-1] > 0.85
    # ReLU: slower at epoch 50, level with tanh by epoch 100, not behind at the end
    assert mean["relu"][0] < mean["tanh"][0]
    assert mean["relu"][1] >= mean["tanh"][1] - 0.01
    assert mean["relu"][-1] >= mean["tanh"][-1] - 0.01


def test_three_ways_of_writing_the_model_give_the_same_outputs(sequential):
    out = sequential.section("same_weights").output
    assert "Sequential alone equal: True" in out
    assert "layer by layer equal:   True" in out
    ns = sequential.namespace
    with torch.inference_mode():
        assert torch.equal(ns["model"](ns["X"]), ns["model_seq"](ns["X"]))


def test_hand_written_activations_match_the_builtins(activations):
    out = activations.section("by_hand").output
    for name in ("relu", "sigmoid", "tanh"):
        assert f"{name:<8} matches torch.{name}: True" in out


def test_the_formula_tanh_overflows_and_the_stable_one_does_not(activations):
    ns = activations.namespace
    big = torch.tensor([-100.0, 100.0])
    assert torch.isnan(ns["tanh"](big)).all()
    assert torch.equal(ns["tanh_stable"](big), torch.tensor([-1.0, 1.0]))


def test_the_four_relus_agree_and_the_timings_are_marked_as_varying(activations):
    speed, others = activations.section("speed"), activations.section("speed_others")
    assert speed.varies and others.varies
    assert "all four give the same tensor: True" in speed.output
    ns = activations.namespace
    x = ns["x"]
    for fn in (*ns["relus"].values(), *ns["into_out"].values()):
        assert torch.equal(fn(), torch.relu(x))


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


def test_shape_mistakes_raise_the_real_errors(shapes):
    assert shapes.section("wrong_in_features").error == (
        "RuntimeError",
        "mat1 and mat2 shapes cannot be multiplied (800x2 and 3x10)",
    )
    kind, message = shapes.section("two_outputs").error
    assert kind == "ValueError"
    assert message.startswith("Target size (torch.Size([800, 1])) must be the same as input size")
    assert "torch.Size([800, 1])" in shapes.section("fix_in_features").output
    out = shapes.section("the_rule").output
    assert "binary:     loss" in out and "multiclass: loss" in out


# -- Multiclass page ----------------------------------------------------------------------------


def test_spirals_labels_are_int64_and_the_test_set_is_the_courses(spirals, spirals_fit):
    out = spirals.section("make_data").output
    assert "y torch.int64 (300,), classes [0, 1, 2]" in out
    assert "train 180, validation 60, test 60" in out
    assert torch.equal(spirals.namespace["X_test"], spirals_fit.namespace["X_test"])
    assert len(spirals.section("make_data").figures) == 1


def test_softmax_rows_sum_to_one_and_keep_the_argmax_and_untrained_is_chance(spirals):
    untrained = spirals.section("untrained")
    assert "argmax of the logits is the same: True" in untrained.output
    assert "row sums: tensor([1.0000, 1.0000, 1.0000])" in untrained.output
    assert untrained.values["untrained_acc"] < 0.45  # three classes: chance is 1/3


def test_my_original_settings_land_where_the_original_run_did(spirals):
    values = spirals.section("train_loop").values
    assert values["val_acc_at_1000"] == pytest.approx(0.92, abs=0.03)  # the original: 0.92
    assert 1100 <= values["first_95"] <= 1300  # the original: epoch 1300
    ns = spirals.namespace
    losses = ns["val_losses"]
    assert values["best_epoch"] == ns["evaluated"][losses.index(min(losses))]
    # the page: lowest in the last tenth of the run, "changing only in the fourth decimal"
    # (which evaluation wins among the last few depends on the CPU's rounding: 1980 on one
    # machine, 2000 on another)
    assert values["best_epoch"] >= 1800
    assert abs(losses[-1] - min(losses)) < 1e-3


def test_cross_entropy_takes_int64_or_uint8_indices_and_float_probabilities(targets):
    """The correction: not only int64. uint8 indices and float (N, C) class probabilities, one-hot
    rows included, give the same loss; float indices, int32, (N, 1) columns and int64 one-hot rows
    are refused with the real errors."""
    ns = targets.namespace
    assert ns["loss_int64"] == ns["loss_uint8"]
    assert ns["loss_one_hot"] == pytest.approx(ns["loss_int64"], rel=1e-6)
    assert "soft targets" in targets.section("two_kinds").output
    errors = {name: targets.section(name).error for name in (
        "float_labels", "int32_labels", "column_of_labels", "int64_one_hot", "too_few_outputs"
    )}  # fmt: skip
    assert errors["float_labels"] == (
        "RuntimeError",
        "expected target dtype to be Long or Byte, but got Float",
    )
    assert errors["int32_labels"][1].endswith("but got Int")
    assert "0D or 1D target tensor expected" in errors["column_of_labels"][1]
    assert "class probabilities, got Long" in errors["int64_one_hot"][1]
    assert errors["too_few_outputs"] == ("IndexError", "Target 2 is out of bounds.")
    # a softmax before the loss: no error, and a loss that cannot reach 0
    assert targets.section("softmax_twice").error is None
    assert ns["loss_right"] < 1e-6 < 0.5 < ns["loss_softmax_first"]


def test_the_pages_and_the_error_index_say_what_the_runs_show_about_targets():
    multiclass = PAGES["multiclass"]
    assert "wants them as int64" not in multiclass
    assert "must be integers" not in PAGES["binary"]
    entries = yaml.safe_load((ROOT / "errors.yml").read_text())
    long_or_byte = next(e for e in entries if "expected target dtype" in e["title"])
    assert "uint8" in long_or_byte["cause"] and "(N, C)" in long_or_byte["cause"]
    assert "must be integers" not in long_or_byte["cause"]


def test_multi_label_is_a_sigmoid_per_class_with_a_float_n_by_c_target(multi_label):
    ns = multi_label.namespace
    assert ns["y"].dtype == torch.float32 and ns["y"].shape == (1000, 3)
    per_sample = ns["labels_per_sample"]
    assert {0, 1, 2, 3} <= set(per_sample.int().tolist())  # none, one or several classes
    assert ns["y_probs"].shape == (len(ns["X_val"]), 3)
    assert not torch.allclose(ns["y_probs"].sum(dim=1), torch.ones(len(ns["X_val"])))
    assert ns["per_class_acc_low"] > 0.85  # each class on its own is learned
    assert ns["all_right"] < ns["per_class_acc_low"]  # every label right at once is rarer
    assert isinstance(ns["loss_fn"], torch.nn.BCEWithLogitsLoss)


def test_ptx_fit_reproduces_the_spirals_run_and_the_test_set_passes_95(spirals, spirals_fit):
    plain = spirals.section("train_loop").values
    history = spirals_fit.namespace["history"]
    assert history.best_epoch == plain["best_epoch"]
    assert history.best_val_loss == pytest.approx(plain["best_val_loss"], rel=1e-5)
    assert spirals_fit.section("test_once").values["test_acc"] > 0.95
    assert len(spirals_fit.section("test_once").figures) == 1


def test_torchmetrics_and_sklearn_agree_and_torchmetrics_gives_a_fraction(metrics):
    ns = metrics.namespace
    assert math.isclose(ns["acc_torchmetrics"].item(), ns["acc_sklearn"], abs_tol=1e-7)
    assert 0 < ns["acc_sklearn"] < 1  # an imperfect model: the agreement means something


def test_the_confusion_matrix_gives_precision_and_recall_and_shows_class_2_taken_for_0(metrics):
    ns = metrics.namespace
    confmat, y_val, y_pred = ns["confmat"], ns["y_val"], ns["y_pred"]
    assert confmat.shape == (3, 3) and int(confmat.sum()) == len(y_val)
    assert int(confmat.trace()) == int((y_pred == y_val).sum())  # the diagonal: right answers
    assert confmat.sum(dim=1).tolist() == torch.bincount(y_val, minlength=3).tolist()  # rows: true
    right = confmat.diagonal().float()
    assert torch.allclose(ns["precision"], right / confmat.sum(dim=0))
    assert torch.allclose(ns["recall"], right / confmat.sum(dim=1))
    # the page: class 2 has the lowest recall, and its misses went mostly to class 0
    assert int(ns["recall"].argmin()) == 2
    off_diagonal = confmat - torch.diag(confmat.diagonal())
    assert divmod(int(off_diagonal.argmax()), 3) == (2, 0)
    assert ns["precision"][0] < ns["precision"][1]  # class 0's column collects those misses


def test_the_traps_run_on_the_same_predictions_as_the_page(metrics, traps):
    assert torch.equal(traps.namespace["y_pred"], metrics.namespace["y_pred"])
    assert traps.namespace["acc_sklearn"] == metrics.namespace["acc_sklearn"]
    ns = traps.namespace
    assert ns["accuracy_fn"](ns["y_val"], ns["y_pred"]) == pytest.approx(100 * ns["acc_sklearn"])


def test_num_classes_4_on_three_classes_adds_a_phantom_class(traps):
    ns = traps.namespace
    per_class = ns["per_class"]
    assert per_class.shape == (4,) and per_class[3] == 0
    out = traps.section("num_classes_trap").output
    micro = re.search(r"average=micro: num_classes=3 -> ([\d.]+), num_classes=4 -> ([\d.]+)", out)
    assert micro.group(1) == micro.group(2)  # the overall accuracy survives
    assert per_class.mean() < ns["acc_sklearn"] - 0.1  # a mean over "the classes" does not
    kind, message = traps.section("ptx_refuses").error
    assert kind == "ValueError" and "num_classes=4" in message
    assert traps.section("trap_with_logits").error[0] == "ValueError"


def test_adam_at_a_higher_learning_rate_reaches_95_percent_and_the_originals_do_not(optimizers):
    curves = optimizers.namespace["curves"]  # (name, lr) -> (losses, validation accuracies)
    assert curves["Adam", 0.03][1].max() >= 0.95
    assert curves["Adam", 0.001][1].max() < 0.95  # the original Adam setting, in 250 epochs
    assert curves["SGD", 0.1][1].max() < 0.95  # the original SGD setting
    assert curves["SGD", 1.0][1].max() < 0.95  # better, not well enough
    assert curves["SGD", 1.0][1][-1] > curves["SGD", 0.1][1][-1]
    assert curves["Adam", 0.01][1][-1] > curves["Adam", 0.001][1][-1]  # on its way
    jumps = (curves["SGD", 1.0][0].diff() > 0).sum()  # the loss goes up between evaluations
    assert jumps > (curves["Adam", 0.03][0].diff() > 0).sum()


def test_device_mismatches_are_real_forward_pass_errors_and_no_meta_only_error_is_shown(
    device_mismatch,
):
    for name in ("model_rebuilt", "data_recreated"):
        kind, message = device_mismatch.section(name).error
        assert kind == "RuntimeError" and "meta" in message and "cpu" in message
    for section in device_mismatch.sections:
        assert section.error is None or "Cannot copy out of meta" not in section.error[1]
        assert section.error is None or section.error[0] != "NotImplementedError"
    kind, message = device_mismatch.section("fix").error
    assert kind == "ValueError" and "X_val is on meta" in message


def test_the_course_helper_leaves_eval_mode_and_ptx_plot_leaves_the_model_as_it_was(
    device_mismatch,
):
    assert "training mode False" in device_mismatch.section("course_helper").output
    out = device_mismatch.section("ptx_plot").output
    assert "on cpu, training mode True" in out
    assert "parameters unchanged: True" in out
    assert len(device_mismatch.section("ptx_plot").figures) == 1


# -- The main path and the Deeper page -------------------------------------------------------------


def _takeaways(page: str) -> list[str]:
    """The Key takeaways section of a page, one text per ### takeaway."""
    text = PAGES[page].split("## Key takeaways", 1)[1].split("\n## ", 1)[0]
    return text.split("\n### ")[1:]


@pytest.mark.parametrize("page", ["binary", "multiclass"])
def test_each_takeaway_quotes_my_notes_answers_them_and_links_its_experiment(page):
    """The main path keeps the note and a paragraph; the experiment is one click away, on the
    Deeper page, under a heading that exists there and links back."""
    deeper_anchors = {
        slugify(re.sub(r"[`*]", "", heading), "-")
        for heading in re.findall(r"^### (.+)$", DEEPER, re.MULTILINE)
    }
    for takeaway in _takeaways(page):
        title = takeaway.splitlines()[0]
        assert "My notes" in takeaway, title
        assert '!!! tip "Key takeaway"' in takeaway, title
        links = re.findall(r"\(\.\./deeper/classification\.md#([\w-]+)\)", takeaway)
        assert links, f"{title}: no link to its experiment"
        for anchor in links:
            assert anchor in deeper_anchors, (
                f"{title}: #{anchor} is not a heading of the Deeper page"
            )
            assert f"classification/{page}.md#" in DEEPER  # and the Deeper page links back
        assert "```py" not in takeaway or page == "multiclass", title  # binary: no experiment code


def test_the_experiments_left_the_chapters():
    """Each experiment's snippet is included by the Deeper page, not by a chapter."""
    moved = (
        "test_set_optimism.py", "threshold.py", "nonlinearity.py", "relu_leaky.py",
        "zero_centred.py", "sequential_models.py", "activations.py", "bce_with_logits.py",
        "optimizers.py", "accuracy_traps.py",
    )  # fmt: skip
    for name in moved:
        assert f"snippets/classification/{name}" in DEEPER, name
        for text in PAGES.values():
            assert f"snippets/classification/{name}" not in text, name


def test_the_gpu_only_blocks_claim_no_observed_result_and_the_meta_wording_is_named():
    text = PAGES["multiclass"]
    box = text.split('??? example "The same helper on a real GPU (not yet run)"', 1)[1]
    box = box.split("\nThat matches my notes", 1)[0]
    assert "will" in box and "have not been run" in box
    assert "succeeds without a word" not in box
    assert "the `meta` device's\nwording" in text or "the `meta` device's wording" in text
    assert "errors.md#runtimeerror-expected-all-tensors-to-be-on-the-same-device" in text


# -- The exercise notebooks ------------------------------------------------------------------------


def _solution_cells(path):
    text = (ROOT / D / path).read_text()
    return text.count('# %% tags=["solution"]'), text.count("# %%\n")


def test_every_solution_cell_is_tagged():
    # untagged: the imports, each exercise's check (and the course's data code)
    assert _solution_cells("exercises_binary.py") == (8, 7)
    assert _solution_cells("exercises_multiclass.py") == (7, 7)


def test_binary_exercise_4_prints_every_10_epochs_and_passes_96_percent(binary_notebook):
    output = next(s.output for s in binary_notebook.sections if "epoch  10 |" in s.output)
    lines = [line for line in output.splitlines() if line.startswith("epoch")]
    assert len(lines) == 60  # 600 epochs, every 10
    assert all(
        re.search(r"train loss [\d.]+, acc [\d.]+ \| test loss [\d.]+, acc", line) for line in lines
    )
    ns = binary_notebook.namespace
    assert abs(ns["first_96"] - 460) <= 20  # the original run: 460
    assert ns["final_test_acc"] > 0.96  # the course's target


def test_binary_notebook_looks_at_untrained_outputs_and_tanh(binary_notebook):
    output = next(s.output for s in binary_notebook.sections if "probabilities:" in s.output)
    assert "logits:" in output and "labels:" in output
    ns = binary_notebook.namespace
    x = ns["x"]
    assert torch.allclose(ns["tanh"](x), torch.tanh(x), atol=1e-6)


def test_binary_improvements_choose_on_validation_and_measure_the_test_set_once(binary_notebook):
    ns = binary_notebook.namespace
    assert ns["first_96_adam"] < ns["first_96_sgd"] / 5
    assert ns["improved_test_acc"] > 0.96
    assert len(ns["X_val"]) == 160 and len(ns["X_test"]) == 200
    assert (ROOT / D / "exercises_binary.py").read_text().count("ptx.evaluate(") == 1


def test_multiclass_notebook_runs_my_model_and_settings_and_passes_95_percent(multiclass_notebook):
    ns = multiclass_notebook.namespace
    widths = [m.out_features for m in ns["SpiralModel"]().layers if isinstance(m, torch.nn.Linear)]
    assert widths == [10, 10, 10, 3] and ns["epochs"] == 2000
    assert ns["test_acc_at_1000"] == pytest.approx(0.92, abs=0.03)  # the original: 0.92
    assert ns["first_95"] <= 1300  # the original: epoch 1300
    # among the lines printed every 100 epochs, near the original's 1300 (which of two
    # printed lines comes first above 95% can move with the CPU's rounding)
    assert 1200 <= ns["first_95_printed"] <= 1400
    assert ns["first_95_printed"] - 100 < ns["first_95"] <= ns["first_95_printed"]
    assert ns["final_test_acc"] > 0.95  # the course's target


def test_multiclass_improvements_choose_the_learning_rate_on_validation(multiclass_notebook):
    ns = multiclass_notebook.namespace
    runs = ns["runs"]
    assert ns["best_lr"] == min(runs, key=lambda lr: runs[lr][1].best_val_loss) == 0.03
    assert ns["improved_test_acc"] > 0.95
    assert (ROOT / D / "exercises_multiclass.py").read_text().count("ptx.evaluate(") == 1


def test_the_page_and_the_notebook_agree_on_when_adam_at_0_03_first_reaches_95(
    optimizers, multiclass_notebook
):
    """The same model, seed, split and accuracy (right answers counted, then divided): the plain
    loop on the page and ptx.fit in the notebook reach 95% validation accuracy at the same epoch."""
    history = multiclass_notebook.namespace["runs"][0.03][1]
    reached = [e for e, a in zip(history.epochs, history.val_metric, strict=True) if a >= 0.95]
    assert reached[0] == optimizers.namespace["adam_003_first_95"]
