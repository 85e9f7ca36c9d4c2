"""The Fundamentals chapter: each claim the page makes holds in the run, and the notebook hits the
reference numbers of the original exercises."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch

from sitegen.pagescan import scan
from sitegen.sources import read_source
from tests.support.snippet_runs import ROOT, run

CHAPTER = "snippets/fundamentals"
PAGE = ROOT / "docs" / "fundamentals.md"
DEEPER = ROOT / "docs" / "deeper" / "fundamentals.md"
NOTEBOOK = f"{CHAPTER}/exercises.py"
CPU_BUILD = not torch.cuda.is_available()


def snippet(name: str):
    """A module-scoped fixture that runs snippets/fundamentals/<name>.py once."""
    return pytest.fixture(scope="module", name=name)(lambda: run(f"{CHAPTER}/{name}.py"))


creating = snippet("creating")
dtypes = snippet("dtypes")
precision = snippet("precision")
operations = snippet("operations")
matmul_spellings = snippet("matmul_spellings")
first_layer = snippet("first_layer")
aggregation = snippet("aggregation")
aggregation_edges = snippet("aggregation_edges")
reshaping = snippet("reshaping")
view_refuses = snippet("view_refuses")
matmul_batches = snippet("matmul_batches")
squeeze_unsqueeze = snippet("squeeze_unsqueeze")
broadcast_loss = snippet("broadcast_loss")
indexing = snippet("indexing")
numpy_interop = snippet("numpy_interop")
numpy_new_or_in_place = snippet("numpy_new_or_in_place")
speed_vs_numpy = snippet("speed_vs_numpy")
reproducibility = snippet("reproducibility")
seed_internals = snippet("seed_internals")
device_early = snippet("device_early")
to_returns = snippet("to_returns")
plot_needs_cpu = snippet("plot_needs_cpu")


@pytest.fixture(scope="module")
def notebook():
    return run(NOTEBOOK).namespace


# -- What a tensor is, creating tensors ----------------------------------------------------------


def test_import_torch_prints_the_installed_version(creating):
    assert creating.section("import_torch").output.strip() == torch.__version__


def test_scalar_vector_matrix_tensor_have_0_to_3_axes(creating):
    out = creating.section("what_a_tensor_is").output
    for line in [
        "scalar  ndim 0  shape ()",
        "vector  ndim 1  shape (2,)",
        "matrix  ndim 2  shape (2, 2)",
        "tensor  ndim 3  shape (1, 3, 3)",
    ]:
        assert line in out


def test_item_gives_a_python_number_and_fails_on_two(creating):
    assert "7 <class 'int'>" in creating.section("item").output
    assert creating.section("item").error == (
        "RuntimeError",
        "a Tensor with 2 elements cannot be converted to Scalar",
    )


def test_arange_excludes_the_end_and_like_keeps_the_dtype(creating):
    steps = creating.namespace["steps"]
    assert steps.tolist() == [0, 2, 4, 6, 8]
    assert steps.dtype == torch.int64
    out = creating.section("filled").output
    assert "tensor([0, 0, 0, 0, 0])" in out  # zeros_like(steps): integers
    assert torch.zeros_like(steps).dtype == torch.int64


def test_rand_is_between_0_and_1_and_randn_goes_negative(creating):
    out = creating.section("random").output
    rand_block, randn_block = out.split("tensor(")[1:3]
    assert "-" not in rand_block and "-" in randn_block
    assert "image: shape (3, 224, 224), 150,528 numbers" in out


# -- Datatypes -----------------------------------------------------------------------------------


def test_pytorch_defaults_are_float32_and_int64(dtypes):
    out = dtypes.section("defaults").output
    assert "torch.tensor([1.0, 2.0]): torch.float32" in out
    assert "torch.tensor([1, 2]):     torch.int64" in out


def test_numpy_and_scikit_learn_give_float64_and_from_numpy_keeps_it(dtypes):
    out = dtypes.section("numpy_float64").output
    assert "make_moons X: float64, y: int64" in out
    assert "torch.from_numpy(X_np):   torch.float64" in out


def test_conversions_name_the_dtype_and_float_returns_the_same_tensor_when_already_float32(
    dtypes,
):
    out = dtypes.section("convert").output
    assert "x.long():            tensor([ 1, -2,  3])" in out  # rounds toward zero
    assert "x.type(torch.int32): tensor([ 1, -2,  3], dtype=torch.int32)" in out
    assert "dtype=torch.float16" in out
    assert "X.float(): torch.float32, a new tensor: True" in out
    assert "X32.float() is X32: True" in out
    ns = dtypes.namespace
    assert ns["X32"].float() is ns["X32"]  # the claim, checked here too


def test_the_three_attributes_print(dtypes):
    out = dtypes.section("attributes").output
    assert "shape:  torch.Size([4, 2])" in out
    assert "dtype:  torch.float64" in out and "device: cpu" in out


def test_float16_halves_the_bytes_and_loses_what_float32_keeps(precision):
    values = precision.section("lower_precision").values
    ns = precision.namespace
    assert ns["half"].dtype == torch.float16 and ns["half"].element_size() == 2
    assert ns["single"].dtype == torch.float32 and ns["single"].element_size() == 4
    assert values["eps16"] == 2**-10 and values["eps32"] == 2**-23
    assert values["eps16"] > 1000 * values["eps32"]
    out = precision.section("lower_precision").output
    assert "1 + 0.0001:       float16 1.0000, float32 1.0001" in out  # lost in float16


def test_ptx_data_makers_already_return_float32():
    import ptx

    X, y = ptx.make_moons(n_samples=8)
    assert X.dtype == torch.float32 and y.dtype == torch.float32


# -- Operations and matrix multiplication --------------------------------------------------------


def test_arithmetic_is_number_by_number_and_only_add__changes_t(operations):
    out = operations.section("arithmetic").output
    assert "t * 10: tensor([10, 20, 30])" in out
    assert "t / 10: tensor([0.1000, 0.2000, 0.3000])" in out
    assert "t is unchanged: tensor([1, 2, 3])" in out
    assert operations.namespace["t"].tolist() == [11, 12, 13]


def test_a_column_plus_a_row_broadcasts_to_a_table_and_mismatched_sizes_fail(operations):
    out = operations.section("broadcasting").output
    assert "column (3, 1) + row (2,) -> (3, 2)" in out
    ns = operations.namespace
    assert (ns["column"] + ns["row"]).tolist() == [[11, 21], [12, 22], [13, 23]]
    assert operations.section("broadcasting").error == (
        "RuntimeError",
        "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0",
    )


def test_the_three_spellings_are_exactly_equal(matmul_spellings):
    ns = matmul_spellings.namespace
    assert torch.equal(ns["by_method"], ns["by_mm"])
    assert torch.equal(ns["by_method"], ns["by_operator"])
    assert ns["by_operator"].shape == (3, 3)


def test_star_is_element_wise(matmul_spellings):
    square = matmul_spellings.namespace["square"]
    assert torch.equal(square * square, torch.tensor([[1.0, 4.0], [9.0, 16.0]]))
    assert torch.equal(square @ square, torch.tensor([[7.0, 10.0], [15.0, 22.0]]))


def test_one_entry_of_the_product_is_worked_out_from_row_and_column(matmul_spellings):
    out = matmul_spellings.section("elementwise").output
    assert "entry [0, 0] = 1·1 + 2·3 = 7" in out  # computed, and it is the product's entry
    assert matmul_spellings.namespace["product"][0, 0] == 7


def test_mismatched_inner_sizes_and_mm_on_a_batch_fail(matmul_spellings, matmul_batches):
    assert matmul_spellings.section("shape_rule").error == (
        "RuntimeError",
        "mat1 and mat2 shapes cannot be multiplied (7x7 and 1x7)",
    )
    assert matmul_batches.section("batches").error == ("RuntimeError", "self must be a matrix")
    ns = matmul_batches.namespace
    assert ns["batched"].shape == (5, 3, 2)
    assert torch.allclose(ns["batched"], ns["one_by_one"])


# -- A first layer -------------------------------------------------------------------------------


def test_nn_linear_is_x_times_weight_transposed_plus_bias_in_float32(first_layer):
    ns = first_layer.namespace
    assert ns["layer"].weight.shape == (2, 4)
    # by_hand was computed from the section's own X: (3, 4) @ (4, 2) + (2,)
    assert ns["by_hand"].shape == (3, 2)
    out = first_layer.section("linear_layer").output
    assert "same as by hand: True" in out
    assert "dtype of both: torch.float32, torch.float32" in out


def test_float64_data_into_a_float32_model_is_the_real_dtype_error(first_layer):
    assert first_layer.section("dtype_mismatch").error == (
        "RuntimeError",
        "mat1 and mat2 must have the same dtype, but got Double and Float",
    )


def test_float_fixes_it(first_layer):
    ns = first_layer.namespace
    assert ns["X"].dtype == torch.float32
    assert torch.equal(ns["X"], ns["same"])
    assert "model(X): shape (4, 1), torch.float32" in first_layer.section("fix_float").output


# -- Aggregation and positions -------------------------------------------------------------------


def test_mean_of_an_int_tensor_is_the_real_error(aggregation):
    assert "min 0, max 90, sum 450" in aggregation.section("min_max_sum").output
    kind, message = aggregation.section("min_max_sum").error
    assert kind == "RuntimeError"
    assert message.startswith("mean(): could not infer output dtype.")
    assert message.endswith("Got: Long")
    assert aggregation.section("mean_float").output.count("45.0") == 2


def test_empty_and_complex_tensors_have_sums_but_no_largest_number(aggregation_edges):
    assert "empty: shape (0,), sum 0.0, mean nan" in aggregation_edges.section("empty").output
    kind, message = aggregation_edges.section("empty").error
    assert kind == "RuntimeError" and message.startswith("max(): Expected reduction dim")
    out = aggregation_edges.section("complex").output
    assert "sum (4+1j)" in out and "largest by size: (3-1j)" in out
    assert aggregation_edges.section("complex").error == (
        "NotImplementedError",
        "\"max_all\" not implemented for 'ComplexFloat'",
    )


def test_argmax_counts_positions_in_the_flattened_tensor(aggregation):
    values = aggregation.section("positions").values
    assert values["position"] == 5
    assert (values["row"], values["column"]) == (1, 2)
    out = aggregation.section("positions").output
    assert "argmax 5, argmin 0" in out
    assert "argmax(dim=1): tensor([1, 2])" in out


# -- Reshaping -----------------------------------------------------------------------------------


def test_reshape_keeps_the_number_of_elements(reshaping):
    out = reshaping.section("reshape").output
    assert "x.reshape(-1, 3) (3, 3)" in out
    assert reshaping.section("reshape").error == (
        "RuntimeError",
        "shape '[2, 4]' is invalid for input of size 9",
    )


def test_a_view_shares_memory_with_its_source_and_a_clone_does_not(reshaping):
    ns = reshaping.namespace
    x, z = ns["x"], ns["z"]
    assert x[[0, 3, 6]].tolist() == [0.0, 0.0, 0.0]  # z[:, 0] = 0 changed x
    assert z[:, 0].tolist() == [0.0, 0.0, 0.0]
    assert ns["copy"][0].item() == 100.0 and x[0].item() == 0.0
    out = reshaping.section("view_shares_memory").output
    assert "tensor([0., 2., 3., 0., 5., 6., 0., 8., 9.])" in out
    assert "same memory: True" in out


def test_view_refuses_a_transpose_and_reshape_copies(view_refuses):
    kind, message = view_refuses.section("view_or_reshape").error
    assert kind == "RuntimeError"
    assert message.startswith("view size is not compatible with input tensor's size and stride")
    assert message.endswith("Use .reshape(...) instead.")
    assert "same memory as x: False" in view_refuses.section("view_or_reshape").output


def test_stack_adds_an_axis_cat_does_not_permute_is_a_view(reshaping):
    ns = reshaping.namespace
    row = ns["row"]
    assert torch.stack([row, row]).shape == (2, 3)
    assert torch.stack([row, row], dim=1).shape == (3, 2)
    assert "tensor([ 1,  2,  3, 10, 20, 30])" in reshaping.section("stack").output
    assert ns["image_chw"].shape == (3, 224, 224)
    assert ns["image_chw"][0, 0, 0].item() == 5.0


# -- Where I got stuck: squeeze and unsqueeze ----------------------------------------------------


def test_squeeze_and_unsqueeze_shapes(squeeze_unsqueeze):
    out = squeeze_unsqueeze.section("what_they_do").output
    for line in [
        "x.squeeze()      (10,)",
        "x.squeeze(0)     (1, 1, 10)",
        "v.unsqueeze(0)   (1, 3)",
        "v.unsqueeze(1)   (3, 1)",
        "y_pred.squeeze()  ()",
        "ones(3, 2).squeeze(1) (3, 2)",
    ]:
        assert line in out
    assert len(squeeze_unsqueeze.section("shape_figure").figures) == 1


def test_a_flat_feature_vector_is_read_as_one_sample(squeeze_unsqueeze):
    assert squeeze_unsqueeze.section("feature_column").error == (
        "RuntimeError",
        "mat1 and mat2 shapes cannot be multiplied (1x5 and 1x1)",
    )


def test_n_against_n_1_broadcasts_into_a_grid_with_a_plausible_mean(squeeze_unsqueeze):
    ns = squeeze_unsqueeze.namespace
    right, wrong = ns["right"], ns["wrong"]
    assert right.shape == (80, 1) and wrong.shape == (80, 80)
    assert right.mean().item() == pytest.approx(0.006, abs=1e-4)  # mean |0.01 x - 0.01|
    assert wrong.mean().item() > 10 * right.mean().item()
    assert torch.allclose(wrong.diagonal(), right.squeeze(1))
    out = squeeze_unsqueeze.section("broadcast_trap").output
    assert "(y_pred - y_flat).abs(): shape (80, 80)" in out
    assert len(squeeze_unsqueeze.section("broadcast_figure").figures) == 1


def test_l1loss_broadcasts_warns_once_and_computes_the_wrong_loss(broadcast_loss):
    ns = broadcast_loss.namespace
    right, wrong = ns["right"].item(), ns["wrong"].item()
    assert right == pytest.approx(0.006, abs=1e-4)
    assert wrong > 10 * right
    out = broadcast_loss.section("broadcast_loss").output
    assert out.count("UserWarning: Using a target size (torch.Size([80]))") == 1
    assert out.startswith("UserWarning")  # at the flat run's first step, before any print


def test_training_against_flat_targets_learns_a_flat_line_at_the_median(broadcast_loss):
    ns = broadcast_loss.namespace
    assert ns["weight_right"] == pytest.approx(0.3, abs=0.03)
    assert ns["bias_right"] == pytest.approx(0.9, abs=0.06)
    assert abs(ns["weight_wrong"]) < 0.02
    assert ns["bias_wrong"] == pytest.approx(ns["y"].median().item(), abs=0.01)


def test_a_plain_shape_check_turns_the_broadcast_into_an_error(squeeze_unsqueeze):
    assert squeeze_unsqueeze.section("shape_check").error == (
        "AssertionError",
        "reshape the targets: y_flat.unsqueeze(1)",
    )
    assert "y_pred (80, 1), targets (80,)" in squeeze_unsqueeze.section("shape_check").output


# -- Indexing ------------------------------------------------------------------------------------


def test_positions_slices_and_columns(indexing):
    out = indexing.section("positions_and_slices").output
    for line in [
        "grid[0]      tensor([1, 2, 3])",
        "grid[0, 2]   tensor(3)",
        "grid[-1]     tensor([7, 8, 9])",
        "grid[:, 1]   tensor([2, 5, 8])",
        "grid[1:, :2] [[4, 5], [7, 8]]",
    ]:
        assert line in out
    assert indexing.section("positions_and_slices").error == (
        "IndexError",
        "index 3 is out of bounds for dimension 0 with size 3",
    )


def test_a_boolean_mask_keeps_the_numbers_where_it_is_true(indexing):
    ns = indexing.namespace
    assert ns["mask"].dtype == torch.bool and ns["mask"].shape == (3, 3)
    out = indexing.section("boolean_masks").output
    assert "grid[mask]          tensor([5, 6, 7, 8, 9])" in out
    assert "grid[grid % 2 == 0] tensor([2, 4, 6, 8])" in out


# -- NumPy and back ------------------------------------------------------------------------------


def test_from_numpy_shares_memory_and_keeps_float64_tensor_copies(numpy_interop):
    ns = numpy_interop.namespace
    assert ns["shared"].dtype == torch.float64
    assert ns["shared"][0].item() == 100.0
    assert ns["copied"][0].item() == 1.0
    assert ns["as_float32"].dtype == torch.float32 and ns["as_float32"][0].item() == 1.0


def test_a_new_array_leaves_the_tensor_and_an_in_place_change_shows_in_it(numpy_new_or_in_place):
    out = numpy_new_or_in_place.section("new_or_in_place").output
    assert "after array = array + 1: array [2. 3. 4. 5. 6. 7. 8.], tensor tensor([1., 2., 3." in out
    assert "after array += 1:        array [2. 3. 4. 5. 6. 7. 8.], tensor tensor([2., 3., 4." in out


def test_numpy_shares_memory_with_the_tensor(numpy_interop):
    ns = numpy_interop.namespace
    assert ns["t_np"].dtype == np.float32
    # t_np was taken before t.add_(1) and still follows it: the two share memory
    assert ns["t_np"].tolist() == ns["t"].tolist() == [2.0, 2.0, 2.0]


def test_the_timing_is_marked_as_varying_and_compares_like_with_like(speed_vs_numpy):
    section = speed_vs_numpy.section("timing")
    assert section.varies
    assert "a * b, 1,000,000 floats" in section.output and "256 x 256 matmul" in section.output
    ns = speed_vs_numpy.namespace
    assert ns["multiply_ratio"] > 0 and ns["matmul_ratio"] > 0  # read by the Deeper page
    assert ns["a"].dtype == torch.float32 and np.array_equal(ns["a"].numpy(), ns["a_np"])
    np.testing.assert_allclose((ns["m"] @ ns["m"]).numpy(), ns["m_np"] @ ns["m_np"], rtol=1e-4)


# -- Reproducibility -----------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_numbers(reproducibility):
    assert "equal without a seed: False" in reproducibility.section("unseeded").output
    assert "equal after the same seed: True" in reproducibility.section("seeded").output
    ns = reproducibility.namespace
    torch.manual_seed(42)
    expected = torch.rand(6)
    assert torch.equal(torch.cat([ns["first"], ns["second"]]), expected)  # in order


def test_manual_seed_seeds_every_device(reproducibility, seed_internals):
    assert reproducibility.section("every_device").output.strip() == (
        "Sets the seed for generating random numbers on all devices"
    )
    out = seed_internals.section("source").output
    assert "torch.cuda.manual_seed_all(seed)" in out
    assert "torch.mps.manual_seed(seed)" in out


# -- Devices -------------------------------------------------------------------------------------


@pytest.mark.skipif(not CPU_BUILD, reason="the error exists only on a machine without CUDA")
def test_hard_coded_cuda_fails_on_a_machine_without_it(device_early):
    assert device_early.section("cuda_hard_coded").error == (
        "AssertionError",
        "Torch not compiled with CUDA enabled",
    )


def test_plain_pytorch_and_ptx_pick_the_same_device(device_early):
    import ptx

    assert device_early.namespace["device"] == ptx.get_device()
    assert "the same choice: True" in device_early.section("ptx_device").output


def test_tensors_and_model_are_created_on_the_chosen_device(device_early):
    out = device_early.section("on_device").output
    device = device_early.namespace["device"]
    expected = str(torch.empty(0, device=device).device)  # "cpu", "cuda:0" or "mps:0"
    assert f"X on {expected}, y_pred on {expected}" in out
    assert f"model on {expected}" in out


def test_a_late_device_is_a_device_mismatch_in_the_forward_pass(device_early):
    kind, message = device_early.section("chosen_late").error
    assert kind == "RuntimeError"
    assert "meta" in message and "cpu" in message


def test_tensor_to_returns_and_module_to_moves_in_place(to_returns):
    out = to_returns.section("to_returns").output
    assert "X.to(...) alone:      X is still on cpu" in out
    assert "X_moved on meta, X on cpu" in out
    assert "already there, no copy: True" in out
    assert "model.to(...) returns the model itself: True" in out
    assert "model on meta" in out


def test_a_tensor_off_the_cpu_cannot_become_numpy(plot_needs_cpu):
    kind, message = plot_needs_cpu.section("other_device").error
    assert kind == "TypeError"
    assert message == (
        "can't convert meta device type tensor to numpy. "
        "Use Tensor.cpu() to copy the tensor to host memory first."
    )


def test_cpu_numpy_draws(plot_needs_cpu):
    ns = plot_needs_cpu.namespace
    assert ns["y_np"].shape == (50,) and ns["y_np"].dtype == np.float32
    assert len(plot_needs_cpu.section("fix").figures) == 1


@pytest.mark.parametrize(
    ("name", "needs", "raising"),
    [
        ("device_cuda", "cuda", {"chosen_late": "RuntimeError", "numpy_on_gpu": "TypeError"}),
        ("seed_cuda", "cuda", {}),
        ("to_returns_cuda", "cuda", {}),
        ("device_mps", "mps", {"chosen_late": "RuntimeError", "numpy_on_gpu": "TypeError"}),
    ],
)
def test_gpu_only_code_lives_in_needs_files(name, needs, raising):
    path = ROOT / CHAPTER / f"{name}.py"
    assert path.read_text().splitlines()[0] == f"# needs: {needs}"
    assert read_source(path, ROOT).needs == needs
    sections = read_source(path, ROOT).code_sections
    assert {s.name: s.raises for s in sections if s.raises} == raising
    source = path.read_text()
    compile(source, str(path), "exec")
    assert f'"{needs}"' in source


# -- The page and its Deeper page ------------------------------------------------------------------


def page_includes(page=PAGE) -> list[tuple[str, str | None]]:
    return [(include.path, include.section) for include in scan(page.read_text()).includes]


# the experiments behind the chapter's claims: on the Deeper page, off the chapter's DOM
DEEPER_FILES = [
    "matmul_batches.py",
    "numpy_new_or_in_place.py",
    "to_returns.py",
    "to_returns_cuda.py",
    "device_cuda.py",
    "device_mps.py",
    "precision.py",
    "aggregation_edges.py",
    "view_refuses.py",
    "broadcast_loss.py",
    "speed_vs_numpy.py",
    "seed_internals.py",
    "seed_cuda.py",
]


def test_the_two_pages_include_every_section_of_every_snippet_in_file_order():
    on_page, on_deeper = page_includes(), page_includes(DEEPER)
    for path in sorted((ROOT / CHAPTER).glob("*.py")):
        if path.name.startswith("exercises"):
            continue
        relative = path.relative_to(ROOT).as_posix()
        names = [s.name for s in read_source(path, ROOT).code_sections]
        where = on_deeper if path.name in DEEPER_FILES else on_page
        elsewhere = on_page if path.name in DEEPER_FILES else on_deeper
        shown = [section for file, section in where if file == relative]
        assert shown == names, f"{relative}: page shows {shown}, file has {names}"
        assert not [file for file, _ in elsewhere if file == relative]


def test_the_page_has_the_topics_takeaways_stuck_point_and_summary():
    page = PAGE.read_text()
    headings = re.findall(r"^#{2,4} (.+)$", page, re.MULTILINE)
    for heading in [
        "Importing PyTorch",
        "What a tensor is",
        "Creating tensors",
        "Random numbers that repeat { #reproducibility }",
        "Datatypes: float32 unless you say otherwise",
        "What to print when something fails",
        "Operations",
        "Aggregation: min, max, sum, mean",
        "Positions: `argmax` and `argmin`",
        "Matrix multiplication",
        "Three spellings of matrix multiplication",
        "The shape rule: mat1 and mat2 shapes cannot be multiplied { #the-shape-rule }",
        "A first layer: `nn.Linear` { #nn-linear }",
        "Reshaping: `reshape`, `view`, `stack`, `permute`",
        "Where I got stuck: squeeze and unsqueeze",
        "Indexing",
        "NumPy and back { #numpy }",
        "Devices",
        "Device-agnostic code, set early",
        "What goes wrong when the device is chosen late",  # errors.yml links here
        "Matplotlib needs CPU numbers",
        "Key takeaways",
        "What the exercises did",
        "Exercises",
        "Summary",
        "Extra reading",
    ]:
        assert heading in headings
    assert page.count('!!! tip "Key takeaway"') == 3
    assert page.count('!!! warning "Where I got stuck"') == 1
    assert "(exercises/fundamentals.md)" in page  # the exercise page: blank or solved notebook
    assert headings[-1] == "Extra reading"


def test_the_page_opens_with_what_pytorch_is_and_where_to_get_help():
    opening = PAGE.read_text().split("\n## ")[0]
    assert "PyTorch is a free, open-source Python library" in opening
    for link in [
        "https://docs.pytorch.org/docs/stable/index.html",
        "https://docs.pytorch.org/tutorials/",
        "https://discuss.pytorch.org/",
        "(errors.md)",
        "(glossary.md)",
    ]:
        assert link in opening


def test_no_hand_typed_outputs_inline_gpu_blocks_or_removed_helpers():
    for page in (PAGE.read_text(), DEEPER.read_text()):
        assert "pytest-codeblocks" not in page and "pytest.mark" not in page
        assert not re.search(r"^\s*```python", page, re.MULTILINE)
        assert "check_same_" not in page
    for path in (ROOT / CHAPTER).glob("*.py"):
        assert "check_same_" not in path.read_text()


def test_meta_stands_in_only_with_a_sentence_saying_so():
    page = PAGE.read_text()
    assert page.count("`meta`") >= 2
    assert "stands in for the GPU" in page and "plays the GPU's part" in page
    assert "Cannot copy out of meta" not in page


def test_gpu_blocks_claim_no_output_they_did_not_show():
    """Each block that needs a GPU (not run in this build) has a sentence in its section, above
    it, saying so."""
    for path in (PAGE, DEEPER):
        page = scan(path.read_text())
        for include in page.includes:
            if read_source(ROOT / include.path, ROOT).needs is None:
                continue
            above = [h.line for h in page.headings if h.line < include.line]
            section = page.text.split("\n")[above[-1] if above else 0 : include.line - 1]
            assert re.search(
                r"ha(s|ve)\s+not\s+been\s+run\s+here|without\s+an\s+output", "\n".join(section)
            ), f"{path.name}: {include.path}:{include.section}"


def test_every_experiment_on_the_deeper_page_is_linked_from_the_chapter():
    page, deeper = PAGE.read_text(), DEEPER.read_text()
    anchors = [
        "what-torchmanual_seed-calls",
        "smaller-floats-what-float16-costs",
        "empty-and-complex-tensors",
        "matmul-broadcasts-mm-does-not",
        "when-view-refuses",
        "flat-answers-in-a-loss-function",
        "a-new-array-or-the-same-memory",
        "are-tensors-faster-than-arrays",
        "tensorto-returns-a-tensor-moduleto-moves-the-module",
        "the-device-blocks-on-a-gpu",
    ]
    headings = re.findall(r"^## (.+)$", deeper, re.MULTILINE)
    assert len(headings) == len(anchors)
    for anchor in anchors:
        assert f"(deeper/fundamentals.md#{anchor})" in page
    assert deeper.count("Back to [") == len(anchors)


def test_the_speed_claim_is_no_longer_about_the_same_time():
    deeper = DEEPER.read_text()
    assert "about the same time" not in deeper
    assert "{{ fundamentals/speed_vs_numpy.py:timing multiply_ratio:.1f }}" in deeper


# -- The exercise notebook -----------------------------------------------------------------------


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


def test_the_notebook_sets_the_courses_ten_tasks_each_solved_then_checked():
    cells = read_source(ROOT / NOTEBOOK, ROOT).sections
    tasks = [c for c in cells if c.kind == "markdown" and "**Task:**" in c.code]
    assert len(tasks) == 10  # numbered as the course numbers them
    text = (ROOT / NOTEBOOK).read_text()
    assert text.count('# %% tags=["solution"]') == 10
    assert [int(n) for n in re.findall(r"^ex\.q(\d+)\.check\(\)$", text, re.MULTILINE)] == list(
        range(1, 11)
    )
    code = [line for line in text.splitlines() if not line.startswith("#")]
    assert not [line for line in code if "cuda:0" in line]


def test_the_notebook_links_exist_on_the_page():
    text = (ROOT / NOTEBOOK).read_text()
    page = PAGE.read_text()
    anchors = {
        "the-shape-rule": "{ #the-shape-rule }",
        "reproducibility": "{ #reproducibility }",
        "devices": "\n## Devices\n",
    }
    links = re.findall(r"\]\(fundamentals\.md(?:#([\w-]+))?\)", text)
    assert links and "" in links
    for anchor in filter(None, links):
        assert anchors[anchor] in page
