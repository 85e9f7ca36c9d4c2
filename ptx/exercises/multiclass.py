"""The checks of the multiclass classification exercise (the course's exercise 7 of 02: the
spirals), one per part of it: `q7a` the data, `q7b` the model, `q7c` the loss and optimizer,
`q7d` training to over 95 %, `q7e` the predictions.

    from ptx.exercises import multiclass as ex
    ex.q7d.check()
"""

from __future__ import annotations

from ptx.exercises import classification as c
from ptx.exercises import classifier_loss
from ptx.exercises.binary import MODEL_MISTAKES, PREDICTION_MISTAKES, TRAIN_NAMES, TRAINING_MISTAKES
from ptx.exercises.classifier_predictions import judge_predictions
from ptx.exercises.classifier_training import judge_training
from ptx.exercises.feedback import Answer, Exercise, Mistake
from ptx.exercises.sets import code, unknown_exercise

__getattr__ = unknown_exercise(__name__)

SPIRALS = c.Task(classes=3, n_train=240, n_test=60, target=0.95)
PARTS = {"model": "part 7b", "X_train": "part 7a", "y_train": "part 7a"}


def _judge_a(a: Answer) -> str:
    y_train = c.judge_data(a, SPIRALS)
    kind = str(y_train.dtype).removeprefix("torch.")
    return (
        f"240 points to train, 60 to test; float32 features and {kind} class numbers shaped "
        "(N,), which CrossEntropyLoss takes (int64, or uint8 as NumPy made them)."
    )


q7a = Exercise(
    label="7a",
    title="the spirals as tensors, split 80/20",
    names={
        "X_train": "the training points as a float32 tensor (240, 2)",
        "X_test": "the test points (60, 2)",
        "y_train": "the training labels: one class number per point",
        "y_test": "the test labels",
    },
    judge=_judge_a,
    mistakes={
        "not_a_tensor": "NumPy arrays left as they came",
        "float64": "float64 features",
        "features": "features not shaped (N, 2)",
        "split_swapped": "20 % to train, 80 % to test",
        "sizes": "another number of samples or split",
        "one_hot": "one-hot float labels",
        "column_labels": "labels shaped (N, 1)",
        "float_labels": "class numbers as floats",
    },
    hints=[
        "`torch.from_numpy(X).type(torch.float32)` and `torch.from_numpy(y).type(torch.int64)`, "
        "then `train_test_split(X, y, test_size=0.2, random_state=42)`.",
        "The labels stay one number per point, shaped (N,).",
    ],
    solution_code=code("""
X = torch.from_numpy(X).type(torch.float32)
y = torch.from_numpy(y).type(torch.int64)  # class numbers: int64 (uint8 would do too)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_test, y_train, y_test = (t.to(device) for t in (X_train, X_test, y_train, y_test))
print(f"X_train {tuple(X_train.shape)}, y_train {tuple(y_train.shape)} {y_train.dtype}")
"""),
)


def _judge_b(a: Answer) -> str:
    return c.model_notice(c.judge_model(a, SPIRALS), SPIRALS)


q7b = Exercise(
    label="7b",
    title="a model capable of fitting the spirals",
    names={"model": "an instance of your `nn.Module` subclass, on `device`"},
    uses={"X_test": "part 7a"},
    judge=_judge_b,
    mistakes={
        **MODEL_MISTAKES,
        "out_features": "not one output per class",
        "softmax_inside": "a softmax at the end of the model",
    },
    hints=[
        "Two features in, three logits out, `nn.ReLU()` between `nn.Linear` layers.",
        "`2 -> 10 -> 10 -> 10 -> 3` with ReLU works.",
    ],
    solution_code=code("""
class SpiralModel(nn.Module):
    def __init__(self, in_features=2, hidden=10, out_features=3):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(in_features, hidden),
            nn.ReLU(),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Linear(hidden, out_features),
        )

    def forward(self, x):
        return self.layers(x)


torch.manual_seed(42)
model = SpiralModel().to(device)
model.eval()
with torch.inference_mode():
    y_logits = model(X_test[:3])
y_probs = torch.softmax(y_logits, dim=1)
print("logits:\\n", y_logits)
print("probabilities:\\n", y_probs)
print("labels:", y_probs.argmax(dim=1), "true:", y_test[:3])
"""),
)


q7c = Exercise(
    label="7c",
    title="a loss function and an optimizer for several classes",
    names={
        "loss_fn": "a multiclass loss",
        "optimizer": "an optimizer over the model's parameters (Adam is the course's extension)",
    },
    uses={"model": "part 7b", "X_test": "part 7a"},
    judge=lambda a: classifier_loss.judge_loss(a, SPIRALS),
    mistakes={
        "a_class": "the model class instead of an instance",
        "loss_class": "the loss class without brackets",
        "nll_on_logits": "NLLLoss given logits",
        "not_cross_entropy": "a binary or regression loss",
        "optimizer_class": "the optimizer class, or not an optimizer",
        "other_model": "an optimizer over another model's parameters",
    },
    hints=[
        "One logit per class and class numbers as targets: which loss takes those?",
        "`nn.CrossEntropyLoss()` and `torch.optim.Adam(model.parameters(), lr=0.001)`.",
    ],
    solution_code=code("""
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
"""),
)


