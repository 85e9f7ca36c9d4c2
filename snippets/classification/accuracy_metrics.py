# Accuracy from TorchMetrics and from scikit-learn on the same predictions, and the confusion
# matrix with precision and recall per class (the traps: accuracy_traps.py, on the Deeper page).
# --8<-- [start:predictions]
import torch
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from torch import nn
from torchmetrics import Accuracy, ConfusionMatrix, Precision, Recall

import ptx

X, y = ptx.make_spirals(points_per_class=100, classes=3, seed=42)
# the page's three parts: the 60 test samples stay unseen; the predictions are on validation data
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
print(f"{(y_pred != y_val).sum()} of {len(y_val)} validation samples wrong")
# --8<-- [end:predictions]

# --8<-- [start:two_libraries]
accuracy = Accuracy(task="multiclass", num_classes=3)
acc_torchmetrics = accuracy(y_pred, y_val)
acc_sklearn = accuracy_score(y_val.numpy(), y_pred.numpy())
print(f"TorchMetrics: {acc_torchmetrics!r} (a float32 tensor)")
print(f"scikit-learn: {acc_sklearn!r} (a Python float)")
print("equal up to float32 rounding:", abs(acc_torchmetrics.item() - acc_sklearn) < 1e-7)
# --8<-- [end:two_libraries]

# --8<-- [start:confusion_matrix]
confmat = ConfusionMatrix(task="multiclass", num_classes=3)(y_pred, y_val)
print("confusion matrix (row: true class, column: predicted class)")
print(confmat)
precision = Precision(task="multiclass", num_classes=3, average=None)(y_pred, y_val)
recall = Recall(task="multiclass", num_classes=3, average=None)(y_pred, y_val)
print(f"precision per class: {precision}")
print(f"recall per class:    {recall}")
right = confmat.diagonal()  # (1)!
print("from the matrix, the same:")
print(f"  precision = right / column sums: {right / confmat.sum(dim=0)}")
print(f"  recall    = right / row sums:    {right / confmat.sum(dim=1)}")
# --8<-- [end:confusion_matrix]
