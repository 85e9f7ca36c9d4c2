# A first layer: nn.Linear is one matrix multiplication plus a bias, with float32 parameters.
# --8<-- [start:linear_layer]
import torch
from torch import nn

torch.manual_seed(42)
layer = nn.Linear(in_features=4, out_features=2)
X = torch.rand(3, 4)  # 3 samples, 4 features each
print(f"weight {tuple(layer.weight.shape)}, bias {tuple(layer.bias.shape)}")
print(f"dtype of both: {layer.weight.dtype}, {layer.bias.dtype}")
by_hand = X @ layer.weight.T + layer.bias  # (1)!
print(f"layer(X) {tuple(layer(X).shape)}")
print(f"same as by hand: {torch.allclose(layer(X), by_hand)}")
# --8<-- [end:linear_layer]

# --8<-- [start:dtype_mismatch]
from sklearn.datasets import make_moons

X_np, _ = make_moons(n_samples=4, noise=0.03, random_state=42)  # (1)!
model = nn.Linear(2, 1)
model(torch.from_numpy(X_np))  # raises RuntimeError
# --8<-- [end:dtype_mismatch]

# --8<-- [start:fix_float]
X = torch.from_numpy(X_np).float()  # (1)!
same = torch.tensor(X_np, dtype=torch.float32)  # (2)!
print(f"X: {X.dtype}, equal: {torch.equal(X, same)}")
print(f"model(X): shape {tuple(model(X).shape)}, {model(X).dtype}")
# --8<-- [end:fix_float]
