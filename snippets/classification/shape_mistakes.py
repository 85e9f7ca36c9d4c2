# Two shape mistakes with real errors: in_features that do not fit the data, and a binary
# model with two outputs for one label per sample. Then the rule for the last layer.
# --8<-- [start:wrong_in_features]
import torch
from sklearn.model_selection import train_test_split
from torch import nn

import ptx

X, y = ptx.make_moons(n_samples=1000, noise=0.03, seed=42)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
print(f"X_train {tuple(X_train.shape)}: {X_train.shape[1]} features per sample")
print(f"y_train {tuple(y_train.shape)}: one label per sample")

torch.manual_seed(42)
model = nn.Sequential(nn.Linear(3, 10), nn.ReLU(), nn.Linear(10, 1))  # 3 is a typo for 2
model(X_train)  # raises RuntimeError
# --8<-- [end:wrong_in_features]

# --8<-- [start:fix_in_features]
model = nn.Sequential(nn.Linear(X_train.shape[1], 10), nn.ReLU(), nn.Linear(10, 1))
print(model(X_train).shape)
# --8<-- [end:fix_in_features]

# --8<-- [start:two_outputs]
model = nn.Sequential(nn.Linear(2, 10), nn.ReLU(), nn.Linear(10, 2))  # "two classes, two outputs"
loss_fn = nn.BCEWithLogitsLoss()
y_logits = model(X_train)
print(f"y_logits {tuple(y_logits.shape)}, y_train {tuple(y_train.shape)}")
loss_fn(y_logits, y_train)  # raises ValueError
# --8<-- [end:two_outputs]

# --8<-- [start:the_rule]
# binary with BCEWithLogitsLoss: one output, float labels shaped like it (N, 1)
model = nn.Sequential(nn.Linear(2, 10), nn.ReLU(), nn.Linear(10, 1))
print(f"binary:     loss {nn.BCEWithLogitsLoss()(model(X_train), y_train):.4f}")

# multiclass with CrossEntropyLoss: one output per class, int64 labels shaped (N,);
# two classes are a multiclass problem too, so this also works for the moons
model = nn.Sequential(nn.Linear(2, 10), nn.ReLU(), nn.Linear(10, 2))
y_train_classes = y_train.squeeze(1).long()  # (800, 1) float -> (800,) int64
print(f"multiclass: loss {nn.CrossEntropyLoss()(model(X_train), y_train_classes):.4f}")
# --8<-- [end:the_rule]
