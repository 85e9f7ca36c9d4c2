"""The checks of the classification exercises (ptx.exercises.binary, ptx.exercises.multiclass),
both ways: the solutions pass, other models that meet the course's target pass, and each
mistake a check names gets its own message (among them the issue's: BCELoss given logits,
CrossEntropyLoss given one-hot floats, accuracy given probabilities, a test accuracy below the
target, zero_grad missing, the model on another device than the data)."""

from __future__ import annotations

import pytest

from ptx.exercises import binary, multiclass, running
from tests.support.exercise_submissions import PREAMBLE, Case, assert_says, submit, uncovered

CLASSIFICATION = (
    PREAMBLE
    + """
from sklearn.datasets import make_moons
from sklearn.model_selection import train_test_split
from torchmetrics import Accuracy
"""
)
SPIRALS = (
    CLASSIFICATION
    + """
np.random.seed(42)
N, D, K = 100, 2, 3
X = np.zeros((N * K, D))
y = np.zeros(N * K, dtype="uint8")
for j in range(K):
    ix = range(N * j, N * (j + 1))
    r = np.linspace(0.0, 1, N)
    t = np.linspace(j * 4, (j + 1) * 4, N) + np.random.randn(N) * 0.2
    X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
    y[ix] = j
"""
)
MOONS = """
X, y = make_moons(n_samples=1000, noise=0.03, random_state=42)
X, y = torch.from_numpy(X).type(torch.float32), torch.from_numpy(y).type(torch.float32)
X_train, X_test, y_train, y_test = train_test_split(X, y.unsqueeze(1), test_size=0.2, random_state=42)
"""


def net(outputs: int, end: str = "", activation: str = "nn.ReLU(),") -> str:
    """A small model as a learner might write it, with nn.Sequential."""
    return (
        "torch.manual_seed(42)\n"
        f"model = nn.Sequential(nn.Linear(2, 10), {activation} nn.Linear(10, 10), {activation}"
        f" nn.Linear(10, {outputs}){end})\n"
    )


def train(epochs: int, zero_grad: bool = True, lr: float = 0.1, optimizer: str = "SGD") -> str:
    return (
        f"optimizer = torch.optim.{optimizer}(model.parameters(), lr={lr})\n"
        f"for epoch in range({epochs}):\n"
        "    loss = loss_fn(model(X_train), y_train)\n"
        + ("    optimizer.zero_grad()\n" if zero_grad else "")
        + "    loss.backward()\n    optimizer.step()\n"
        "with torch.inference_mode():\n"
        "    test_acc = ((model(X_test) > 0).float() == y_test).float().mean()\n"
    )


