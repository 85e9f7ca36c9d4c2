"""Exercises 01, 4 and 5 of the workflow set: the trained model's predictions, and the model saved,
loaded into a new one and compared."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from ptx.exercises import tensors as t
from ptx.exercises import training
from ptx.exercises.feedback import Answer, Exercise, Mistake
from ptx.exercises.sets import code


# -- 4. Predictions --------------------------------------------------------------------------------
def one_per_point(
    value: object, name: str, n: int, n_train: int | None = None, model: str = "model"
):
    """Predictions as one number per test point, from a tensor or a NumPy array, and what they
    came as ("" for a tensor); the mistake in their shape, found before anything is reshaped."""
    preds, kind = t.values(value, name)
    shape = t.shape(preds)
    rows = shape[0] if shape else 0
    if rows != n:
        raise Mistake(
            "other_data",
            f"`{name}` has shape {shape}, {rows} rows, and `X_test` has {n} points"
            + (": the training data? " if rows == n_train else ". ")
            + f"Predict the test data, `{model}(X_test)`.",
        )
    if shape not in ((n,), (n, 1)):
        raise Mistake(
            "pred_shape",
            f"`{name}` has shape {shape}, {preds.numel()} numbers for {n} test points: a "
            f"regression model gives one number per point, ({n}, 1) (or ({n},)).",
        )
    return preds.detach().reshape(n), kind


def _judge_4(a: Answer) -> str:
    model = training.module(a.model)
    X_test = t.tensor(a.X_test, "X_test")
    X_train = a.get("X_train")
    n_train = len(X_train) if isinstance(X_train, torch.Tensor) else None
    preds, kind = one_per_point(a.y_preds, "y_preds", len(X_test), n_train)
    expected = training.outputs(model, X_test, "your model").reshape(len(X_test))
    if not t.close(preds, expected, atol=1e-5):
        raise Mistake(
            "not_this_model",
            "`y_preds` is not what `model` predicts for `X_test` now: was it made by another "
            "model, or before training? Predict again with the trained model.",
        )
    notes = [f"{len(preds)} predictions from the trained model."]
    if kind:
        notes.append(f"`y_preds` is {kind}: fine for matplotlib, which draws NumPy arrays.")
    elif a.y_preds.requires_grad:
        notes.append(
            "`y_preds` still tracks gradients (made outside `torch.inference_mode()`): the "
            "numbers are right, but matplotlib's `.numpy()` would raise `Can't call numpy() on "
            "Tensor that requires grad`. Predict under `torch.inference_mode()` (after "
            "`model.eval()`), or `.detach()`; `ptx.plot_predictions` detaches them itself."
        )
    else:
        notes.append(
            f"They are on {preds.device}: matplotlib needs them on the CPU; "
            "`ptx.plot_predictions` moves them itself."
        )
    return " ".join(notes)


q4 = Exercise(
    label="4",
    title="predictions",
    names={"y_preds": "the trained model's predictions for `X_test`"},
    uses={"model": "exercises 2 and 3", "X_test": "exercise 1"},
    judge=_judge_4,
    mistakes={
        "a_class": "the model class instead of an instance",
        "not_a_tensor": "predictions that are not a tensor or a NumPy array",
        "other_data": "predictions of the training data",
        "pred_shape": "predictions of another shape than one per point",
        "not_this_model": "predictions of another or untrained model",
        "forward_raises": "a forward pass that raises",
    },
    hints=[
        "`model.eval()`, then `with torch.inference_mode(): y_preds = model(X_test)`.",
        "Plot with `ptx.plot_predictions(X_train, y_train, X_test, y_test, predictions=y_preds)`.",
    ],
    solution_code=code("""
model.eval()
with torch.inference_mode():
    y_preds = model(X_test)

