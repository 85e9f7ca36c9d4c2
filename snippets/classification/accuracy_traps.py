# Accuracy's traps on the multiclass page's predictions (the same short run, again): a fraction
# or a percentage, num_classes=4 on three-class data, and the logits that TorchMetrics and
# ptx.accuracy check.
# --8<-- [start:predictions]
import torch
import torchmetrics
from sklearn.metrics import accuracy_score, recall_score
from sklearn.model_selection import train_test_split
from torch import nn
from torchmetrics import Accuracy

import ptx

X, y = ptx.make_spirals(points_per_class=100, classes=3, seed=42)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=42)
torch.manual_seed(42)
model = ptx.Classifier(2, 3, hidden=(10, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
model.train()
for _ in range(100):  # deliberately short: a model that still makes mistakes
    loss = nn.CrossEntropyLoss()(model(X_train), y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
model.eval()
with torch.inference_mode():
    y_logits = model(X_val)
y_pred = y_logits.argmax(dim=1)
acc_torchmetrics = Accuracy(task="multiclass", num_classes=3)(y_pred, y_val)
acc_sklearn = accuracy_score(y_val.numpy(), y_pred.numpy())
wrong = int((y_pred != y_val).sum())
print(f"{wrong} of {len(y_val)} validation samples wrong; accuracy {acc_sklearn:.3f}")
# --8<-- [end:predictions]


# --8<-- [start:fraction_or_percent]
def accuracy_fn(y_true, y_pred):  # the course's helper: a percentage
    return (y_true == y_pred).sum().item() / len(y_pred) * 100


print(f"accuracy_fn: {accuracy_fn(y_val, y_pred):.2f}%")
print(f"TorchMetrics, printed the same way: {acc_torchmetrics:.2f}%  <- a fraction, not percent")
print(f"TorchMetrics, printed as a percentage: {acc_torchmetrics:.2%}")
# --8<-- [end:fraction_or_percent]

# --8<-- [start:num_classes_trap]
print(f"torchmetrics {torchmetrics.__version__}")
for average in ("micro", "macro"):
    right = Accuracy(task="multiclass", num_classes=3, average=average)(y_pred, y_val)
    wrong = Accuracy(task="multiclass", num_classes=4, average=average)(y_pred, y_val)
    print(f"average={average}: num_classes=3 -> {right:.4f}, num_classes=4 -> {wrong:.4f}")
print(
    "per class, num_classes=3:",
    Accuracy(task="multiclass", num_classes=3, average=None)(y_pred, y_val),
)
per_class = Accuracy(task="multiclass", num_classes=4, average=None)(y_pred, y_val)
print("per class, num_classes=4:", per_class)
print(f"mean over the 4 'classes' by hand: {per_class.mean():.4f}")
print(
    "scikit-learn, told about 4 labels:",
    recall_score(y_val, y_pred, labels=[0, 1, 2, 3], average="macro"),
)
# --8<-- [end:num_classes_trap]

# --8<-- [start:trap_with_logits]
Accuracy(task="multiclass", num_classes=4)(y_logits, y_val)  # raises ValueError
# --8<-- [end:trap_with_logits]

# --8<-- [start:ptx_refuses]
print(f"ptx.accuracy: {ptx.accuracy(y_logits, y_val):.4f}")
ptx.accuracy(y_logits, y_val, num_classes=4)  # raises ValueError
# --8<-- [end:ptx_refuses]
