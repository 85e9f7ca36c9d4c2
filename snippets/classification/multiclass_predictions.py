# From a multiclass model's raw outputs to labels: logits -> softmax -> argmax, or argmax alone.
# --8<-- [start:train]
import matplotlib.pyplot as plt
import torch
from sklearn.model_selection import train_test_split
from torch import nn

import ptx

X, y = ptx.make_blobs(n_samples=1000, centers=4, cluster_std=1.5, seed=42)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
print(f"X_train {tuple(X_train.shape)}, y_train {tuple(y_train.shape)} {y_train.dtype}")
ptx.set_seed(42)
model = ptx.Classifier(2, 4, hidden=(8, 8))  # one output per class
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.03)
history = ptx.fit(
    model,
    X_train,
    y_train,
    X_test,
    y_test,
    loss_fn,
    optimizer,
    epochs=100,
    metric="accuracy",
    eval_every=100,
    progress=False,
)
print(f"test accuracy after 100 epochs: {history.test_metric[-1]:.3f}")
# --8<-- [end:train]

# --8<-- [start:chain]
model.eval()
with torch.inference_mode():
    y_logits = model(X_test)  # (200, 4): one raw score per class
y_probs = torch.softmax(y_logits, dim=1)  # each row: positive, sums to 1
y_pred = y_probs.argmax(dim=1)  # the most likely class per row
unsure = y_probs.max(dim=1).values.argsort()[:3]  # the three least confident test samples
print("logits\n", y_logits[unsure])
print("probabilities\n", y_probs[unsure].round(decimals=3))
print("row sums", y_probs[unsure].sum(dim=1))
print("predictions", y_pred[unsure], "labels", y_test[unsure])
print(f"accuracy {(y_pred == y_test).float().mean():.3f}")
# --8<-- [end:chain]

# --8<-- [start:argmax_of_logits]
print("argmax of logits == argmax of softmax:", torch.equal(y_logits.argmax(dim=1), y_pred))

fig, axes = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")
width = 0.25
for offset, i in zip((-width, 0, width), unsure.tolist(), strict=True):
    axes[0].bar(torch.arange(4) + offset, y_logits[i], width, label=f"test sample {i}")
    axes[1].bar(torch.arange(4) + offset, y_probs[i], width, label=f"test sample {i}")
axes[0].set(title="Logits", xlabel="class", xticks=range(4))
axes[1].set(
    title="softmax(logits): same winner, now probabilities", xlabel="class", xticks=range(4)
)
axes[0].legend(fontsize=8)
fig.suptitle("Softmax changes the scale, not the order")
plt.show()
# --8<-- [end:argmax_of_logits]