BINARY_CASES = [
    # 1. the data
    Case("1", "", "correct", "800 points to train", "1"),
    Case("1", MOONS.replace("y.unsqueeze(1)", "y"), "correct", "squeeze the logits"),
    Case("1", "", "not attempted", "`X_train`"),
    Case("1", MOONS + "X_train = X_train.numpy()", "not_a_tensor", "torch.from_numpy"),
    Case("1", MOONS + "X_train = X_train.double()", "float64", "same dtype"),
    Case(
        "1", MOONS + "X_train = torch.cat([X_train, X_train[:, :1]], dim=1)", "features", "(N, 2)"
    ),
    Case("1", MOONS.replace("test_size=0.2", "test_size=0.8"), "split_swapped", "other way round"),
    Case("1", MOONS.replace("1000", "500"), "sizes", "800 and 200"),
    Case("1", MOONS + "y_train = y_train.long()", "integer_labels", "can't be cast"),
    Case("1", MOONS + "y_train = 2 * y_train", "not_labels"),
    # 2. the model (the learner's note: out_features=2 for a binary label)
    Case("2", "", "correct", "One logit per point", "1 2"),
    Case("2", net(1), "correct", before="1"),
    Case("2", "", "not attempted", "`model`", "1"),
    Case("2", "model = nn.Linear", "a_class", "model = Linear()", "1"),
    Case("2", "model = 'moons'", "not_a_model", before="1"),
    Case("2", net(1) + "X_test = X_test.numpy()", "not_a_tensor", before="1"),
    Case("2", net(1) + "model.to('meta')", "device_mismatch", "same device", "1"),
    Case(
        "2",
        net(1).replace("nn.Linear(2, 10)", "nn.Linear(3, 10)"),
        "in_features",
        "in_features=2",
        "1",
    ),
    Case("2", net(2), "two_outputs", "out_features=1", "1"),
    Case("2", net(3), "out_features", "(8, 1)", "1"),
    Case("2", net(1, activation=""), "straight_line", "nn.ReLU()", "1"),
    Case(
        "2",
        net(1) + "model.forward = lambda x: x.nonexistent()",
        "forward_raises",
        "AttributeError",
        "1",
    ),
    Case(
        "2",
        net(1) + "import time\nmodel.forward = lambda x: time.sleep(60)",
        "forward_hangs",
        "still running",
        "1",
    ),
    Case("2", net(1) + "model.forward = lambda x: None", "returns_none", "return", "1"),
    # 3. loss and optimizer (the issue: BCELoss given logits)
    Case("3", "", "correct", "BCEWithLogitsLoss", "1 2 3"),
    Case(
        "3",
        net(1, ", nn.Sigmoid()") + "loss_fn = nn.BCELoss()\n"
        "optimizer = torch.optim.SGD(model.parameters(), lr=0.1)",
        "correct",
        "BCELoss",
        "1",
    ),
    Case("3", "model = MoonModel", "a_class", before="1 2 3"),
    Case("3", "loss_fn = nn.BCEWithLogitsLoss", "loss_class", "nn.BCEWithLogitsLoss()", "1 2 3"),
    Case("3", "loss_fn = nn.CrossEntropyLoss()", "cross_entropy", "always 1", "1 2 3"),
    Case("3", "loss_fn = nn.BCELoss()", "bce_on_logits", "between 0 and 1", "1 2 3"),
    Case(
        "3",
        net(1, ", nn.Sigmoid()") + "loss_fn = nn.BCEWithLogitsLoss()\n"
        "optimizer = torch.optim.SGD(model.parameters(), lr=0.1)",
        "double_sigmoid",
        "applies another",
        "1",
    ),
    Case("3", "loss_fn = nn.MSELoss()", "not_binary_loss", before="1 2 3"),
    Case("3", "optimizer = torch.optim.SGD", "optimizer_class", before="1 2 3"),
    Case("3", "model = MoonModel()", "other_model", "after the model", "1 2 3"),
    Case("3", "model.forward = lambda x: 1 / 0", "forward_raises", before="1 2 3"),
    # 4. training to over 96 % (the issue: accuracy given probabilities; below the target)
    Case("4", "", "correct", "over the course's 96%", "1 2 3 4"),
    Case("4", "test_acc = 100 * test_acc", "correct", "percentage", "1 2 3 4"),
    Case(
        "4",
        net(1) + "loss_fn = nn.BCEWithLogitsLoss()\n" + train(150, optimizer="Adam", lr=0.03),
        "correct",
        before="1",
    ),
    Case("4", "", "not attempted", "`test_acc`", "1 2 3"),
    Case("4", "model = MoonModel", "a_class", before="1 2 3 4"),
    Case("4", "X_test = X_test.numpy()", "not_a_tensor", before="1 2 3 4"),
    Case("4", "model.to('meta')", "device_mismatch", before="1 2 3 4"),
    Case("4", "test_acc = 0.5", "not_trained", "never trained", "1 2 3"),
    Case("4", train(600, zero_grad=False), "no_zero_grad", "optimizer.zero_grad()", "1 2 3"),
    Case("4", train(50), "below_target", "over 96%", "1 2 3"),
    Case("4", "test_acc = '99 %'", "acc_not_a_number", before="1 2 3 4"),
    Case(
        "4",
        "with torch.inference_mode():\n"
        "    test_acc = (torch.sigmoid(model(X_test)) == y_test).float().mean()",
        "acc_from_probabilities",
        "torch.round(torch.sigmoid(test_logits))",
        "1 2 3 4",
    ),
    Case(
        "4",
        "with torch.inference_mode():\n"
        "    test_acc = (torch.round(model(X_test)) == y_test).float().mean()",
        "acc_rounded_logits",
        "not 0 and 1",
        "1 2 3 4",
    ),
    Case(
        "4",
        "with torch.inference_mode():\n"
        "    test_acc = ((model(X_train) > 0).float() == y_train).float().mean()",
        "acc_on_train",
        "training data",
        "1 2 3 4",
    ),
    Case("4", "test_accs = [0.5]\ntest_acc = test_accs[0]", "acc_differs", before="1 2 3 4"),
    Case("4", "model.forward = lambda x: 1 / 0", "forward_raises", before="1 2 3 4"),
    # 5. predictions (and the course helper that moves the model to the CPU)
    Case("5", "", "correct", "200 labels", "1 2 3 4 5"),
    Case("5", "", "not attempted", "`y_preds`", "1 2 3 4"),
    Case("5", "model = MoonModel", "a_class", before="1 2 3 4 5"),
    Case("5", "model.to('meta')", "model_moved", "plot_decision_boundary", "1 2 3 4 5"),
    Case("5", "y_preds = y_preds.tolist()", "not_a_tensor", before="1 2 3 4 5"),
    Case(
        "5",
        "with torch.inference_mode():\n    y_preds = torch.round(torch.sigmoid(model(X_train)))",
        "other_data",
        before="1 2 3 4 5",
    ),
    Case(
        "5",
        "with torch.inference_mode():\n    y_preds = torch.sigmoid(model(X_test))",
        "probabilities",
        "torch.round",
        "1 2 3 4 5",
    ),
    Case(
        "5",
        "with torch.inference_mode():\n    y_preds = torch.round(model(X_test))",
        "rounded_logits",
        "sigmoid comes first",
        "1 2 3 4 5",
    ),
    Case(
        "5",
        "with torch.inference_mode():\n    y_preds = model(X_test)",
        "logits",
        before="1 2 3 4 5",
    ),
    Case("5", "y_preds = 1 - y_preds", "not_this_model", before="1 2 3 4 5"),
    Case("5", "model.forward = lambda x: 1 / 0", "forward_raises", before="1 2 3 4 5"),
    # 6. tanh by hand
    Case("6", "", "correct", "nan", "6"),
    Case("6", "def tanh(x):\n    return 2 * torch.sigmoid(2 * x) - 1", "correct", "stays finite"),
    Case("6", "tanh = 3", "not_a_function"),
    Case("6", "tanh = torch.tanh", "uses_torch_tanh", "torch.exp"),
    Case("6", "def tanh(x):\n    return x.tanh()", "uses_torch_tanh", "calls `torch.tanh`"),
    Case("6", "def tanh(x):\n    raise ValueError('not yet')", "raises", "ValueError: not yet"),
    Case("6", "def tanh(x):\n    while True:\n        pass", "hangs", "still running"),
    Case(
        "6",
        "import math\ndef tanh(x):\n    return (math.exp(x) - math.exp(-x)) / "
        "(math.exp(x) + math.exp(-x))",
        "python_math",
        "torch.exp",
    ),
    Case(
        "6",
        "def tanh(x):\n    e, f = x.exp_(), (-x).exp()\n    return (e - f) / (e + f)",
        "changes_input",
        "in place",
    ),
    Case("6", "def tanh(x):\n    y = torch.exp(x)", "returns_none", "return"),
    Case("6", "def tanh(x):\n    return 1 / (1 + torch.exp(-x))", "sigmoid", "(-1, 1)"),
    Case(
        "6",
        "def tanh(x):\n    return (torch.exp(x) + torch.exp(-x)) / (torch.exp(x) - torch.exp(-x))",
        "upside_down",
        "upside down",
    ),
    Case(
        "6",
        "def tanh(x):\n    return (torch.exp(x) - torch.exp(-x)) / 2",
        "wrong_values",
        "differs",
    ),
]

