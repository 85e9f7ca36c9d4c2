# Beyond accuracy: precision, recall, F1 and the confusion matrix with TorchMetrics, on noisy
# moons, then on data where one class is rare and accuracy looks better than the model is.
# --8<-- [start:noisy_moons]
import torch
from sklearn.model_selection import train_test_split
from torch import nn
from torchmetrics import Accuracy, ConfusionMatrix, F1Score, Precision, Recall

import ptx


def train_on(X, y, stratify=False):
    """Split 64/16/20, train the 2-10-10-1 model, keep the best epoch on validation."""
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.2, random_state=42, stratify=y if stratify else None
    )
    X_train, X_val, y_train, y_val = train_test_split(
        X_train, y_train, test_size=0.2, random_state=42, stratify=y_train if stratify else None
    )
    torch.manual_seed(42)
    model = ptx.Classifier(2, 1, hidden=(10, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.03)
    loss_fn = nn.BCEWithLogitsLoss()
    history = ptx.fit(
        model, X_train, y_train, X_val, y_val, loss_fn, optimizer, epochs=200, progress=False
    )
    history.load_best(model)
    return model, X_val, y_val, X_test, y_test


X, y = ptx.make_moons(n_samples=1000, noise=0.3, seed=42)  # the classes overlap
model, X_val, y_val, X_test, y_test = train_on(X, y)
model.eval()
with torch.inference_mode():
    y_pred = (model(X_test) > 0).long()  # metrics take labels; int64 for TorchMetrics
y_true = y_test.long()
print(f"test samples of class 1: {int(y_true.sum())} of {len(y_true)}")
# --8<-- [end:noisy_moons]

# --8<-- [start:four_metrics]
cm = ConfusionMatrix(task="binary")(y_pred, y_true)  # rows: true class, columns: predicted
print("confusion matrix (rows true 0/1, columns predicted 0/1):\n", cm)
tn, fp, fn, tp = cm.flatten().tolist()
metrics = {
    "accuracy": (Accuracy(task="binary"), (tp + tn) / (tp + tn + fp + fn)),
    "precision": (Precision(task="binary"), tp / (tp + fp)),
    "recall": (Recall(task="binary"), tp / (tp + fn)),
    "F1": (F1Score(task="binary"), 2 * tp / (2 * tp + fp + fn)),
}
print("metric    | TorchMetrics | from the matrix")
for name, (metric, from_matrix) in metrics.items():
    print(f"{name:<9} | {metric(y_pred, y_true):>12.4f} | {from_matrix:>15.4f}")
# --8<-- [end:four_metrics]

# --8<-- [start:rare_class]
X, y = ptx.make_moons(n_samples=2000, noise=0.3, seed=42)
g = torch.Generator().manual_seed(0)
class_0 = torch.nonzero(y.squeeze(1) == 0).squeeze(1)
class_1 = torch.nonzero(y.squeeze(1) == 1).squeeze(1)
keep = torch.cat([class_0, class_1[torch.randperm(len(class_1), generator=g)[:100]]])
X, y = X[keep], y[keep]  # every sample of class 0, and 100 of the 1000 of class 1
model, X_val, y_val, X_test, y_test = train_on(X, y, stratify=True)  # (1)!
model.eval()
with torch.inference_mode():
    y_logits = model(X_test)
y_pred, y_true = (y_logits > 0).long(), y_test.long()
always_0 = torch.zeros_like(y_true)  # a "model" that never predicts the rare class
accuracy, recall = Accuracy(task="binary"), Recall(task="binary")
rare_model_acc, rare_model_recall = accuracy(y_pred, y_true).item(), recall(y_pred, y_true).item()
always_0_acc = accuracy(always_0, y_true).item()
print(f"test set: {len(y_true)} samples, {int(y_true.sum())} of class 1")
print(f"always 0:      accuracy {always_0_acc:.3f}, recall {recall(always_0, y_true):.3f}")
print(f"trained model: accuracy {rare_model_acc:.3f}, recall {rare_model_recall:.3f}")
print("confusion matrix:\n", ConfusionMatrix(task="binary")(y_pred, y_true))
# --8<-- [end:rare_class]
