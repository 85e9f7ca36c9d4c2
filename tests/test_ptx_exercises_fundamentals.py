"""The checks of Exercises 00 (ptx.exercises.fundamentals), both ways: each solution and other
right answers pass, and each mistake a check names gets its own message."""

from __future__ import annotations

import sys

import pytest
import torch

from ptx.exercises import fundamentals
from tests.support.exercise_submissions import Case, assert_says, run_cells, submit, uncovered

SEEDED_0 = "torch.manual_seed(0)\ntensor_A = torch.rand(7, 7)\ntensor_B = torch.rand(1, 7)\n"
SEEDED_1234 = "torch.manual_seed(1234)\ntensor_1 = torch.rand(2, 3)\ntensor_2 = torch.rand(2, 3)\n"
SEEDED_7 = "torch.manual_seed(7)\ntensor_4d = torch.rand(1, 1, 1, 10)\n"
CASES = [
    # 1. documentation reading
    Case("1", 'answer_1a = "b"\nanswer_1b = "(B)"', "correct", "in place"),
    Case("1", "", "not attempted", "`answer_1a`"),
    Case("1", 'answer_1a = "b"', "unfinished", "still missing"),
    Case("1", 'answer_1a = ...\nanswer_1b = "b"', "unfinished", "`answer_1a`"),
    Case("1", 'answer_1a = 2\nanswer_1b = "b"', "not_a_choice", '"a", "b", "c"'),
    Case("1", 'answer_1a = "a"\nanswer_1b = "b"', "1a_without_underscore", "underscore"),
    Case("1", 'answer_1a = "c"\nanswer_1b = "b"', "1a_function", "underscore"),
    Case("1", 'answer_1a = "b"\nanswer_1b = "a"', "1b_copies", "raise an error"),
    Case("1", 'answer_1a = "b"\nanswer_1b = "c"', "1b_cpu", "raise an error"),
    # 2. a random tensor (the issue: a (1, 7) tensor where (7, 7) was asked)
    Case("2", "random_tensor = torch.rand(7, 7)", "correct", "(7, 7) tensor"),
    Case("2", "random_tensor = torch.randn(7, 7)", "correct"),
    Case("2", "random_tensor = np.random.rand(7, 7)", "not_a_tensor", "torch.from_numpy"),
    Case("2", "random_tensor = torch.rand(1, 7)", "one_row", "shape (1, 7)"),
    Case("2", "random_tensor = torch.rand(49)", "flat", "(7, 7)"),
    Case("2", "random_tensor = torch.rand(7, 6)", "wrong_shape", "(7, 6)"),
    Case("2", "random_tensor = torch.randint(0, 10, (7, 7))", "integers", "same dtype"),
    Case("2", "random_tensor = torch.ones(7, 7)", "not_random", "constant"),
    Case(  # what torch.Tensor(7, 7) holds when the memory held leftovers like -2.3781e-29
        "2",
        "random_tensor = torch.rand(7, 7) * 1e-28",
        "uninitialised",
        "`torch.rand(7, 7)` draws them",
    ),
    Case("2", "random_tensor = torch.rand(7, 7).to('meta')", "meta_tensor", "no numbers"),
    # 3. matrix multiplication: any spelling of the right product passes
    Case(
        "3",
        "other_tensor = torch.rand(1, 7)\nproduct = random_tensor @ other_tensor.T",
        "correct",
        "(7, 7) @ (7, 1) -> (7, 1)",
        "2",
    ),
    Case(
        "3",
        "other_tensor = torch.rand(1, 7)\nproduct = torch.matmul(random_tensor, other_tensor.T)",
        "correct",
        before="2",
    ),
    Case(
        "3",
        "other_tensor = torch.rand(1, 7)\nproduct = torch.mm(random_tensor, other_tensor.t())",
        "correct",
        before="2",
    ),
    Case(
        "3",
        "other_tensor = torch.rand(1, 7)\nproduct = (other_tensor @ random_tensor.T).T",
        "correct",
        before="2",
    ),
    Case("3", "", "not attempted", "`product`", "2"),
    Case(
        "3",
        "other_tensor = torch.rand(1, 7)\nproduct = (random_tensor @ other_tensor.T).tolist()",
        "not_a_tensor",
        "not a tensor",
        "2",
    ),
    Case(
        "3",
        "other_tensor = torch.rand(7, 1)\nproduct = random_tensor @ other_tensor",
        "other_shape",
        "(1, 7)",
        "2",
    ),
    Case(
        "3",
        "random_tensor = torch.randint(0, 9, (7, 7))\nother_tensor = torch.rand(1, 7)\n"
        "product = torch.zeros(7, 1)",
        "integers",
        "one dtype",
        "2",
    ),
    Case(
        "3",
        "other_tensor = torch.rand(1, 7)\nproduct = random_tensor * other_tensor",
        "elementwise",
        "(7, 7) @ (7, 1) -> (7, 1)",
        "2",
    ),
    Case(
        "3",
        "other_tensor = torch.rand(1, 7)\nproduct = other_tensor @ random_tensor",
        "reversed_product",
        "other way round",
        "2",
    ),
    Case(
        "3",
        "other_tensor = torch.rand(1, 7)\nproduct = other_tensor @ random_tensor.T",
        "transposed_result",
        "as a row",
        "2",
    ),
    Case(
        "3",
        "other_tensor = torch.rand(1, 7)\nproduct = random_tensor @ other_tensor.T @ other_tensor",
        "wrong_shape",
        "(7, 7)",
        "2",
    ),
    Case(
        "3",
        "other_tensor = torch.rand(1, 7)\nproduct = torch.rand(7, 7) @ torch.rand(1, 7).T",
        "new_draws",
        "new random",
        "2",
    ),
    # 4. the same with a seed (the issue: the seed set after drawing)
    Case("4", SEEDED_0 + "result_seed_0 = tensor_A @ tensor_B.T", "correct", "1.8542"),
    Case(
        "4",
        "tensor_A = torch.rand(7, 7)\ntensor_B = torch.rand(1, 7)\ntorch.manual_seed(0)\n"
        "result_seed_0 = tensor_A @ tensor_B.T",
        "seed_after_draw",
        "set after drawing",
    ),
    Case(
        "4",
        "torch.manual_seed(42)\ntensor_A = torch.rand(7, 7)\ntensor_B = torch.rand(1, 7)\n"
        "result_seed_0 = tensor_A @ tensor_B.T",
        "no_seed",
        "torch.manual_seed(0)",
    ),
    Case(
        "4",
        "torch.manual_seed(0)\ntensor_A = torch.rand(7, 7)\ntorch.manual_seed(0)\n"
        "tensor_B = torch.rand(1, 7)\nresult_seed_0 = tensor_A @ tensor_B.T",
        "reseeded",
        "Seed once",
    ),
    Case(
        "4",
        "torch.manual_seed(0)\ntensor_B = torch.rand(1, 7)\ntensor_A = torch.rand(7, 7)\n"
        "result_seed_0 = tensor_A @ tensor_B.T",
        "other_order",
        "other order",
    ),
    Case(
        "4",
        "torch.manual_seed(0)\ntensor_A = torch.randn(7, 7)\ntensor_B = torch.randn(1, 7)\n"
        "result_seed_0 = tensor_A @ tensor_B.T",
        "normal",
        "torch.randn",
    ),
    Case(
        "4", SEEDED_0 + "tensor_A = tensor_A[:1]\nresult_seed_0 = tensor_A", "wrong_shape", "(7, 7)"
    ),
    Case("4", SEEDED_0 + "result_seed_0 = (tensor_A @ tensor_B.T).numpy()", "not_a_tensor"),
    Case("4", SEEDED_0 + "result_seed_0 = tensor_A * tensor_B", "elementwise", "matrix product"),
    Case("4", SEEDED_0 + "result_seed_0 = tensor_B @ tensor_A", "reversed_product"),
    Case("4", SEEDED_0 + "result_seed_0 = tensor_B @ tensor_A.T", "transposed_result"),
    Case("4", SEEDED_0 + "result_seed_0 = torch.rand(7, 1)", "new_draws"),
    Case(  # the draw cell run again on its own (the seed in a cell of its own above)
        "4",
        SEEDED_0 + "tensor_A = torch.rand(7, 7)\ntensor_B = torch.rand(1, 7)\n"
        "result_seed_0 = tensor_A @ tensor_B.T",
        "redrawn",
        "second run of these draws",
    ),
    Case(
        "4",
        "torch.manual_seed(0)\nnoise = torch.rand(3)\ntensor_A = torch.rand(7, 7)\n"
        "tensor_B = torch.rand(1, 7)\nresult_seed_0 = tensor_A @ tensor_B.T",
        "drawn_between",
        "in between",
    ),
    Case(
        "4",
        "torch.manual_seed = 0\ntensor_A = torch.rand(7, 7)\ntensor_B = torch.rand(1, 7)\n"
        "result_seed_0 = tensor_A @ tensor_B.T",
        "replaced_seed",
        "torch.manual_seed = torch.random.manual_seed",
    ),
    # 5. a seed for the GPU
    Case("5", "torch.cuda.manual_seed(1234)", "correct", "every device"),
    Case("5", "torch.manual_seed(1234)", "correct", "seeds every device"),
    Case("5", "torch.manual_seed(0)", "not attempted", "by `torch.manual_seed(0)`"),
    Case("5", "torch.cuda.manual_seed(1234)\ntorch.cuda.seed()", "random_seed", "random number"),
    Case("5", "torch.cuda.manual_seed(42)", "other_seed", "1234"),
    Case(
        "5", "torch.cuda.manual_seed = 1234", "replaced_function", "torch.cuda.random.manual_seed"
    ),
    # 6. two random tensors on the GPU
    Case("6", SEEDED_1234, "correct", "[[0.0290, 0.4019, 0.2598], [0.3666, 0.0583, 0.7006]]"),
    Case("6", "device = 'gpu please'\n" + SEEDED_1234, "not_a_device", "torch.device"),
    Case("6", SEEDED_1234 + "tensor_1 = tensor_1.tolist()", "not_a_tensor"),
    Case("6", SEEDED_1234 + "tensor_2 = tensor_2.T", "wrong_shape", "(2, 3)"),
    Case(
        "6",
        "device = torch.device('meta')\n" + SEEDED_1234 + "tensor_1.to(device)",
        "not_moved",
        "tensor_1 = tensor_1.to(device)",
    ),
    Case(
        "6",
        "torch.cuda.is_available = lambda: True\n" + SEEDED_1234,
        "gpu_unused",
        "torch.cuda.is_available()",
    ),
    Case(
        "6",
        "torch.manual_seed(1234)\ntensor_1 = torch.randn(2, 3)\ntensor_2 = torch.randn(2, 3)",
        "normal",
    ),
    Case(
        "6",
        "torch.manual_seed(1234)\ntensor_1 = torch.rand(2, 3)\ntorch.manual_seed(1234)\n"
        "tensor_2 = torch.rand(2, 3)",
        "reseeded",
    ),
    Case("6", SEEDED_1234 + "tensor_1, tensor_2 = tensor_2, tensor_1", "other_order"),
    Case(
        "6",
        "tensor_1 = torch.rand(2, 3)\ntensor_2 = torch.rand(2, 3)\ntorch.manual_seed(1234)",
        "seed_after_draw",
    ),
    Case(
        "6",
        "torch.manual_seed(1)\ntensor_1 = torch.rand(2, 3)\ntensor_2 = torch.rand(2, 3)",
        "no_seed",
    ),
    Case("6", SEEDED_1234 + "tensor_1 = torch.rand(2, 3)\ntensor_2 = torch.rand(2, 3)", "redrawn"),
    Case(
        "6",
        "torch.manual_seed(1234)\ntorch.rand(1)\ntensor_1 = torch.rand(2, 3)\n"
        "tensor_2 = torch.rand(2, 3)",
        "drawn_between",
    ),
    Case("6", "torch.manual_seed = 1234\n" + SEEDED_1234.split("\n", 1)[1], "replaced_seed"),
    Case(  # the course's 'cuda:0' on a machine without that GPU (CPU CI: cuda; a GPU box: mps)
        "6",
        f"device = '{'mps' if torch.cuda.is_available() else 'cuda'}'\n" + SEEDED_1234,
        "no_such_device",
        "this machine has no",
    ),
    # 7. matrix multiplication of the two
    Case(
        "7",
        "result = tensor_1 @ tensor_2.T",
        "correct",
        "[[0.3647, 0.4709], [0.5184, 0.5617]]",
        "6",
    ),
    Case("7", "result = torch.matmul(tensor_1, tensor_2.mT)", "correct", before="6"),
    Case("7", "", "not attempted", "`result`", "6"),
    Case("7", "result = torch.rand(2, 2)", "unfinished", "exercise 6"),
    Case("7", "result = 0.5", "not_a_tensor", before="6"),
    Case("7", "result = tensor_1 * tensor_2", "elementwise", "(2, 3) @ (3, 2)", "6"),
    Case("7", "result = tensor_1.T @ tensor_2", "first_transposed", "(3, 3)", "6"),
    Case("7", "result = tensor_2 @ tensor_1.T", "reversed_product", "transpose", "6"),
    Case("7", "result = tensor_1 @ tensor_2.reshape(3, 2)", "reshaped", "`.T`", "6"),
    Case("7", "result = torch.rand(3)", "wrong_shape", before="6"),
    Case("7", "result = torch.rand(2, 3) @ torch.rand(2, 3).T", "new_draws", before="6"),
    Case("7", "result = (tensor_1 @ tensor_2.T).to('meta')", "meta_tensor", "meta device", "6"),
    Case("7", "result = tensor_1 @ tensor_2.to('meta').T", "unfilled", "`meta` device", "6"),
    # 8. max and min
    Case("8", "max_value = result.max()\nmin_value = result.min()", "correct", "0.5617", "6 7"),
    Case(
        "8",
        "max_value = torch.max(result).item()\nmin_value = float(result.min())",
        "correct",
        before="6 7",
    ),
    Case("8", "max_value = result.max(dim=0)\nmin_value = result.min()", "per_dim", "dim", "6 7"),
    Case("8", "max_value = result.amax(dim=0)\nmin_value = result.min()", "per_dim", before="6 7"),
    Case("8", "max_value = '0.56'\nmin_value = result.min()", "not_a_number", before="6 7"),
    Case("8", "max_value = result.min()\nmin_value = result.max()", "swapped", before="6 7"),
    Case(
        "8",
        "max_value = result.argmax()\nmin_value = result.argmin()",
        "positions",
        "positions",
        "6 7",
    ),
    Case(
        "8", "max_value = tensor_1.max()\nmin_value = tensor_1.min()", "other_tensor", before="6 7"
    ),
    # 9. where they are
    Case(
        "9",
        "max_index = result.argmax()\nmin_index = result.argmin()",
        "correct",
        "row 1, column 1",
        "6 7",
    ),
    Case(
        "9",
        "max_index = torch.unravel_index(result.argmax(), result.shape)\n"
        "min_index = result.argmin()",
        "correct",
        "(row, column)",
        "6 7",
    ),
    Case(
        "9",
        "max_index = result.argmax(dim=1)\nmin_index = result.argmin()",
        "per_dim",
        before="6 7",
    ),
    Case("9", "max_index = '3'\nmin_index = result.argmin()", "not_a_number", before="6 7"),
    Case("9", "max_index = result.max()\nmin_index = result.min()", "values", "position", "6 7"),
    Case("9", "max_index = result.argmin()\nmin_index = result.argmax()", "swapped", before="6 7"),
    Case("9", "max_index = 1\nmin_index = 2", "other_positions", "at 3", "6 7"),
    # 10. squeeze
    Case("10", SEEDED_7 + "tensor_squeezed = tensor_4d.squeeze()", "correct", "0.5349"),
    Case("10", SEEDED_7 + "tensor_squeezed = tensor_4d.reshape(10)", "correct"),
    Case("10", SEEDED_7 + "tensor_squeezed = tensor_4d.squeeze_()", "in_place", "underscore"),
    Case("10", "tensor_4d = torch.rand(1, 10)\ntensor_squeezed = torch.rand(10)", "wrong_shape"),
    Case(
        "10",
        SEEDED_7 + "tensor_squeezed = tensor_4d\ntensor_4d.squeeze()",
        "not_kept",
        "returns a new tensor",
    ),
    Case("10", SEEDED_7 + "tensor_squeezed = tensor_4d.squeeze(0)", "one_axis", "squeeze()"),
    Case("10", SEEDED_7 + "tensor_squeezed = tensor_4d.unsqueeze(0)", "unsqueezed"),
    Case("10", SEEDED_7 + "tensor_squeezed = torch.rand(10)", "other_values"),
    Case("10", SEEDED_7 + "tensor_squeezed = tensor_4d.squeeze().tolist()", "not_a_tensor"),
    Case(
        "10",
        "torch.manual_seed(7)\ntensor_4d = torch.randn(1, 1, 1, 10)\n"
        "tensor_squeezed = tensor_4d.squeeze()",
        "normal",
    ),
    Case(
        "10",
        "tensor_4d = torch.rand(1, 1, 1, 10)\ntorch.manual_seed(7)\n"
        "tensor_squeezed = tensor_4d.squeeze()",
        "seed_after_draw",
    ),
    Case(
        "10",
        "torch.manual_seed(8)\ntensor_4d = torch.rand(1, 1, 1, 10)\n"
        "tensor_squeezed = tensor_4d.squeeze()",
        "no_seed",
    ),
    Case(
        "10",
        SEEDED_7 + "tensor_4d = torch.rand(1, 1, 1, 10)\ntensor_squeezed = tensor_4d.squeeze()",
        "redrawn",
    ),
    Case(
        "10",
        "torch.manual_seed(7)\ntorch.rand(2)\ntensor_4d = torch.rand(1, 1, 1, 10)\n"
        "tensor_squeezed = tensor_4d.squeeze()",
        "drawn_between",
    ),
    Case(
        "10",
        "torch.manual_seed = 7\ntensor_4d = torch.rand(1, 1, 1, 10)\n"
        "tensor_squeezed = tensor_4d.squeeze()",
        "replaced_seed",
    ),
]

