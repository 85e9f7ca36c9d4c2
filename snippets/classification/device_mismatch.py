# "The tensor is not on the correct device": the causes, reproduced without a GPU, and the fix.
# The meta device stands in for "cuda": its tensors have shapes and a device, but no numbers.
# --8<-- [start:one_device]
import matplotlib.pyplot as plt
import torch
from sklearn.model_selection import train_test_split
from torch import nn

import ptx

device = torch.device("meta")  # stands in for "cuda" on this CPU-only build
X, y = ptx.make_spirals(points_per_class=100, classes=3, seed=42)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, y_train = X_train.to(device), y_train.to(device)

ptx.set_seed(42)
model = ptx.Classifier(2, 3, hidden=(16, 16)).to(device)
y_logits = model(X_train)  # model and data on one device: fine
print(f"y_logits {tuple(y_logits.shape)} on {y_logits.device}")
# --8<-- [end:one_device]

# --8<-- [start:model_rebuilt]
model = ptx.Classifier(2, 3, hidden=(16, 16))  # rebuilt in a new cell, without .to(device)
print(f"model on {next(model.parameters()).device}, X_train on {X_train.device}")
model(X_train)  # raises RuntimeError
# --8<-- [end:model_rebuilt]

# --8<-- [start:data_recreated]
model = model.to(device)
X, y = ptx.make_spirals(points_per_class=100, classes=3, seed=42)  # the data cell, run again
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
print(f"model on {next(model.parameters()).device}, X_train on {X_train.device}")
model(X_train)  # raises RuntimeError
# --8<-- [end:data_recreated]


# --8<-- [start:course_helper]
def course_style_plot_decision_boundary(model, X, y):
    """The first lines of the course's helper, written again: it moves the model and leaves it."""
    model.to("cpu")
    X, y = X.to("cpu"), y.to("cpu")
    model.eval()
    ...  # then a grid, predictions and a contour plot


print(f"model on {next(model.parameters()).device}")
# what the helper's first line does to a model that lives on the device:
model.to("cpu")  # raises NotImplementedError
# --8<-- [end:course_helper]

# --8<-- [start:fix]
device = "cuda" if torch.cuda.is_available() else "cpu"  # or ptx.get_device()
ptx.set_seed(42)
model = ptx.Classifier(2, 3, hidden=(16, 16)).to(device)  # (1)!
X_train, X_test, y_train, y_test = (t.to(device) for t in (X_train, X_test, y_train, y_test))
ptx.check_same_device(model, X_train, y_train, X_test, y_test)  # silent when all is well
print(f"model, X_train and X_test on {device}")

stray = torch.zeros(4, 2, device="meta")  # one tensor that missed the move
names = ("model", "X_train", "stray")
ptx.check_same_device(model, X_train, stray, names=names)  # raises ValueError
# --8<-- [end:fix]

# --8<-- [start:ptx_plot]
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
    epochs=200,
    metric="accuracy",
    eval_every=50,
    progress=False,
)
model.train()  # as it would be in the middle of training
before = {name: p.detach().clone() for name, p in model.named_parameters()}
where_before = next(model.parameters()).device

ax = ptx.plot_decision_boundary(model, X_test, y_test)
ax.set_title(f"Spirals, test data: accuracy {history.test_metric[-1]:.1%}")
plt.show()

print(f"device: {where_before} -> {next(model.parameters()).device}")
print(f"training mode still on: {model.training}")
print("parameters unchanged:", all(torch.equal(before[n], p) for n, p in model.named_parameters()))
loss = loss_fn(model(X_train), y_train)  # training can go on right away
print(f"next training step's loss: {loss:.4f}")
# --8<-- [end:ptx_plot]

# --8<-- [start:course_helper_mode]
course_style_plot_decision_boundary(model, X_test, y_test)
print(f"after the course-style helper, training mode: {model.training}")
# --8<-- [end:course_helper_mode]
