# Why save the state_dict and not the whole model: a pickled model names the code it needs, the
# default torch.load refuses it, and unpickling can run any code the file's author chose.
# --8<-- [start:whats_inside]
from pathlib import Path

import torch

import ptx

torch.manual_seed(42)
model = ptx.LinearRegression()  # the chapter's nn.Parameter model

MODEL_PATH = Path("models") / "linear_regression.pt"
WHOLE_MODEL_PATH = Path("models") / "whole_model.pt"
MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
torch.save(model.state_dict(), MODEL_PATH)  # the numbers only
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
