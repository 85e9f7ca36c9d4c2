"""The checks of the binary classification exercises (the course's exercises 1 to 6 of 02:
moons and tanh).

    from ptx.exercises import binary as ex
    ex.q4.check()
"""

from __future__ import annotations

from ptx.exercises import classification as c
from ptx.exercises import classifier_loss
from ptx.exercises.classifier_predictions import judge_predictions
from ptx.exercises.classifier_training import judge_training
from ptx.exercises.feedback import Answer, Exercise
from ptx.exercises.sets import code, unknown_exercise
from ptx.exercises.tanh import q6

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6"]
__getattr__ = unknown_exercise(__name__)

MOONS = c.Task(classes=2, n_train=800, n_test=200, target=0.96)
MODEL_MISTAKES = {
    "a_class": "the model class instead of an instance",
    "not_a_model": "something that is not an nn.Module",
    "device_mismatch": "the model and the data on different devices",
    "in_features": "a first layer that does not take 2 features",
    "out_features": "another output shape",
    "straight_line": "no activation: a straight line",
    "forward_raises": "a forward pass that raises",
    "forward_hangs": "a forward pass that never ends",
    "returns_none": "forward without return",
    "not_a_tensor": "a value that is not a tensor",
}
TRAIN_NAMES = {
    "model": "exercise 2",
    "X_train": "exercise 1",
    "y_train": "exercise 1",
    "X_test": "exercise 1",
    "y_test": "exercise 1",
}


def _judge_1(a: Answer) -> str:
    y_train = c.judge_data(a, MOONS)
    shape = "(N, 1), like the model's output" if y_train.ndim == 2 else "(N,): squeeze the logits"
    return (
        f"800 points to train, 200 to test, float32 features and float labels shaped {shape}. "
        "`train_test_split` with `random_state=42` gives everyone the same split."
    )


q1 = Exercise(
    label="1",
    title="a binary classification data set",
    names={
        "X_train": "the moons' training points as a float32 tensor (800, 2)",
        "X_test": "the test points (200, 2)",
        "y_train": "the training labels as floats",
        "y_test": "the test labels",
    },
    judge=_judge_1,
    mistakes={
        "not_a_tensor": "NumPy arrays left as they came",
        "float64": "float64 features",
        "features": "features not shaped (N, 2)",
        "split_swapped": "20 % to train, 80 % to test",
        "sizes": "another number of samples or split",
        "integer_labels": "integer labels, which BCEWithLogitsLoss refuses",
        "not_labels": "labels other than 0 and 1",
    },
    hints=[
        "`make_moons(n_samples=1000, noise=0.03, random_state=42)`, then `torch.from_numpy(...)` "
        "and `.type(torch.float32)`, then `train_test_split(X, y, test_size=0.2, random_state=42)`.",
        "`y = torch.from_numpy(y).type(torch.float32).unsqueeze(1)` makes the labels (N, 1).",
    ],
    solution_code=code("""
X, y = make_moons(n_samples=1000, noise=0.03, random_state=42)
X = torch.from_numpy(X).type(torch.float32)  # NumPy's float64 -> the float32 of the weights
y = torch.from_numpy(y).type(torch.float32).unsqueeze(1)  # (1000, 1), like the model's output
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_test, y_train, y_test = (t.to(device) for t in (X_train, X_test, y_train, y_test))
print(
    f"X_train {tuple(X_train.shape)}, X_test {tuple(X_test.shape)}, y_train {tuple(y_train.shape)}"
)
"""),
)


def _judge_2(a: Answer) -> str:
    return c.model_notice(c.judge_model(a, MOONS), MOONS)


q2 = Exercise(
    label="2",
    title="a model that can bend",
    names={"model": "an instance of your `nn.Module` subclass, on `device`"},
    uses={"X_test": "exercise 1"},
    judge=_judge_2,
    mistakes=MODEL_MISTAKES,
    hints=[
        "Two features in, one logit out, and `nn.ReLU()` between `nn.Linear` layers.",
        "`Linear(2, 10) -> ReLU -> Linear(10, 10) -> ReLU -> Linear(10, 1)`.",
    ],
    solution_code=code("""
class MoonModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer_1 = nn.Linear(in_features=2, out_features=10)
        self.layer_2 = nn.Linear(in_features=10, out_features=10)
        self.layer_3 = nn.Linear(in_features=10, out_features=1)  # one logit per sample
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.layer_3(self.relu(self.layer_2(self.relu(self.layer_1(x)))))


torch.manual_seed(42)
model = MoonModel().to(device)

model.eval()
with torch.inference_mode():
    y_logits = model(X_test[:5])
y_probs = torch.sigmoid(y_logits)  # logits -> probabilities of class 1
y_pred = torch.round(y_probs)  # probabilities -> labels 0. or 1.
print("logits:       ", y_logits.squeeze(1))
print("probabilities:", y_probs.squeeze(1))
print("labels:       ", y_pred.squeeze(1))
print("true labels:  ", y_test[:5].squeeze(1))
"""),
)