FAST = (  # a model that meets the target in a few hundred steps (the course's own solution)
    "torch.manual_seed(42)\n"
    "model = nn.Sequential(nn.Linear(2, 10), nn.ReLU(), nn.Linear(10, 10), nn.ReLU(),"
    " nn.Linear(10, 3))\n"
    "loss_fn = nn.CrossEntropyLoss()\n"
    "optimizer = torch.optim.Adam(model.parameters(), lr=0.02)\n"
    "for epoch in range({epochs}):\n"
    "    loss = loss_fn(model(X_train), y_train)\n"
    "{zero}"
    "    loss.backward()\n"
    "    optimizer.step()\n"
    "with torch.inference_mode():\n"
    "    test_acc = (model(X_test).argmax(dim=1) == y_test).float().mean()\n"
)
TRAINED = FAST.format(epochs=300, zero="    optimizer.zero_grad()\n")
PREDICTED = TRAINED + "with torch.inference_mode():\n    y_preds = model(X_test).argmax(dim=1)\n"
SPLIT = """
X_t, y_t = torch.from_numpy(X).type(torch.float32), torch.from_numpy(y).type(torch.int64)
X_train, X_test, y_train, y_test = train_test_split(X_t, y_t, test_size=0.2, random_state=42)
"""
MULTICLASS_CASES = [
    # 7a. the data (the issue: CrossEntropyLoss given one-hot floats)
    Case("7a", "", "correct", "int64", "7a"),
    Case("7a", SPLIT.replace("torch.int64", "torch.uint8"), "correct", "uint8"),
    Case("7a", "", "not attempted", "`X_train`"),
    Case("7a", SPLIT + "X_train = X_train.numpy()", "not_a_tensor"),
    Case("7a", SPLIT + "X_train = X_train.double()", "float64", "float32"),
    Case("7a", SPLIT + "X_train = X_train[:, :1]", "features"),
    Case("7a", SPLIT.replace("test_size=0.2", "test_size=0.8"), "split_swapped"),
    Case("7a", SPLIT + "X_train, y_train = X_train[:200], y_train[:200]", "sizes", "240 and 60"),
    Case(
        "7a", SPLIT + "y_train = nn.functional.one_hot(y_train, 3).float()", "one_hot", "same loss"
    ),
    Case("7a", SPLIT + "y_train = y_train.unsqueeze(1)", "column_labels", "multi-target"),
    Case("7a", SPLIT + "y_train = y_train.float()", "float_labels", "Long or Byte"),
    # 7b. the model
    Case("7b", "", "correct", "Three logits", "7a 7b"),
    Case("7b", net(3), "correct", before="7a"),
    Case("7b", "", "not attempted", "`model`", "7a"),
    Case("7b", "model = nn.Linear", "a_class", before="7a"),
    Case("7b", "model = 3", "not_a_model", before="7a"),
    Case("7b", net(3) + "X_test = X_test.numpy()", "not_a_tensor", before="7a"),
    Case("7b", net(3) + "model.to('meta')", "device_mismatch", before="7a"),
    Case("7b", net(3).replace("nn.Linear(2, 10)", "nn.Linear(4, 10)"), "in_features", before="7a"),
    Case("7b", net(4), "out_features", "3 classes", "7a"),
    Case("7b", net(3, activation=""), "straight_line", "nn.ReLU()", "7a"),
    Case("7b", net(3, ", nn.Softmax(dim=1)"), "softmax_inside", "logits", "7a"),
    Case("7b", net(3) + "model.forward = lambda x: 1 / 0", "forward_raises", before="7a"),
    Case(
        "7b",
        net(3) + "import time\nmodel.forward = lambda x: time.sleep(60)",
        "forward_hangs",
        before="7a",
    ),
    Case("7b", net(3) + "model.forward = lambda x: None", "returns_none", before="7a"),
    # 7c. loss and optimizer
    Case("7c", "", "correct", "CrossEntropyLoss", "7a 7b 7c"),
    Case("7c", "model = SpiralModel", "a_class", before="7a 7b 7c"),
    Case("7c", "loss_fn = nn.CrossEntropyLoss", "loss_class", before="7a 7b 7c"),
    Case("7c", "loss_fn = nn.NLLLoss()", "nll_on_logits", "log_softmax", "7a 7b 7c"),
    Case("7c", "loss_fn = nn.BCEWithLogitsLoss()", "not_cross_entropy", before="7a 7b 7c"),
    Case("7c", "optimizer = torch.optim.Adam", "optimizer_class", before="7a 7b 7c"),
    Case("7c", "model = SpiralModel()", "other_model", before="7a 7b 7c"),
    # 7d. training to over 95 %
    Case("7d", TRAINED, "correct", "over the course's 95%", "7a"),
    Case("7d", "", "not attempted", "`test_acc`", "7a 7b 7c"),
    Case("7d", TRAINED + "model = nn.Sequential", "a_class", before="7a"),
    Case("7d", TRAINED + "X_test = X_test.numpy()", "not_a_tensor", before="7a"),
    Case("7d", TRAINED + "model.to('meta')", "device_mismatch", before="7a"),
    Case("7d", "test_acc = 0.3", "not_trained", before="7a 7b 7c"),
    Case("7d", FAST.format(epochs=300, zero=""), "no_zero_grad", "zero_grad", "7a"),
    Case(
        "7d",
        FAST.format(epochs=20, zero="    optimizer.zero_grad()\n"),
        "below_target",
        "over 95%",
        "7a",
    ),
    Case("7d", TRAINED + "test_acc = None or 'high'", "acc_not_a_number", before="7a"),
    Case(
        "7d",
        TRAINED + "with torch.inference_mode():\n"
        "    test_acc = (torch.softmax(model(X_test), dim=1).max(dim=1).values == y_test)"
        ".float().mean()",
        "acc_from_probabilities",
        "argmax(dim=1)",
        "7a",
    ),
    Case(
        "7d",
        TRAINED + "with torch.inference_mode():\n"
        "    test_acc = (model(X_train).argmax(dim=1) == y_train).float().mean()",
        "acc_on_train",
        before="7a",
    ),
    Case("7d", TRAINED + "test_acc = 0.5", "acc_differs", before="7a"),
    Case("7d", TRAINED + "model.forward = lambda x: 1 / 0", "forward_raises", before="7a"),
    Case(
        "7d",
        TRAINED + "accuracy = Accuracy(task='multiclass', num_classes=4)",
        "metric_classes",
        "num_classes=3",
        "7a",
    ),
    # 7e. predictions
    Case("7e", PREDICTED, "correct", "60 labels", "7a"),
    Case("7e", TRAINED, "not attempted", "`y_preds`", "7a"),
    Case("7e", PREDICTED + "model = nn.Sequential", "a_class", before="7a"),
    Case("7e", PREDICTED + "model.to('meta')", "model_moved", "ptx.plot_decision_boundary", "7a"),
    Case("7e", PREDICTED + "y_preds = y_preds.tolist()", "not_a_tensor", before="7a"),
    Case("7e", PREDICTED + "y_preds = y_preds[:30]", "other_data", before="7a"),
    Case(
        "7e",
        PREDICTED + "with torch.inference_mode():\n"
        "    y_preds = torch.softmax(model(X_test), dim=1)",
        "per_class",
        "argmax(dim=1)",
        "7a",
    ),
    Case(
        "7e",
        PREDICTED + "with torch.inference_mode():\n    y_preds = model(X_test).argmax(dim=0)",
        "argmax_dim0",
        "dim=1",
        "7a",
    ),
    Case("7e", PREDICTED + "y_preds = (y_preds + 1) % 3", "not_this_model", before="7a"),
    Case("7e", PREDICTED + "model.forward = lambda x: 1 / 0", "forward_raises", before="7a"),
]


@pytest.fixture(autouse=True)
def _hangs_stopped_sooner(monkeypatch):
    monkeypatch.setattr(running, "SECONDS", 1.0)


@pytest.mark.parametrize("case", BINARY_CASES, ids=lambda c: c.id)
def test_a_binary_submission_gets_the_message_for_what_it_does(case):
    assert_says(submit(binary, case, CLASSIFICATION), case)


@pytest.mark.parametrize("case", MULTICLASS_CASES, ids=lambda c: c.id)
def test_a_multiclass_submission_gets_the_message_for_what_it_does(case):
    assert_says(submit(multiclass, case, SPIRALS), case)


def test_every_mistake_a_check_names_is_submitted_by_a_case():
    assert uncovered(binary, BINARY_CASES) == []
    assert uncovered(multiclass, MULTICLASS_CASES) == []
