# Moving the threshold, on the binary page's rare-class moons (the same data, split and model,
# trained again): a lower threshold finds more of the rare class, at the price of precision.
# --8<-- [start:rare_class_model]
import torch
from sklearn.model_selection import train_test_split
from torch import nn
from torchmetrics import Precision, Recall

import ptx

X, y = ptx.make_moons(n_samples=2000, noise=0.3, seed=42)
g = torch.Generator().manual_seed(0)
class_0 = torch.nonzero(y.squeeze(1) == 0).squeeze(1)
class_1 = torch.nonzero(y.squeeze(1) == 1).squeeze(1)
keep = torch.cat([class_0, class_1[torch.randperm(len(class_1), generator=g)[:100]]])
X, y = X[keep], y[keep]  # every sample of class 0, and 100 of the 1000 of class 1
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, random_state=42, stratify=y
)
X_train, X_val, y_train, y_val = train_test_split(
    X_train, y_train, test_size=0.2, random_state=42, stratify=y_train
)
torch.manual_seed(42)
model = ptx.Classifier(2, 1, hidden=(10, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=0.03)
loss_fn = nn.BCEWithLogitsLoss()
history = ptx.fit(
    model, X_train, y_train, X_val, y_val, loss_fn, optimizer, epochs=200, progress=False
)
history.load_best(model)
print(f"best epoch {history.best_epoch} of 200")
# --8<-- [end:rare_class_model]

# --8<-- [start:threshold]
model.eval()
with torch.inference_mode():
    val_logits = model(X_val)  # the threshold is a choice: make it on validation data
val_true = y_val.long()
print(f"validation set: {len(val_true)} samples, {int(val_true.sum())} of class 1")
print("threshold on p | precision | recall")
thresholds = (0.5, 0.3, 0.1)
val_precision, val_recall = [], []
for p in thresholds:
    val_pred = (torch.sigmoid(val_logits) > p).long()
    val_precision.append(Precision(task="binary")(val_pred, val_true).item())
    val_recall.append(Recall(task="binary")(val_pred, val_true).item())
    print(f"{p:>14} | {val_precision[-1]:>9.3f} | {val_recall[-1]:>6.3f}")
# --8<-- [end:threshold]
