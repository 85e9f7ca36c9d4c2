# needs: cuda
# The course-style plotting helper on an NVIDIA GPU: it moves the model to the CPU, and the next
# forward pass fails; ptx.plot_decision_boundary leaves the model where it was. Runs on a GPU only.
# --8<-- [start:course_helper_on_gpu]
import matplotlib.pyplot as plt
import torch
from sklearn.model_selection import train_test_split

import ptx

device = torch.device("cuda")
X, y = ptx.make_spirals(points_per_class=100, classes=3, seed=42)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_test = X_train.to(device), X_test.to(device)
y_train, y_test = y_train.to(device), y_test.to(device)
torch.manual_seed(42)
model = ptx.Classifier(2, 3, hidden=(10, 10, 10)).to(device)


def course_style_plot_decision_boundary(model, X, y):
    """The first lines of the course's helper, written again: it moves the model and leaves it."""
    model.to("cpu")
    X, y = X.to("cpu"), y.to("cpu")
    model.eval()
    ...  # then a grid, predictions and a contour plot


print(f"before: model on {next(model.parameters()).device}, X_train on {X_train.device}")
course_style_plot_decision_boundary(model, X_test, y_test)
print(f"after:  model on {next(model.parameters()).device}, X_train on {X_train.device}")
model(X_train)  # raises RuntimeError
# --8<-- [end:course_helper_on_gpu]

# --8<-- [start:ptx_plot_on_gpu]
model = model.to(device)  # what rebuilding the model (with its .to(device)) also did
ax = ptx.plot_decision_boundary(model, X_test, y_test)
ax.set_title("ptx.plot_decision_boundary on a CUDA model (untrained)")
plt.show()
print(f"after ptx.plot_decision_boundary: model on {next(model.parameters()).device}")
print(f"next forward pass: y_logits on {model(X_train).device}")
# --8<-- [end:ptx_plot_on_gpu]
