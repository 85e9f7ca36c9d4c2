# Flat targets against a column of predictions: the loss broadcasts, warns once, and training
# against it learns the wrong line without a single error.
# --8<-- [start:broadcast_loss]
import torch
from torch import nn

X = torch.arange(0, 1, 0.01).unsqueeze(1)[:80]
y = 0.3 * X + 0.9  # (80, 1), shaped like the predictions
y_flat = y.squeeze(1)  # the targets as they often arrive: (80,)
loss_fn = nn.L1Loss()
epochs, lr = 300, 0.05


def fit_line(target):
    """Train a fresh nn.Linear(1, 1) on X with L1 loss against `target`."""
    torch.manual_seed(42)
    model = nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        loss = loss_fn(model(X), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.weight.item(), model.bias.item()


weight_right, bias_right = fit_line(y)
weight_wrong, bias_wrong = fit_line(y_flat)  # (1)!
print("the truth:       weight 0.300, bias 0.900")
print(f"targets (80, 1): weight {weight_right:.3f}, bias {bias_right:.3f}")
print(f"targets (80,):   weight {weight_wrong:.3f}, bias {bias_wrong:.3f}")
print(f"median of all the targets: {y.median().item():.3f}")

y_pred = 0.31 * X + 0.89  # an almost trained line's predictions: (80, 1)
right, wrong = loss_fn(y_pred, y), loss_fn(y_pred, y_flat)  # (2)!
print(f"at an almost right line: loss {right.item():.4f}, against flat targets {wrong.item():.4f}")
# --8<-- [end:broadcast_loss]
