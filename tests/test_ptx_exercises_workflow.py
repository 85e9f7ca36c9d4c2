"""The checks of Exercises 01 (ptx.exercises.workflow), both ways: the solutions pass, a model
of nn.Linear passes too, and each mistake a check names gets its own message."""

from __future__ import annotations

import pytest

from ptx.exercises import running, workflow
from tests.support.exercise_submissions import Case, assert_says, run_cells, submit, uncovered

LINE = """
weight, bias = 0.3, 0.9
X = torch.arange(0, 1, 0.01).unsqueeze(1)
y = weight * X + bias
n_train = 80
"""
SPLIT = "X_train, y_train, X_test, y_test = X[:n_train], y[:n_train], X[n_train:], y[n_train:]\n"
MODEL = """
class Line(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(1))
        self.bias = nn.Parameter(torch.randn(1))

    def forward(self, x):
        return {out}
"""


def model_with(out: str, extra: str = "") -> str:
    return MODEL.format(out=out) + extra + "model = Line()\n"


def loop(zero_grad=True, epochs=300, lr=0.01, step=True, backward=True) -> str:
    return (
        "loss_fn = nn.L1Loss()\n"
        f"optimizer = torch.optim.SGD(model.parameters(), lr={lr})\n"
        f"epochs = {epochs}\n"
        "for epoch in range(epochs):\n"
        "    model.train()\n"
        "    loss = loss_fn(model(X_train), y_train)\n"
        + ("    optimizer.zero_grad()\n" if zero_grad else "")
        + ("    loss.backward()\n" if backward else "")
        + ("    optimizer.step()\n" if step else "    pass\n")
    )


