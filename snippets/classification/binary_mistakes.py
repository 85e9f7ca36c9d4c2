# Three mistakes with the binary loss and accuracy: BCELoss given logits, labels left as integers
# (two real errors), and accuracy computed on probabilities (no error, a wrong number).
# --8<-- [start:bce_on_logits]
import torch
from torch import nn

y_logits = torch.tensor([[-1.2], [0.3], [2.5], [-0.4]])  # what a model returns
y = torch.tensor([[0.0], [1.0], [1.0], [1.0]])  # the labels, float (N, 1)
print(f"BCEWithLogitsLoss on the logits:       {nn.BCEWithLogitsLoss()(y_logits, y):.4f}")
print(f"BCELoss on sigmoid(logits), the same:  {nn.BCELoss()(torch.sigmoid(y_logits), y):.4f}")
nn.BCELoss()(y_logits, y)  # raises RuntimeError
# --8<-- [end:bce_on_logits]

# --8<-- [start:integer_labels]
y_int = torch.tensor([[0], [1], [1], [1]])  # labels left as int64, as NumPy made them
nn.BCEWithLogitsLoss()(y_logits, y_int)  # raises RuntimeError
# --8<-- [end:integer_labels]

# --8<-- [start:accuracy_on_probabilities]
y_probs = torch.sigmoid(y_logits)
print("probabilities:", y_probs.squeeze(1))
wrong_acc = (y_probs == y).float().mean().item()  # a probability is almost never exactly 0. or 1.
y_pred = torch.round(y_probs)  # labels first: 0. or 1.
right_acc = (y_pred == y).float().mean().item()
print(f"accuracy on probabilities: {wrong_acc:.2f}   accuracy on labels: {right_acc:.2f}")
# --8<-- [end:accuracy_on_probabilities]
