# Multi-label classification: each sample may belong to none, one or several of 3 classes. One
# logit per class, a sigmoid for each, BCEWithLogitsLoss with a float (N, C) target.
# --8<-- [start:data]
import torch
from sklearn.datasets import make_multilabel_classification
from sklearn.model_selection import train_test_split
from torch import nn

X, y = make_multilabel_classification(
    n_samples=1000, n_features=5, n_classes=3, n_labels=1, random_state=42
)
X = torch.from_numpy(X).type(torch.float32)
y = torch.from_numpy(y).type(torch.float32)  # (N, 3): a 0 or 1 for each class
print(f"X {tuple(X.shape)}, y {y.dtype} {tuple(y.shape)}")
print("first 4 label rows:", y[:4].tolist())
labels_per_sample = y.sum(dim=1)
for k in range(4):
    print(f"samples in {k} of the 3 classes: {int((labels_per_sample == k).sum())}")
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=42)
# --8<-- [end:data]

# --8<-- [start:train]
torch.manual_seed(42)
model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 3))  # one logit per class
loss_fn = nn.BCEWithLogitsLoss()  # a binary loss for each of the 3 columns, averaged
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
model.train()
for epoch in range(200):
    loss = loss_fn(model(X_train), y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

model.eval()
with torch.inference_mode():
    y_probs = torch.sigmoid(model(X_val))  # each column on its own: rows need not sum to 1
y_pred = (y_probs > 0.5).float()  # a threshold per class
print("probabilities:", y_probs[:2])
print("predicted:    ", y_pred[:2].tolist(), "true:", y_val[:2].tolist())
per_class_acc = (y_pred == y_val).float().mean(dim=0)
per_class_acc_low = per_class_acc.min().item()
all_right = (y_pred == y_val).all(dim=1).float().mean().item()
print(f"validation accuracy per class: {per_class_acc}")
print(f"samples with every label right: {all_right:.3f}")
# --8<-- [end:train]