TRAINED = "1 2 3"
PREDICTED = "1 2 3 4"
CASES = [
    # 1. a straight-line data set
    Case("1", LINE + SPLIT, "correct", "80 to train on"),
    Case("1", LINE + "X, y = X.squeeze(1), y.squeeze(1)\n" + SPLIT, "correct", "1-D"),
    Case("1", "", "not attempted", "`X`"),
    Case("1", LINE + SPLIT + "X_train = X_train.numpy()", "not_a_tensor", "torch.from_numpy"),
    Case(
        "1",
        "X = torch.arange(0, 100).unsqueeze(1)\ny = 0.3 * X + 0.9\nn_train = 80\n" + SPLIT,
        "integers",
        "arange(0, 1, 0.01)",
    ),
    Case(
        "1",
        "X = torch.arange(0, 1, 0.02).unsqueeze(1)\ny = 0.3 * X + 0.9\nn_train = 40\n" + SPLIT,
        "too_few",
        "at least 100",
    ),
    Case("1", LINE + "y = y.squeeze(1)\n" + SPLIT, "shapes_differ", "(N, N)"),
    Case("1", LINE + "y = y + 0.01 * torch.randn_like(y)\n" + SPLIT, "not_a_line", "formula"),
    Case("1", LINE + "y = 0.9 * X + 0.3\n" + SPLIT, "swapped", "swapped"),
    Case("1", LINE + "y = 0.7 * X + 0.3\n" + SPLIT, "other_line", "0.70 * X + 0.30"),
    Case("1", LINE + SPLIT + "X_test, y_test = X[70:], y[70:]", "split_sizes", "one index"),
    Case("1", LINE + "n_train = 20\n" + SPLIT, "split_swapped", "80 %"),
    Case("1", LINE + "n_train = 50\n" + SPLIT, "split_ratio", "not 80 %"),
    Case("1", LINE + SPLIT + "X_test, y_test = X[20:40], y[20:40]", "overlap", "never trains on"),
    Case("1", LINE + SPLIT + "y_train = y[20:]", "misaligned", "same index"),
    # 2. a model of two nn.Parameters (or nn.Linear)
    Case("2", "", "correct", "weight 0.3367 and bias 0.1288", "2"),  # the solution itself
    Case("2", "model = nn.Linear(1, 1)", "correct", "both learnable"),
    Case("2", model_with("self.weight * x + self.bias") + "model = Line", "a_class", "Line()"),
    Case("2", "model = 'my model'", "not_a_model", "nn.Module"),
    Case(
        "2",
        MODEL.format(out="self.w * x + self.b").replace(
            "self.weight = nn.Parameter(torch.randn(1))\n        self.bias = nn.Parameter(torch.randn(1))",
            "self.w = torch.randn(1)\n        self.b = torch.randn(1)",
        )
        + "model = Line()\n",
        "no_parameters",
        "empty parameter list",
    ),
    Case(
        "2",
        model_with("self.weight * x + self.bias") + "model.bias.requires_grad_(False)\n",
        "frozen",
        "requires_grad=False",
    ),
    Case("2", "model = nn.Sequential(nn.Linear(1, 3), nn.Linear(3, 1))", "parameter_count", "two"),
    Case(
        "2",
        model_with("self.weight * x + self.bias + undefined_name"),
        "forward_raises",
        "NameError",
    ),
    Case(
        "2",
        model_with(
            "self.weight * x + self.bias if not x.sum() > -1e9 else self.spin()",
            "    def spin(self):\n        while True:\n            pass\n\n",
        ),
        "forward_hangs",
        "still running",
    ),
    Case("2", model_with("None"), "returns_none", "return"),
    Case("2", model_with("(self.weight * x + self.bias).sum()"), "output_shape", "one number"),
    Case("2", model_with("self.weight * x * x + self.bias"), "wrong_formula", "straight line"),
    Case(  # review finding 2: a model on the meta device has no numbers to give
        "2",
        model_with("self.weight * x + self.bias") + "model = model.to('meta')\n",
        "meta_tensor",
        "meta device",
    ),
    Case(
        "2",
        model_with("0.3 * x + 0.9 + 0 * self.weight.detach() + 0 * self.bias.detach()"),
        "hard_coded",
        "its own",
    ),
    # 3. loss, optimizer and the training loop (the issue: zero_grad missing)
    Case("3", "", "correct", "under 0.01", TRAINED),
    Case("3", "", "not attempted", "`loss_fn`", "1 2"),
    Case(
        "3",
        "loss_fn = nn.L1Loss()\noptimizer = 'later'\nepochs = 300",
        "unfinished",
        "exercise 2",
        "1",
    ),
    Case("3", "model = LinearRegressionModel", "a_class", before=TRAINED),
    Case("3", "loss_fn = nn.L1Loss", "loss_class", "nn.L1Loss()", TRAINED),
    Case("3", "loss_fn = nn.MSELoss()", "not_l1", "squares", TRAINED),
    Case("3", "optimizer = torch.optim.SGD", "optimizer_class", "model.parameters()", TRAINED),
    Case("3", "model = LinearRegressionModel()", "other_model", "after the model", TRAINED),
    Case(
        "3", "optimizer = torch.optim.Adam(model.parameters(), lr=0.01)", "not_sgd", "SGD", TRAINED
    ),
    Case(
        "3",
        "optimizer = torch.optim.SGD(model.parameters(), lr=0.1)",
        "learning_rate",
        "0.01",
        TRAINED,
    ),
    Case("3", "model.to('meta')", "device_mismatch", "same device", TRAINED),
    Case("3", "y_train = y_train.squeeze(1)", "broadcast", "different to the input size", TRAINED),
    Case(
        "3",
        "model.forward = lambda x: x.nonexistent()",
        "forward_raises",
        "AttributeError",
        TRAINED,
    ),
    Case(
        "3",
        "import time\nmodel.forward = lambda x: time.sleep(60)",
        "forward_hangs",
        "still running",
        TRAINED,
    ),
    Case("3", "model.forward = lambda x: None", "returns_none", "return", TRAINED),
    Case(
        "3",
        "with torch.no_grad():\n    model.weight.fill_(float('nan'))",
        "diverged",
        "nan",
        TRAINED,
    ),
    Case("3", loop(step=False, backward=False), "not_trained", "never trained", "1 2"),
    Case("3", loop(zero_grad=False), "no_zero_grad", "optimizer.zero_grad()", "1 2"),
    Case("3", loop(epochs=50), "not_converged", "after 50 epochs", "1 2"),
    Case(  # review finding 12: the parameters never moved
        "3",
        loop(step=False),
        "never_stepped",
        "`optimizer.step()` never ran",
        "1 2",
    ),
    Case(
        "3",
        loop(step=False)
        .replace("    pass\n", "")
        .replace(
            "    optimizer.zero_grad()\n", "    optimizer.zero_grad()\n    optimizer.step()\n"
        ),
        "never_stepped",
        "before `loss.backward()`",
        "1 2",
    ),
    Case(  # zero_grad between backward and step: the steps find no gradients
        "3",
        loop(step=False)
        .replace("    pass\n", "")
        .replace("    optimizer.zero_grad()\n", "")
        .replace(
            "    loss.backward()\n",
            "    loss.backward()\n    optimizer.zero_grad()\n    optimizer.step()\n",
        ),
        "never_stepped",
        "before `loss.backward()`",
        "1 2",
    ),
    Case(  # zero_grad after step leaves no gradients on a model that did train
        "3",
        loop(zero_grad=False, epochs=50) + "    optimizer.zero_grad()\n",
        "not_converged",
        "after 50 epochs",
        "1 2",
    ),
    # 4. predictions
    Case("4", "", "correct", "20 predictions", PREDICTED),
    Case("4", "", "not attempted", "`y_preds`", TRAINED),
    Case("4", "model = LinearRegressionModel", "a_class", before=PREDICTED),
    Case("4", "y_preds = y_preds.tolist()", "not_a_tensor", before=PREDICTED),
    Case(
        "4",
        "with torch.inference_mode():\n    y_preds = model(X_train)",
        "other_data",
        "model(X_test)",
        PREDICTED,
    ),
    Case(  # review finding 15: the right numbers, with a word on plotting them
        "4",
        "y_preds = model(X_test)",
        "correct",
        "Can't call numpy() on Tensor that requires grad",
        PREDICTED,
    ),
    Case(  # review finding 4d: NumPy predictions are fine for matplotlib
        "4",
        "with torch.inference_mode():\n    y_preds = model(X_test).cpu().numpy()",
        "correct",
        "NumPy array",
        PREDICTED,
    ),
    Case("4", "y_preds = torch.zeros(20, 2)", "pred_shape", "(20, 2)", PREDICTED),
    Case(
        "4",
        "with torch.inference_mode():\n    y_preds = LinearRegressionModel()(X_test)",
        "not_this_model",
        "trained model",
        PREDICTED,
    ),
    Case("4", "model.forward = lambda x: 1 / 0", "forward_raises", "ZeroDivisionError", PREDICTED),
]
SAVE = "MODEL_PATH = Path('models') / 'm.pt'\nMODEL_PATH.parent.mkdir(exist_ok=True)\n"
LOAD = (
    "loaded_model = LinearRegressionModel()\n"
    "loaded_model.load_state_dict(torch.load(MODEL_PATH, weights_only=True))\n"
    "with torch.inference_mode():\n    loaded_preds = loaded_model(X_test)\n"
)
SAVED = "from pathlib import Path\n" + SAVE + "torch.save(model.state_dict(), MODEL_PATH)\n"
CASES += [
    # 5. save, load, compare
    Case("5", SAVED + LOAD, "correct", "equal the original's exactly", PREDICTED),
    Case("5", "", "not attempted", "`MODEL_PATH`", PREDICTED),
    Case(
        "5",
        "MODEL_PATH = 'nowhere.pt'\n" + LOAD.replace("loaded_model.load", "# "),
        "no_file",
        "torch.save",
        PREDICTED,
    ),
    Case(
        "5",
        "from pathlib import Path\n" + SAVE + "torch.save(nn.Linear(1, 1), MODEL_PATH)\n"
        "loaded_model = model\nloaded_preds = y_preds",
        "whole_model",
        "state_dict",
        PREDICTED,
    ),
    Case(
        "5",
        "from pathlib import Path\n" + SAVE + "torch.save({'w': 1}, MODEL_PATH)\n"
        "loaded_model = model\nloaded_preds = y_preds",
        "not_state_dict",
        before=PREDICTED,
    ),
    Case(
        "5",
        "from pathlib import Path\n"
        + SAVE
        + "torch.save(LinearRegressionModel().state_dict(), MODEL_PATH)\n"
        + LOAD,
        "stale_file",
        "before training",
        PREDICTED,
    ),
    Case(
        "5",
        SAVED + LOAD + "loaded_model = loaded_model.load_state_dict(model.state_dict())",
        "load_result",
        "in place",
        PREDICTED,
    ),
    Case("5", SAVED + LOAD + "loaded_model = LinearRegressionModel", "a_class", before=PREDICTED),
    Case("5", SAVED + LOAD + "loaded_model = 'loaded'", "not_a_model", before=PREDICTED),
    Case("5", SAVED + LOAD + "loaded_model = model", "same_object", "new instance", PREDICTED),
    Case(
        "5",
        SAVED + LOAD + "loaded_model = LinearRegressionModel()",
        "not_loaded",
        "load_state_dict",
        PREDICTED,
    ),
    Case(
        "5", SAVED + LOAD + "loaded_preds = loaded_preds.tolist()", "not_a_tensor", before=PREDICTED
    ),
    Case("5", SAVED + LOAD + "loaded_preds = loaded_preds + 1", "preds_differ", before=PREDICTED),
    Case(  # review finding 2: predictions of the wrong rows, compared before any reshape
        "5",
        SAVED + LOAD + "with torch.inference_mode():\n    loaded_preds = loaded_model(X_train)",
        "other_data",
        "80 rows",
        PREDICTED,
    ),
    Case(
        "5",
        SAVED + LOAD + "with torch.inference_mode():\n    loaded_preds = loaded_model(X_test)[:10]",
        "other_data",
        "10 rows",
        PREDICTED,
    ),
    Case(
        "5",
        SAVED + LOAD + "loaded_preds = loaded_preds.repeat(1, 2)",
        "pred_shape",
        "(20, 2)",
        PREDICTED,
    ),
    Case(
        "5",
        SAVED + LOAD + "loaded_preds = loaded_preds.numpy()",
        "correct",
        before=PREDICTED,
    ),
]

# A learner's cells, run one by one: a cell that raised after it set the names the check reads
# leaves them judged (loss_fn is the class), one that raised before them is explained
CELL_CASES = [
    (
        Case("3", "", "loss_class", "nn.L1Loss()", "1 2"),
        [loop().replace("nn.L1Loss()", "nn.L1Loss")],
    ),
    (
        Case("3", "", "stopped", "has no attribute 'L1loss'", "1 2"),
        [loop(), loop().replace("nn.L1Loss()", "nn.L1loss()")],
    ),
]


@pytest.fixture(autouse=True)
def _in_a_folder_of_its_own(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the solutions save models/ where they run
    monkeypatch.setattr(running, "SECONDS", 1.0)  # an answer that hangs: stopped sooner


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_a_submission_gets_the_message_for_what_it_does(case):
    assert_says(submit(workflow, case), case)


@pytest.mark.parametrize("case, cells", CELL_CASES, ids=[c.id for c, _ in CELL_CASES])
def test_a_cell_that_raised_is_explained_only_when_it_left_the_names_unset(case, cells):
    assert_says(run_cells(workflow, case, cells), case)


def test_every_mistake_a_check_names_is_submitted_by_a_case():
    assert uncovered(workflow, CASES) == []
