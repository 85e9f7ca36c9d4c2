# Save the state_dict, load it into a fresh model with weights_only=True; why not the whole model.
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

# --8<-- [start:wrong_model]
ptx.save_checkpoint(model, MODEL_PATH)  # the state_dict, saved atomically
ptx.load_checkpoint(ptx.LinearRegression(), MODEL_PATH)  # fits
other_model = ptx.LinearRegressionLinear()  # nn.Linear inside: other names
ptx.load_checkpoint(other_model, MODEL_PATH)  # raises CheckpointMismatchError
# --8<-- [end:wrong_model]

# --8<-- [start:whats_inside]
WHOLE_MODEL_PATH = Path("models") / "whole_model.pt"
torch.save(model, WHOLE_MODEL_PATH)  # pickles the whole Python object

for path in (MODEL_PATH, WHOLE_MODEL_PATH):
    needs = torch.serialization.get_unsafe_globals_in_checkpoint(path)
    print(f"{path.name:22s} needs this code: {needs}")
# --8<-- [end:whats_inside]

# --8<-- [start:whole_model_load]
torch.load(WHOLE_MODEL_PATH)  # raises UnpicklingError
# --8<-- [end:whole_model_load]


# --8<-- [start:pickle_runs_code]
class NotAModel:
    def __reduce__(self):  # (1)!
        return print, ("I ran inside torch.load(): pickles run code.",)


torch.save(NotAModel(), "strangers_file.pt")
torch.load("strangers_file.pt", weights_only=False)  # only your own files
# --8<-- [end:pickle_runs_code]