q3 = Exercise(
    label="3",
    title="a loss function and an optimizer",
    names={
        "loss_fn": "a binary classification loss",
        "optimizer": "an optimizer over the model's parameters",
    },
    uses={"model": "exercise 2", "X_test": "exercise 1"},
    judge=lambda a: classifier_loss.judge_loss(a, MOONS),
    mistakes={
        "a_class": "the model class instead of an instance",
        "loss_class": "the loss class without brackets",
        "cross_entropy": "CrossEntropyLoss with one output",
        "two_outputs": "two logits per point (out_features=2) with a loss for one",
        "nll_on_logits": "NLLLoss on two logits per point",
        "bce_on_logits": "BCELoss given logits",
        "double_sigmoid": "BCEWithLogitsLoss after a sigmoid in the model",
        "not_binary_loss": "a regression loss or another",
        "optimizer_class": "the optimizer class, or not an optimizer",
        "other_model": "an optimizer over another model's parameters",
        "forward_raises": "a forward pass that raises",
    },
    hints=[
        "The model gives logits: which loss takes logits and applies the sigmoid itself?",
        "`nn.BCEWithLogitsLoss()` and `torch.optim.SGD(model.parameters(), lr=0.1)`.",
    ],
    solution_code=code("""
loss_fn = nn.BCEWithLogitsLoss()  # takes logits: sigmoid and binary cross-entropy in one
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
"""),
)

TRAINING_MISTAKES = {
    "a_class": "the model class instead of an instance",
    "not_a_tensor": "data that are not tensors",
    "device_mismatch": "the model and the data on different devices",
    "diverged": "a learning rate so large that training diverged (nan, or a loss that grew)",
    "not_trained": "a model never trained",
    "never_stepped": "optimizer.step() missing, or called before backward()",
    "no_zero_grad": "zero_grad missing: the loss stops going down",
    "below_target": "a test accuracy below the course's target",
    "acc_not_a_number": "test_acc that is not a number",
    "acc_from_probabilities": "accuracy given probabilities or logits",
    "acc_rounded_logits": "accuracy of rounded logits",
    "acc_not_labels": "an accuracy that more than one wrong comparison explains",
    "acc_on_train": "the training accuracy as test_acc",
    "no_eval": "test accuracy of a dropout model measured without model.eval()",
    "acc_differs": "a test_acc that is not the model's",
    "forward_raises": "a forward pass that raises",
}


q4 = Exercise(
    label="4",
    title="a training loop to over 96 %",
    names={"test_acc": "the test accuracy your loop measured last (a fraction or a percentage)"},
    uses=TRAIN_NAMES | {"loss_fn": "exercise 3"},
    judge=lambda a: judge_training(a, MOONS),
    mistakes=TRAINING_MISTAKES,
    hints=[
        "Each epoch: train step on all 800 points; every 10 epochs, the test loss and accuracy "
        "under `torch.inference_mode()`. Accuracy needs labels: `torch.round(torch.sigmoid(...))`.",
        "600 epochs of SGD at 0.1 pass 96 %; Adam at 0.03 gets there in about 100.",
    ],
    solution_code=code("""
accuracy = Accuracy(task="binary").to(device)
epochs = 600
test_accs = []
for epoch in range(1, epochs + 1):
    model.train()
    y_logits = model(X_train)
    loss = loss_fn(y_logits, y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    if epoch % 10 == 0:
        train_acc = accuracy(torch.sigmoid(y_logits), y_train)
        model.eval()
        with torch.inference_mode():
            test_logits = model(X_test)
            test_loss = loss_fn(test_logits, y_test)
            test_acc = accuracy(torch.sigmoid(test_logits), y_test)
        test_accs.append(test_acc.item())
        print(
            f"epoch {epoch:>3} | train loss {loss:.4f}, acc {train_acc:.3f} "
            f"| test loss {test_loss:.4f}, acc {test_acc:.3f}"
        )

first_96 = 10 * next(i + 1 for i, acc in enumerate(test_accs) if acc > 0.96)
final_test_acc = test_accs[-1]
print(f"test accuracy first above 0.96 at epoch {first_96}, {final_test_acc:.3f} after {epochs}")
"""),
)

PREDICTION_MISTAKES = {
    "a_class": "the model class instead of an instance",
    "model_moved": "the model moved off the data's device by plotting",
    "not_a_tensor": "predictions that are not a tensor",
    "other_data": "predictions of other points",
    "per_class": "two numbers per point from a two-logit model, not labels",
    "pred_shape": "predictions of another shape than one per point",
    "diverged": "labels of a model whose training diverged",
    "probabilities": "probabilities instead of labels",
    "double_sigmoid": "a second sigmoid on a model that ends in one",
    "rounded_logits": "rounded logits instead of labels",
    "logits": "logits instead of labels",
    "no_eval": "labels of a dropout model left in training mode",
    "not_this_model": "labels of another or untrained model",
    "forward_raises": "a forward pass that raises",
}

q5 = Exercise(
    label="5",
    title="predictions and the decision boundary",
    names={"y_preds": "the trained model's labels (0. or 1.) for `X_test`"},
    uses={"model": "exercise 4", "X_train": "exercise 1", "X_test": "exercise 1"},
    judge=lambda a: judge_predictions(a, MOONS),
    mistakes=PREDICTION_MISTAKES,
    hints=[
        "Under `torch.inference_mode()`: logits, then `torch.sigmoid`, then `torch.round`.",
        "`ptx.plot_decision_boundary(model, X_test, y_test)` draws the boundary and leaves the "
        "model where it was.",
    ],
    solution_code=code("""
model.eval()
with torch.inference_mode():
    y_preds = torch.round(torch.sigmoid(model(X_test)))  # labels of the test points

fig, (ax_train, ax_test) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
ptx.plot_decision_boundary(model, X_train, y_train, ax=ax_train, resolution=100)
ptx.plot_decision_boundary(model, X_test, y_test, ax=ax_test, resolution=100)
ax_train.set_title("Train")
ax_test.set_title(f"Test: accuracy {final_test_acc:.1%}")
fig.suptitle("Moons, 2-10-10-1 after 600 epochs of SGD at 0.1: decision boundary")
plt.show()
"""),
)
