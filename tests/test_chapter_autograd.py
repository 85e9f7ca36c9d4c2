"""The Autograd chapter: each claim the page makes holds in the run, the derivative by hand
matches `.grad`, and every mistake shown raises the error a beginner meets."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch

from sitegen.pagescan import scan
from sitegen.sources import read_source
from tests.support.snippet_runs import ROOT, run

CHAPTER = "snippets/autograd"
PAGE = ROOT / "docs" / "autograd.md"


def snippet(name: str):
    """A module-scoped fixture that runs snippets/autograd/<name>.py once."""
    return pytest.fixture(scope="module", name=name)(lambda: run(f"{CHAPTER}/{name}.py"))


basics = snippet("basics")
layer_gradients = snippet("layer_gradients")
accumulate = snippet("accumulate")
no_grad = snippet("no_grad")
detach = snippet("detach")
mistakes = snippet("mistakes")


# -- derivatives, the graph, backward ------------------------------------------------------------


def test_the_measured_slope_matches_the_derivative_by_hand(basics):
    out = basics.section("derivative").output
    assert "measured slope at 3:  9.000000" in out
    assert "derivative 2x + 3 at 3: 9.0" in out


def test_a_tensor_made_with_requires_grad_is_a_leaf_with_no_grad_yet(basics):
    out = basics.section("requires_grad").output
    assert "tensor(3., requires_grad=True)" in out
    assert "requires_grad True, is_leaf True, grad None" in out


def test_a_result_remembers_its_operations(basics):
    out = basics.section("graph").output
    assert "tensor(18., grad_fn=<AddBackward0>)" in out
    assert "y.is_leaf False, y.requires_grad True" in out
    assert "it came from: ['PowBackward0', 'MulBackward0']" in out


def test_backward_fills_grad_with_the_derivative_by_hand(basics):
    assert basics.namespace["by_hand"] == 9.0
    out = basics.section("backward").output
    assert "x.grad: 9.0" in out and "by hand: 9.0, the same: True" in out


def test_a_layers_parameters_are_leaves_and_their_gradients_match_the_formula(layer_gradients):
    out = layer_gradients.section("parameters").output
    assert out.count("requires_grad True, is_leaf True") == 2
    ns = layer_gradients.namespace  # .grad does not survive the trip: compute it again here
    layer, X, y = ns["layer"], ns["X"], ns["y"]
    ((layer(X) - y) ** 2).mean().backward()
    difference = (layer(X) - y).detach()
    torch.testing.assert_close(layer.weight.grad, (2 * difference * X).mean().reshape(1, 1))
    torch.testing.assert_close(layer.bias.grad, (2 * difference).mean().reshape(1))
    printed = layer_gradients.section("backward").output
    assert f"weight.grad {layer.weight.grad.item():.4f}" in printed
    assert "the same: True, True" in layer_gradients.section("by_hand").output
    # the page says both are negative: the parameters are too small for the line y = 2x + 1
    assert layer.weight.grad.item() < 0 and layer.bias.grad.item() < 0


# -- accumulation, turning autograd off, detach ----------------------------------------------------


def test_gradients_add_up_until_zeroed(accumulate):
    out = accumulate.section("accumulate").output
    for call, grad in [(1, 6.0), (2, 12.0), (3, 18.0)]:
        assert f"after backward() number {call}: x.grad = {grad}" in out
    out = accumulate.section("zero_grad").output
    assert "after x.grad.zero_(): 0.0" in out
    assert "two backward() calls: bias.grad = tensor([4.])" in out
    assert "after layer.zero_grad(): bias.grad = None" in out
    assert "one backward() call:  bias.grad = tensor([2.])" in out


def test_no_grad_and_inference_mode_record_nothing(no_grad):
    out = no_grad.section("no_grad").output
    assert "tracked:         requires_grad True" in out
    assert "torch.no_grad(): requires_grad False, grad_fn None" in out
    assert "inference_mode:  requires_grad False, is_inference True" in out
    assert no_grad.section("nothing_to_follow").error == (
        "RuntimeError",
        "element 0 of tensors does not require grad and does not have a grad_fn",
    )


def test_cpu_alone_does_not_help_a_tensor_that_requires_grad(detach):
    assert "y_pred.requires_grad: True" in detach.section("setup").output
    assert detach.section("cpu_not_enough").error == (
        "RuntimeError",
        "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.",
    )
    assert (
        "ax.plot raised RuntimeError: Can't call numpy()" in detach.section("matplotlib_too").output
    )


def test_detach_shares_memory_and_detach_cpu_numpy_draws(detach):
    out = detach.section("detach").output
    assert "requires_grad False, same numbers in memory: True" in out
    ns = detach.namespace
    assert ns["y_pred_np"].shape == (50, 1) and ns["y_pred_np"].dtype == np.float32
    assert len(detach.section("detach").figures) == 1
    assert "under inference_mode: requires_grad=False" in detach.section("inference_mode").output


# -- the errors a beginner meets -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "kind", "start"),
    [
        ("backward_twice", "RuntimeError", "Trying to backward through the graph a second time"),
        ("non_scalar", "RuntimeError", "grad can be implicitly created only for scalar outputs"),
        (
            "in_place_leaf",
            "RuntimeError",
            "a leaf Variable that requires grad is being used in an in-place operation.",
        ),
        (
            "integers",
            "RuntimeError",
            "Only Tensors of floating point and complex dtype can require gradients",
        ),
    ],
)
def test_each_mistake_raises_the_real_error(mistakes, section, kind, start):
    error = mistakes.section(section).error
    assert error[0] == kind and error[1].startswith(start)


def test_each_fix_works(mistakes):
    assert "x.grad: 12.0" in mistakes.section("backward_again_fixed").output  # 6 + 6: added
    assert "v.grad: tensor([2., 2., 2.])" in mistakes.section("non_scalar_fixed").output
    assert (
        "w: tensor([2., 2., 2.], requires_grad=True)" in mistakes.section("in_place_fixed").output
    )
    assert mistakes.namespace["counts"].dtype == torch.float32


# -- the page ----------------------------------------------------------------------------------------


def test_the_page_includes_every_section_of_every_snippet_in_file_order():
    included = [(include.path, include.section) for include in scan(PAGE.read_text()).includes]
    files = sorted((ROOT / CHAPTER).glob("*.py"))
    assert len(files) == 6
    for path in files:
        relative = path.relative_to(ROOT).as_posix()
        names = [s.name for s in read_source(path, ROOT).code_sections]
        shown = [section for file, section in included if file == relative]
        assert shown == names, f"{relative}: page shows {shown}, file has {names}"


def test_the_page_has_its_topics_takeaways_stuck_point_and_extra_reading():
    page = PAGE.read_text()
    headings = re.findall(r"^#{2,4} (.+)$", page, re.MULTILINE)
    for heading in [
        "Derivatives and gradients",
        "Tensors that require grad",
        "The computation graph",
        "`backward()` and `.grad`",
        "The gradient of a layer",
        "Gradients add up",
        "Turning autograd off: `torch.no_grad()` and `torch.inference_mode()`",
        "Where I got stuck: why `.cpu()` was not enough",
        "Errors you will meet",
        "Key takeaways",
        "Summary",
        "Extra reading",
    ]:
        assert heading in headings
    assert page.count('!!! tip "Key takeaway"') == 3
    assert page.count('!!! warning "Where I got stuck"') == 1
    assert headings[-1] == "Extra reading"
    for link in [
        "https://docs.pytorch.org/tutorials/beginner/basics/autogradqs_tutorial.html",
        "https://d2l.ai/chapter_preliminaries/autograd.html",
    ]:
        assert link in page


def test_the_chapter_sits_between_fundamentals_and_linear_regression():
    from benchmarks.main_path import chapters

    pages = chapters()
    assert pages.index("autograd.md") == pages.index("fundamentals.md") + 1
    assert pages.index("linear-regression.md") == pages.index("autograd.md") + 1