def _judge_d(a: Answer) -> str:
    for name, value in a.namespace.items():
        classes = getattr(value, "num_classes", None)
        if type(value).__module__.startswith("torchmetrics") and classes not in (None, 3):
            raise Mistake(
                "metric_classes",
                f"`{name}` is a TorchMetrics metric for {classes} classes; the spirals have 3. "
                "With the default averaging the number can come out right by luck, and wrong "
                "with per-class averages: `Accuracy(task='multiclass', num_classes=3)`.",
            )
    return judge_training(a, SPIRALS)


q7d = Exercise(
    label="7d",
    title="a training loop to over 95 %",
    names={"test_acc": "the test accuracy your loop measured last (a fraction or a percentage)"},
    uses=TRAIN_NAMES | {"loss_fn": "part 7c"},
    judge=_judge_d,
    mistakes={
        **{k: v for k, v in TRAINING_MISTAKES.items() if k != "acc_rounded_logits"},
        "metric_classes": "Accuracy(num_classes=4) for 3 classes",
    },
    hints=[
        "Full batch: each epoch a train step on the 240 points; every 10 epochs, the test "
        "accuracy under `torch.inference_mode()`, from `test_logits.argmax(dim=1)`.",
        "Adam at 0.001 passes 95 % after about 1,300 epochs; at 0.02 in a few hundred.",
    ],
    solution_code=code("""
accuracy = Accuracy(task="multiclass", num_classes=3).to(device)
epochs = 2000
evaluated, test_accs = [], []
for epoch in range(1, epochs + 1):
    model.train()
    y_logits = model(X_train)
    loss = loss_fn(y_logits, y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    if epoch % 10 == 0:
        model.eval()
        with torch.inference_mode():
            test_logits = model(X_test)
            test_loss = loss_fn(test_logits, y_test)
            test_acc = accuracy(test_logits, y_test)
        evaluated.append(epoch)
        test_accs.append(test_acc)
        if epoch % 100 == 0:
            train_acc = accuracy(y_logits, y_train)
            print(
                f"epoch {epoch:>4} | train loss {loss:.4f}, acc {train_acc:.3f} "
                f"| test loss {test_loss:.4f}, acc {test_acc:.3f}"
            )

test_accs = torch.stack(test_accs).cpu()
test_acc_at_1000 = test_accs[evaluated.index(1000)].item()
first_95 = evaluated[int((test_accs >= 0.95).nonzero()[0])]
# the same, counting only the lines printed every 100 epochs, as a reader of the printout does
at_95 = (test_accs >= 0.95).tolist()
first_95_printed = next(e for e, hit in zip(evaluated, at_95, strict=True) if e % 100 == 0 and hit)
final_test_acc = test_accs[-1].item()
print(f"test accuracy {test_acc_at_1000:.3f} at epoch 1000, first >= 0.95 at epoch {first_95}")
print(f"among the lines printed every 100 epochs, first >= 0.95 at epoch {first_95_printed}")
print(f"final test accuracy {final_test_acc:.3f}")
"""),
)


q7e = Exercise(
    label="7e",
    title="predictions and the decision boundaries",
    names={"y_preds": "the trained model's class numbers for `X_test`"},
    uses={"model": "part 7d", "X_train": "part 7a", "X_test": "part 7a"},
    judge=lambda a: judge_predictions(a, SPIRALS),
    mistakes={
        **{
            k: v
            for k, v in PREDICTION_MISTAKES.items()
            if k not in ("probabilities", "double_sigmoid", "rounded_logits", "logits")
        },
        "per_class": "logits or probabilities instead of class numbers",
        "argmax_dim0": "argmax(dim=0)",
        "rounded_probability": "the rounded largest probability instead of its class",
    },
    hints=[
        "Under `torch.inference_mode()`: the logits, then `argmax(dim=1)`.",
        "`ptx.plot_decision_boundary(model, X_test, y_test)` leaves the model where it was.",
    ],
    solution_code=code("""
model.eval()
with torch.inference_mode():
    y_preds = model(X_test).argmax(dim=1)  # the class of the largest logit

fig, (ax_train, ax_test) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
ptx.plot_decision_boundary(model, X_train, y_train, ax=ax_train, resolution=100)
ptx.plot_decision_boundary(model, X_test, y_test, ax=ax_test, resolution=100)
ax_train.set_title("Train")
ax_test.set_title(f"Test: accuracy {final_test_acc:.1%}")
fig.suptitle("Spirals, 2-10-10-10-3 after 2000 epochs of Adam at 0.001: decision boundary")
plt.show()
"""),
)
