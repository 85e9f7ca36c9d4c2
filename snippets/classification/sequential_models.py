# One model written three ways: layer by layer, nn.Sequential inside nn.Module, nn.Sequential alone.
# --8<-- [start:three_ways]
import torch
from torch import nn


class MoonModelByHand(nn.Module):
    """Each layer an attribute, and forward calls them one by one."""

    def __init__(self):
        super().__init__()
        self.layer_1 = nn.Linear(2, 10)
        self.layer_2 = nn.Linear(10, 10)
        self.layer_3 = nn.Linear(10, 1)
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.layer_3(self.relu(self.layer_2(self.relu(self.layer_1(x)))))


class MoonModel(nn.Module):
    """The same layers in an nn.Sequential: forward is one line."""

    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(2, 10), nn.ReLU(), nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 1)
        )

    def forward(self, x):
        return self.layers(x)


torch.manual_seed(42)
model = MoonModel()
model_seq = nn.Sequential(
    nn.Linear(2, 10), nn.ReLU(), nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 1)
)
model_by_hand = MoonModelByHand()
for m in (model, model_seq, model_by_hand):
    print(f"{type(m).__name__:<15} {list(m.state_dict())}")
# --8<-- [end:three_ways]

# --8<-- [start:same_weights]
model_seq.load_state_dict(model.layers.state_dict())  # (1)!
by_hand_names = [
    "layer_1.weight",
    "layer_1.bias",
    "layer_2.weight",
    "layer_2.bias",
    "layer_3.weight",
    "layer_3.bias",
]
model_by_hand.load_state_dict(dict(zip(by_hand_names, model.state_dict().values(), strict=True)))

X = torch.randn(5, 2)
for m in (model, model_seq, model_by_hand):
    m.eval()
with torch.inference_mode():
    y_logits = model(X)
    print("MoonModel:", y_logits.squeeze(1))
    print("Sequential alone equal:", torch.equal(y_logits, model_seq(X)))
    print("layer by layer equal:  ", torch.equal(y_logits, model_by_hand(X)))
# --8<-- [end:same_weights]