# A learner's cells, run one by one as in a notebook (review finding 5): the latest attempt
# raised before it set the names, so the check explains that error, not the attempt before.
CELL_CASES = [
    (
        Case("3", "", "stopped", "inner sizes to agree", "2"),
        [
            "other_tensor = torch.rand(1, 7)\nproduct = random_tensor * other_tensor",
            "product = random_tensor @ other_tensor",
        ],
    ),
    (
        Case("7", "", "stopped", "mat1 and mat2 shapes cannot be multiplied", "6"),
        ["result = tensor_1 * tensor_2", "result = tensor_1 @ tensor_2"],
    ),
    (
        Case("8", "", "stopped", "Python's own `max`", "6 7"),
        [
            "max_value = result.min()\nmin_value = result.max()",
            "max_value = max(result)\nmin_value = min(result)",
        ],
    ),
    (
        Case("2", "", "stopped", "`torch.rand(7, 7)`", ""),
        ["random_tensor = torch.rand(1, 7)", "random_tensor = torch.random(7, 7)"],
    ),
    (  # a task that sets no names: the cell that seeds raised after its first line
        Case("5", "", "stopped", "with an underscore", ""),
        ["torch.cuda.manual_seed(0)\ntorch.cuda.manualseed(1234)"],
    ),
    (  # ... and a later cell that does it right is judged, not the error before it
        Case("5", "", "correct", "1234", ""),
        ["torch.cuda.manual_seed(0)\ntorch.cuda.manualseed(1234)", "torch.cuda.manual_seed(1234)"],
    ),
    (  # exercise 4's seeding cell that raised is not exercise 5's
        Case("5", "", "correct", "1234", ""),
        ["torch.cuda.manual_seed(1234)", "torch.manual_seed = 0", "torch.manual_seed(0)"],
    ),
    (  # an answer letter without its quotes
        Case("1", "", "stopped", "without its quotes", ""),
        ['answer_1a = "a"\nanswer_1b = "b"', "answer_1a = b"],
    ),
    (
        Case("2", "", "uninitialised", "leftovers", ""),
        ["random_tensor = torch.Tensor(7, 7)"],
    ),
]
if not torch.cuda.is_available():  # the course's own line, on a machine without CUDA
    CELL_CASES.append(
        (
            Case("6", "", "stopped", "This machine has no CUDA", ""),
            [
                SEEDED_1234,
                "device = 'cuda:0'\ntorch.manual_seed(1234)\ntensor_1 = torch.rand(2, 3).to(device)\n"
                "tensor_2 = torch.rand(2, 3).to(device)",
            ],
        )
    )


