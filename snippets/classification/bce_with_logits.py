# BCEWithLogitsLoss against sigmoid followed by BCELoss: equal on tame logits, not at the extremes.
# --8<-- [start:tame]
import matplotlib.pyplot as plt
import torch
from torch import nn

y_logits = torch.tensor([-3.0, -0.5, 0.0, 0.5, 3.0])
y = torch.tensor([0.0, 1.0, 0.0, 1.0, 1.0])

bce_two_steps = nn.BCELoss()(torch.sigmoid(y_logits), y)
bce_fused = nn.BCEWithLogitsLoss()(y_logits, y)
bce_by_hand = (
    y_logits.clamp(min=0) - y_logits * y + torch.log1p(torch.exp(-y_logits.abs()))
).mean()
print(f"sigmoid + BCELoss  {bce_two_steps:.6f}")
print(f"BCEWithLogitsLoss  {bce_fused:.6f}")
print(f"log-sum-exp form   {bce_by_hand:.6f}")
# --8<-- [end:tame]

# --8<-- [start:graph]
y_logits.requires_grad_(True)
bce_two_steps = nn.BCELoss()(torch.sigmoid(y_logits), y)
bce_fused = nn.BCEWithLogitsLoss()(y_logits, y)
before_bce = bce_two_steps.grad_fn.next_functions[0][0]  # the step that fed BCELoss
print("sigmoid + BCELoss:", bce_two_steps.grad_fn.name(), "<-", before_bce.name())
print("BCEWithLogitsLoss:", bce_fused.grad_fn.name())
# --8<-- [end:graph]

# --8<-- [start:extreme]
y_logits = torch.tensor([2.0, 10.0, 16.0, 17.0, 30.0, 100.0], requires_grad=True)
y = torch.zeros_like(y_logits)  # every one of these confident predictions is wrong


def loss_and_grad(loss_fn):
    """Per-sample losses and d loss / d logit for each sample."""
    losses = loss_fn(y_logits)
    (grad,) = torch.autograd.grad(losses.sum(), y_logits)
    return losses.detach(), grad


def two_steps(z):
    return nn.BCELoss(reduction="none")(torch.sigmoid(z), y)


def fused(z):
    return nn.BCEWithLogitsLoss(reduction="none")(z, y)


loss_two, grad_two = loss_and_grad(two_steps)
loss_fused, grad_fused = loss_and_grad(fused)
print("two steps = sigmoid then BCELoss; fused = BCEWithLogitsLoss; label 0 throughout")
print("logit |     sigmoid | two steps: loss   grad | fused: loss   grad")
for i, z in enumerate(y_logits.tolist()):
    p = torch.sigmoid(torch.tensor(z)).item()
    print(
        f"{z:>5.0f} | {p:>11.9f} | {loss_two[i]:>15.4f} {grad_two[i]:>6.4f} "
        f"| {loss_fused[i]:>11.4f} {grad_fused[i]:>6.4f}"
    )
# --8<-- [end:extreme]

# --8<-- [start:curves]
y_logits = torch.linspace(-5, 50, 1000, requires_grad=True)
y = torch.zeros_like(y_logits)
loss_two, grad_two = loss_and_grad(two_steps)
loss_fused, grad_fused = loss_and_grad(fused)
z = y_logits.detach()
fig, (ax_loss, ax_grad) = plt.subplots(1, 2, figsize=(9, 3.5), layout="constrained")
ax_loss.plot(z, loss_fused, label="BCEWithLogitsLoss")
ax_loss.plot(z, loss_two, "--", label="sigmoid + BCELoss")
ax_loss.set(title="Loss for label 0", xlabel="logit")
ax_grad.plot(z, grad_fused, label="BCEWithLogitsLoss")
ax_grad.plot(z, grad_two, "--", label="sigmoid + BCELoss")
ax_grad.set(title="Gradient of the loss", xlabel="logit")
ax_loss.legend()
fig.suptitle("Wrong and confident: sigmoid + BCELoss jumps to its cap of 100, its gradient to 0")
plt.show()
# --8<-- [end:curves]
