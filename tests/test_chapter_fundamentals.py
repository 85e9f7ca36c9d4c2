"""The Fundamentals chapter: each takeaway's claim holds, and the notebook hits the reference numbers."""

from __future__ import annotations

import pytest
import torch

from tests.snippet_runs import run

# one worker runs this file's snippets once (pytest -n 2 --dist loadgroup)
pytestmark = pytest.mark.xdist_group("test_chapter_fundamentals")

DEVICE = "snippets/fundamentals/device_early.py"
PLOT = "snippets/fundamentals/plot_needs_cpu.py"
MATMUL = "snippets/fundamentals/matmul_spellings.py"
SQUEEZE = "snippets/fundamentals/squeeze_unsqueeze.py"
NOTEBOOK = "snippets/fundamentals/exercises.py"


@pytest.fixture(scope="module")
def device_run():
    return run(DEVICE)


@pytest.fixture(scope="module")
def plot_run():
    return run(PLOT)


@pytest.fixture(scope="module")
def matmul_run():
    return run(MATMUL)


@pytest.fixture(scope="module")
def squeeze_run():
    return run(SQUEEZE)


@pytest.fixture(scope="module")
def notebook():
    return run(NOTEBOOK).namespace


# -- Device-agnostic code, set early ------------------------------------------------------------


def test_ptx_and_plain_pytorch_pick_the_same_device(device_run):
    ns = device_run.namespace
    assert ns["device"] == ns["plain_device"]
    assert "same choice: True" in device_run.section("pick_device").output


def test_tensors_and_model_are_created_on_the_chosen_device(device_run):
    out = device_run.section("on_device").output
    device = device_run.namespace["device"]
    expected = str(torch.empty(0, device=device).device)  # "cpu", "cuda:0" or "mps:0"
    assert f"X on {expected}, y_pred on {expected}" in out
    assert f"model on {expected}" in out


def test_a_late_device_is_a_real_device_mismatch(device_run):
    kind, message = device_run.section("chosen_late").error
    assert kind == "RuntimeError"
    assert "meta" in message and "cpu" in message
    kind, message = device_run.section("check_device").error
    assert kind == "ValueError"
    assert "model is on meta, X is on cpu" in message


# -- Matplotlib needs CPU numbers ---------------------------------------------------------------


def test_cpu_alone_does_not_help_a_tensor_that_requires_grad(plot_run):
    assert plot_run.section("cpu_not_enough").error == (
        "RuntimeError",
        "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.",
    )
    assert (
        "ax.plot raised RuntimeError: Can't call numpy()"
        in plot_run.section("matplotlib_too").output
    )


def test_a_tensor_off_the_cpu_cannot_become_numpy(plot_run):
    kind, message = plot_run.section("other_device").error
    assert kind == "TypeError"
    assert message.startswith("can't convert meta device type tensor to numpy. Use Tensor.cpu()")


def test_detach_cpu_numpy_and_to_numpy_agree_and_draw(plot_run):
    ns = plot_run.namespace
    assert (ns["y_pred_np"] == ns["same"]).all()
    assert ns["y_pred_np"].shape == (50, 1)
    assert "under inference_mode: requires_grad=False" in plot_run.section("fix").output
    assert len(plot_run.section("fix").figures) == 1


# -- Three spellings of matrix multiplication ---------------------------------------------------


def test_the_three_spellings_are_exactly_equal(matmul_run):
    ns = matmul_run.namespace
    assert torch.equal(ns["by_method"], ns["by_mm"])
    assert torch.equal(ns["by_method"], ns["by_operator"])
    assert ns["by_operator"].shape == (3, 3)


def test_star_is_element_wise(matmul_run):
    square = matmul_run.namespace["square"]
    assert torch.equal(square * square, torch.tensor([[1.0, 4.0], [9.0, 16.0]]))
    assert torch.equal(square @ square, torch.tensor([[7.0, 10.0], [15.0, 22.0]]))


def test_mismatched_inner_sizes_and_mm_on_a_batch_fail(matmul_run):
    assert matmul_run.section("shape_rule").error == (
        "RuntimeError",
        "mat1 and mat2 shapes cannot be multiplied (7x7 and 1x7)",
    )
    assert matmul_run.section("batches").error == ("RuntimeError", "self must be a matrix")
    ns = matmul_run.namespace
    assert ns["batched"].shape == (5, 3, 2)
    assert torch.allclose(ns["batched"], ns["one_by_one"])


