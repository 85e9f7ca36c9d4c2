# "The tensor is not on the correct device": the causes, reproduced without a GPU, and the fix.
# The meta device stands in for "cuda": not the CPU, so the forward pass's same-device check fails.
# --8<-- [start:one_device]
import matplotlib.pyplot as plt
import torch
from sklearn.model_selection import train_test_split
from torch import nn

import ptx

device = torch.device("meta")  # (1)!
X, y = ptx.make_spirals(points_per_class=100, classes=3, seed=42)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, y_train = X_train.to(device), y_train.to(device)

torch.manual_seed(42)
model = ptx.Classifier(2, 3, hidden=(10, 10, 10)).to(device)
y_logits = model(X_train)  # model and data on one device: fine
print(f"y_logits {tuple(y_logits.shape)} on {y_logits.device}")
# --8<-- [end:one_device]

# --8<-- [start:model_rebuilt]
model = ptx.Classifier(2, 3, hidden=(10, 10, 10))  # rebuilt in a new cell, without .to(device)
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


torch.manual_seed(42)
model = ptx.Classifier(2, 3, hidden=(10, 10, 10))  # on the CPU: the move cannot show here
model.train()  # as it is in the middle of training
course_style_plot_decision_boundary(model, X_test, y_test)
where = next(model.parameters()).device
print(f"after the course-style helper: on {where}, training mode {model.training}")
# --8<-- [end:course_helper]

# --8<-- [start:fix]
device = "cuda" if torch.cuda.is_available() else "cpu"  # (1)!
torch.manual_seed(42)
model = ptx.Classifier(2, 3, hidden=(10, 10, 10)).to(device)
X_train, X_val, y_train, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=42)
X_train, X_val, y_train, y_val = (t.to(device) for t in (X_train, X_val, y_train, y_val))
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.03)
epochs = 300
stray = X_val.to("meta")  # one tensor that missed the move (meta stands in for the GPU)
ptx.fit(model, X_train, y_train, stray, y_val, loss_fn, optimizer, epochs)  # raises ValueError
# --8<-- [end:fix]

# --8<-- [start:ptx_plot]
history = ptx.fit(
    model,
    X_train,
    y_train,
    X_val,
    y_val,
    loss_fn,
    optimizer,
    epochs,
    metric="accuracy",
    eval_every=10,
    progress=False,
)
model.train()  # as it is in the middle of training
before = {name: p.detach().clone() for name, p in model.named_parameters()}

ax = ptx.plot_decision_boundary(model, X_val, y_val)
ax.set_title(f"Spirals, validation data: accuracy {history.val_metric[-1]:.1%}")
plt.show()

print(f"on {next(model.parameters()).device}, training mode {model.training}")
unchanged = all(torch.equal(before[name], p) for name, p in model.named_parameters())
print(f"parameters unchanged: {unchanged}")
loss = loss_fn(model(X_train), y_train)  # training can go on right away
print(f"next training step's loss: {loss:.4f}")
# --8<-- [end:ptx_plot]