@pytest.fixture(autouse=True)
def _torch_as_it_was():
    """Cases replace torch.cuda functions (as a learner's slip would): put them back."""
    saved = torch.cuda.manual_seed, torch.cuda.is_available, torch.initial_seed()
    queued = list(torch.cuda._queued_calls)  # calls torch keeps for when CUDA starts
    yield
    torch.cuda._queued_calls[:] = queued
    torch.cuda.manual_seed, torch.cuda.is_available = saved[:2]
    torch.manual_seed = torch.random.manual_seed
    torch.manual_seed(saved[2])


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_a_submission_gets_the_message_for_what_it_does(case):
    assert_says(submit(fundamentals, case), case)


@pytest.mark.parametrize("case, cells", CELL_CASES, ids=[c.id for c, _ in CELL_CASES])
def test_a_cell_that_raised_is_explained_before_older_values_are_judged(case, cells):
    assert_says(run_cells(fundamentals, case, cells), case)


def test_a_seed_set_after_drawing_is_named_even_after_another_test_seeded_0():
    """Submissions start from a generator seeded by the OS, as a new Python's is: one left at a
    fresh `torch.manual_seed(0)` would draw the seeded numbers before the seed was set."""
    torch.manual_seed(0)
    case = next(c for c in CASES if c.exercise == "4" and c.expect == "seed_after_draw")
    assert_says(submit(fundamentals, case), case)