ax = ptx.plot_predictions(X_train, y_train, X_test, y_test, predictions=y_preds)
ax.set_title(f"After {epochs} epochs: weight {learned_weight:.4f}, bias {learned_bias:.4f}")
plt.show()
"""),
)


# -- 5. Save, load, compare ------------------------------------------------------------------------
def _judge_5(a: Answer) -> str:
    model = training.module(a.model)
    saved = _saved_state(a.MODEL_PATH, model)
    _loaded_model(a.loaded_model, model, saved)
    X_test = t.tensor(a.X_test, "X_test")
    preds, _ = one_per_point(a.loaded_preds, "loaded_preds", len(X_test), model="loaded_model")
    y_preds, _ = one_per_point(a.y_preds, "y_preds", len(X_test))
    if not t.close(preds, y_preds, atol=0):
        raise Mistake(
            "preds_differ",
            "`loaded_preds` differs from `y_preds`: predict `X_test` with `loaded_model`, in "
            "evaluation mode, under `torch.inference_mode()`.",
        )
    return (
        "The file holds the trained state_dict, a new model loaded it, and its predictions "
        "equal the original's exactly (`torch.equal`)."
    )


def _saved_state(where: object, model: nn.Module) -> dict:
    """The state_dict saved at MODEL_PATH, the trained model's, or the mistake."""
    path = Path(str(where))
    if not path.is_file():
        raise Mistake(
            "no_file",
            f"there is no file at `MODEL_PATH` ({path}): `torch.save(model.state_dict(), "
            "MODEL_PATH)` writes it (its folder must exist: `MODEL_PATH.parent.mkdir(...)`).",
        )
    try:
        saved = torch.load(path, map_location="cpu", weights_only=True)
    except Exception:  # torch raises UnpicklingError for a whole model
        raise Mistake(
            "whole_model",
            "the file holds a whole model (`torch.save(model, ...)`), which "
            "`torch.load(..., weights_only=True)` refuses. Save the state_dict: "
            "`torch.save(model.state_dict(), MODEL_PATH)`.",
        ) from None
    if not isinstance(saved, dict) or not all(isinstance(v, torch.Tensor) for v in saved.values()):
        raise Mistake(
            "not_state_dict",
            f"the file holds {t.describe(saved)}, not a state_dict: "
            "`torch.save(model.state_dict(), MODEL_PATH)`.",
        )
    current = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    if saved.keys() != current.keys() or not all(t.close(saved[k], current[k]) for k in saved):
        raise Mistake(
            "stale_file",
            "the saved state_dict is not the trained model's: was it saved before training? "
            "Save again after exercise 3.",
        )
    return saved


def _loaded_model(loaded: object, model: nn.Module, saved: dict) -> nn.Module:
    """A new model holding the saved state_dict, or the mistake."""
    if loaded is not None and type(loaded).__name__ == "_IncompatibleKeys":
        raise Mistake(
            "load_result",
            "`loaded_model` is the report `load_state_dict` returns (`<All keys matched "
            "successfully>`), not the model: `load_state_dict` loads in place. Make the model, "
            "then call `loaded_model.load_state_dict(...)` on its own line.",
        )
    loaded = training.module(loaded, "loaded_model")
    if loaded is model:
        raise Mistake(
            "same_object",
            "`loaded_model` is `model` itself, so the comparison proves nothing: make a new "
            "instance of your class and load the file into it.",
        )
    theirs = {k: v.detach().cpu() for k, v in loaded.state_dict().items()}
    if theirs.keys() != saved.keys() or not all(t.close(theirs[k], saved[k]) for k in saved):
        raise Mistake(
            "not_loaded",
            "`loaded_model`'s parameters are not the saved ones: still its random starting "
            "values? `loaded_model.load_state_dict(torch.load(MODEL_PATH, weights_only=True))`.",
        )
    return loaded


q5 = Exercise(
    label="5",
    title="save, load, compare",
    names={
        "MODEL_PATH": "where the state_dict is saved",
        "loaded_model": "a new instance of your model class with the saved state_dict loaded",
        "loaded_preds": "`loaded_model`'s predictions for `X_test`",
    },
    uses={"model": "exercises 2 and 3", "y_preds": "exercise 4", "X_test": "exercise 1"},
    judge=_judge_5,
    mistakes={
        "no_file": "nothing saved at MODEL_PATH",
        "whole_model": "the whole model saved instead of its state_dict",
        "not_state_dict": "something else saved",
        "stale_file": "a state_dict saved before training",
        "load_result": "loaded_model = loaded_model.load_state_dict(...)",
        "a_class": "the class instead of an instance",
        "not_a_model": "loaded_model is not a model",
        "same_object": "loaded_model = model",
        "not_loaded": "a new model without the saved state_dict",
        "not_a_tensor": "predictions that are not a tensor or a NumPy array",
        "other_data": "predictions of the training data, or of part of the test data",
        "pred_shape": "predictions of another shape than one per point",
        "preds_differ": "predictions that differ from exercise 4's",
    },
    hints=[
        "`torch.save(model.state_dict(), MODEL_PATH)`; a new `LinearRegressionModel()`; "
        "`load_state_dict(torch.load(MODEL_PATH, weights_only=True))`.",
        "Compare with `torch.equal(y_preds, loaded_preds)`.",
    ],
    solution_code=code("""
from pathlib import Path

MODEL_PATH = Path("models") / "01_linear_regression.pt"
MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
torch.save(model.state_dict(), MODEL_PATH)

loaded_model = LinearRegressionModel().to(device)
state_dict = torch.load(MODEL_PATH, map_location=device, weights_only=True)
loaded_model.load_state_dict(state_dict)
loaded_model.eval()
with torch.inference_mode():
    loaded_preds = loaded_model(X_test)
print(loaded_model.state_dict())
print(f"identical predictions: {torch.equal(y_preds, loaded_preds)}")
"""),
)
