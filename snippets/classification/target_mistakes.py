# What nn.CrossEntropyLoss takes as targets, and the mistakes: float labels, other integer dtypes,
# a column of labels, int64 one-hot rows, too few outputs, and a softmax applied twice.
# --8<-- [start:two_kinds]
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(42)
X = torch.randn(5, 2)  # 5 samples, 2 features
model = nn.Sequential(nn.Linear(2, 10), nn.ReLU(), nn.Linear(10, 3))  # 3 classes: 3 logits
y_logits = model(X)  # (5, 3)
y = torch.tensor([0, 2, 1, 1, 0])  # class indices: int64, shape (N,)
loss_fn = nn.CrossEntropyLoss()

loss_int64 = loss_fn(y_logits, y).item()
loss_uint8 = loss_fn(y_logits, y.to(torch.uint8)).item()  # what the course's spirals code makes
y_one_hot = F.one_hot(y, num_classes=3).float()  # class probabilities: float, shape (N, C)
loss_one_hot = loss_fn(y_logits, y_one_hot).item()
print(f"int64 indices  {loss_int64:.4f}")
print(f"uint8 indices  {loss_uint8:.4f}")
print(f"one-hot float  {loss_one_hot:.4f}")
y_soft = 0.8 * y_one_hot + 0.2 / 3  # probabilities that are not all 0 or 1 are targets too
print(f"soft targets   {loss_fn(y_logits, y_soft):.4f}, first row {y_soft[0]}")
# --8<-- [end:two_kinds]

# --8<-- [start:float_labels]
loss_fn(y_logits, y.float())  # raises RuntimeError
# --8<-- [end:float_labels]

# --8<-- [start:int32_labels]
loss_fn(y_logits, y.to(torch.int32))  # raises RuntimeError
# --8<-- [end:int32_labels]

# --8<-- [start:column_of_labels]
print(f"y_logits {tuple(y_logits.shape)}, y.unsqueeze(1) {tuple(y.unsqueeze(1).shape)}")
loss_fn(y_logits, y.unsqueeze(1))  # raises RuntimeError
# --8<-- [end:column_of_labels]

# --8<-- [start:int64_one_hot]
print(F.one_hot(y, num_classes=3).dtype)  # one_hot returns int64
loss_fn(y_logits, F.one_hot(y, num_classes=3))  # raises RuntimeError
# --8<-- [end:int64_one_hot]

# --8<-- [start:too_few_outputs]
model_2 = nn.Sequential(nn.Linear(2, 10), nn.ReLU(), nn.Linear(10, 2))  # out_features=2, 3 classes
loss_fn(model_2(X), y)  # raises IndexError
# --8<-- [end:too_few_outputs]

# --8<-- [start:softmax_twice]
sure_and_right = 20 * F.one_hot(y, num_classes=3).float()  # logits certain of the right class
loss_right = loss_fn(sure_and_right, y).item()
loss_softmax_first = loss_fn(torch.softmax(sure_and_right, dim=1), y).item()
print(f"CrossEntropyLoss on logits:          {loss_right:.4f}")
print(f"CrossEntropyLoss on softmax(logits): {loss_softmax_first:.4f}  <- can never reach 0")
# --8<-- [end:softmax_twice]
