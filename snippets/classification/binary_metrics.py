# Beyond accuracy: precision, recall, F1 and the confusion matrix with TorchMetrics, on the noisy
# moons of validation.py and its model, trained again (the same seed, split and settings).
# --8<-- [start:noisy_moons]
import torch
from sklearn.model_selection import train_test_split
from torch import nn
from torchmetrics import Accuracy, ConfusionMatrix, F1Score, Precision, Recall

import ptx

X, y = ptx.make_moons(n_samples=1000, noise=0.3, seed=42)  # the classes overlap
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=42)
torch.manual_seed(42)
model = ptx.Classifier(in_features=2, out_features=1, hidden=(10, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn, epochs = nn.BCEWithLogitsLoss(), 600
history = ptx.fit(
    model, X_train, y_train, X_val, y_val, loss_fn, optimizer, epochs, eval_every=10, progress=False
)
history.load_best(model)  # the validation set's best epoch
model.eval()
with torch.inference_mode():
    y_pred = (model(X_test) > 0).long()  # metrics take labels; int64 for TorchMetrics
y_true = y_test.long()
print(f"best epoch {history.best_epoch}; test samples of class 1: {int(y_true.sum())}")
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