# -- Where I got stuck: squeeze and unsqueeze ---------------------------------------------------


def test_squeeze_and_unsqueeze_shapes(squeeze_run):
    out = squeeze_run.section("what_they_do").output
    for line in [
        "x.squeeze()      (10,)",
        "x.squeeze(0)     (1, 1, 10)",
        "v.unsqueeze(0)   (1, 3)",
        "v.unsqueeze(1)   (3, 1)",
        "y_pred.squeeze()  ()",
        "ones(3, 2).squeeze(1) (3, 2)",
    ]:
        assert line in out
    assert len(squeeze_run.section("shape_figure").figures) == 1


def test_a_flat_feature_vector_is_read_as_one_sample(squeeze_run):
    assert squeeze_run.section("feature_column").error == (
        "RuntimeError",
        "mat1 and mat2 shapes cannot be multiplied (1x5 and 1x1)",
    )


def test_l1loss_broadcasts_warns_and_computes_the_wrong_loss(squeeze_run):
    ns = squeeze_run.namespace
    right, wrong = ns["right"].item(), ns["wrong"].item()
    assert right == pytest.approx(0.006, abs=1e-4)  # mean |0.01 x - 0.01| over x = 0 .. 0.79
    assert wrong > 10 * right
    assert wrong == pytest.approx(ns["errors"].mean().item())
    assert right == pytest.approx(ns["errors"].diagonal().mean().item())
    out = squeeze_run.section("broadcast_trap").output
    assert "UserWarning: Using a target size (torch.Size([80]))" in out
    assert "y_pred - y_flat: (80, 80)" in out
    assert len(squeeze_run.section("broadcast_figure").figures) == 1


def test_training_against_flat_targets_learns_a_flat_line_at_the_median(squeeze_run):
    ns = squeeze_run.namespace
    assert ns["weight_right"] == pytest.approx(0.3, abs=0.03)
    assert ns["bias_right"] == pytest.approx(0.9, abs=0.06)
    assert abs(ns["weight_wrong"]) < 0.02
    assert ns["bias_wrong"] == pytest.approx(ns["y"].median().item(), abs=0.01)


def test_ptx_turns_the_silent_broadcast_into_an_error(squeeze_run):
    kind, message = squeeze_run.section("ptx_check").error
    assert kind == "ValueError"
    assert "y_pred has shape (80, 1) but y_flat has shape (80,)" in message
    assert "y_flat.unsqueeze(1)" in message


# -- The exercise notebook: the reference numbers on the CPU ------------------------------------


def test_exercise_3_seed_0_product(notebook):
    expected = torch.tensor([1.8542, 1.9611, 2.2884, 3.0481, 1.7067, 2.5290, 1.7989])
    result = notebook["result_seed_0"]
    assert result.shape == (7, 1)
    torch.testing.assert_close(result.squeeze(1), expected, atol=1e-4, rtol=0)


def test_exercise_5_and_6_seed_1234(notebook):
    result = notebook["result"].cpu()
    assert result.shape == (2, 2)
    torch.testing.assert_close(
        result, torch.tensor([[0.3647, 0.4709], [0.5184, 0.5617]]), atol=1e-4, rtol=0
    )
    assert result.max().item() == pytest.approx(0.5617, abs=1e-4)
    assert result.min().item() == pytest.approx(0.3647, abs=1e-4)
    assert result.argmax().item() == 3
    assert result.argmin().item() == 0


def test_exercise_7_seed_7_squeeze(notebook):
    assert notebook["tensor_4d"].shape == (1, 1, 1, 10)
    assert notebook["tensor_squeezed"].shape == (10,)
    assert torch.equal(notebook["tensor_squeezed"], notebook["tensor_4d"].flatten())


def test_the_notebook_does_not_hard_code_a_gpu_or_seed_cuda_separately():
    from tests.snippet_runs import ROOT

    code = [line for line in (ROOT / NOTEBOOK).read_text().splitlines() if not line.startswith("#")]
    assert not [line for line in code if "cuda:0" in line or "torch.cuda.manual_seed" in line]