def test_every_mistake_a_check_names_is_submitted_by_a_case():
    assert uncovered(fundamentals, CASES + [c for c, _ in CELL_CASES]) == []


def test_a_torch_that_keeps_its_gpu_seeds_elsewhere_gets_a_message_not_a_traceback(monkeypatch):
    """The check reads torch's private queue of GPU seeds; a newer torch (Colab's, say) may
    rename it: then it says it cannot judge, and what the answer would be."""
    monkeypatch.delattr(torch.cuda, "_lazy_seed_tracker")
    said = fundamentals.q5.feedback({"torch": torch})
    assert said.status == "not judged"
    assert "cannot tell which seed you set" in str(said)
    assert "`torch.cuda.manual_seed(1234)`" in str(said)


def test_an_error_of_another_exercises_cell_is_not_offered_as_the_reason_for_a_missing_name():
    """Exercise 1's cell raised (a letter without quotes); exercise 2 is simply not done yet."""
    said = run_cells(fundamentals, Case("2", "", "not attempted", "", ""), ["answer_1a = b"])
    assert said.status == "not attempted"
    assert "If your cell stopped" not in str(said) and "NameError" not in str(said)


def test_a_product_without_the_transpose_raises_and_the_check_explains_the_shape_rule():
    """The learner's cell stops at the shape error, so `product` is never made: the check says
    what is missing and what that error means."""
    namespace = {"torch": torch}
    exec(fundamentals.q2.solution_code, namespace)
    exec("other_tensor = torch.rand(1, 7)", namespace)
    try:
        exec("product = random_tensor @ other_tensor", namespace)
    except RuntimeError as error:
        sys.last_value = error  # what IPython keeps of a cell that raised
    try:
        feedback = fundamentals.q3.feedback(namespace)
    finally:
        del sys.last_value
    assert feedback.status == "unfinished"
    assert "mat1 and mat2 shapes cannot be multiplied (7x7 and 1x7)" in str(feedback)
    assert "the inner sizes to agree" in str(feedback) and "`.T`" in str(feedback)
