# Save the state_dict, load it into a fresh model with weights_only=True; the mistakes that loading
# can meet: a model of other names or shapes, a path where the state_dict belongs; ptx's checks.
# --8<-- [start:save_and_load]
from pathlib import Path

import torch
from torch import nn

import ptx

X, y = ptx.make_line(weight=0.3, bias=0.9)
X_train, X_test, y_train, y_test = ptx.split_train_test(X, y)  # 80 / 20

torch.manual_seed(42)
model = ptx.LinearRegression()  # trained as in the exercise
loss_fn = nn.L1Loss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
for _ in range(300):
    model.train()
    loss = loss_fn(model(X_train), y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

MODEL_PATH = Path("models") / "linear_regression.pt"
MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
torch.save(model.state_dict(), MODEL_PATH)  # (1)!

loaded_model = ptx.LinearRegression()  # a fresh model: new random numbers
print(f"fresh model:  {loaded_model.state_dict()}")
state_dict = torch.load(MODEL_PATH, weights_only=True)  # (2)!
loaded_model.load_state_dict(state_dict)
print(f"after load:   {loaded_model.state_dict()}")

model.eval()
loaded_model.eval()
with torch.inference_mode():
    y_pred, loaded_pred = model(X_test), loaded_model(X_test)
print(f"identical predictions: {torch.equal(y_pred, loaded_pred)}")
# --8<-- [end:save_and_load]

# --8<-- [start:other_names]
other_model = ptx.LinearRegressionLinear()  # nn.Linear inside: other names
print(f"the file's keys: {list(state_dict)}")
print(f"other_model's:   {list(other_model.state_dict())}")
other_model.load_state_dict(state_dict)  # raises RuntimeError
# --8<-- [end:other_names]

# --8<-- [start:other_shapes]
layer = nn.Linear(in_features=1, out_features=1)  # also named weight and bias
print({name: tuple(tensor.shape) for name, tensor in state_dict.items()})
print({name: tuple(tensor.shape) for name, tensor in layer.state_dict().items()})
layer.load_state_dict(state_dict)  # raises RuntimeError
# --8<-- [end:other_shapes]

# --8<-- [start:path_not_state_dict]
loaded_model.load_state_dict(MODEL_PATH)  # raises TypeError
# --8<-- [end:path_not_state_dict]

# --8<-- [start:wrong_model]
ptx.save_checkpoint(model, MODEL_PATH)  # the state_dict, saved atomically
ptx.load_checkpoint(ptx.LinearRegression(), MODEL_PATH)  # fits
ptx.load_checkpoint(ptx.LinearRegressionLinear(), MODEL_PATH)  # raises CheckpointMismatchError
# --8<-- [end:wrong_model]
