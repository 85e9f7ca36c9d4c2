# What torch.optim.SGD does in the exercise loop: plain gradient descent on all 80 points, its
# gradient worked out by hand, and nothing random in it (the chapter's DataLoader adds the chance).
# --8<-- [start:one_step]
import torch
from torch import nn

import ptx

X, y = ptx.make_line(weight=0.3, bias=0.9)
X_train, X_test, y_train, y_test = ptx.split_train_test(X, y)  # 80 / 20

torch.manual_seed(42)
model = ptx.LinearRegression()
loss_fn = nn.L1Loss()
lr = 0.01
optimizer = torch.optim.SGD(model.parameters(), lr=lr)

y_pred = model(X_train)  # every one of the 80 training points
loss = loss_fn(y_pred, y_train)
optimizer.zero_grad()
loss.backward()
print(f"points that went into this step: {len(y_pred)} of {len(X_train)}")

# the gradient of mean(|w*x + b - y|), worked out by hand over all 80 points
sign = torch.sign(y_pred - y_train).detach()
grad_w, grad_b = model.weight.grad.item(), model.bias.grad.item()
print(f"weight.grad {grad_w:+.4f}, by hand {(sign * X_train).mean():+.4f}")
print(f"bias.grad   {grad_b:+.4f}, by hand {sign.mean():+.4f}")

# plain gradient descent: weight - lr * grad
expected = model.weight.detach() - lr * model.weight.grad
optimizer.step()
same = torch.equal(model.weight.detach(), expected)
print(f"step == weight - lr * grad: {same}")
# --8<-- [end:one_step]


# --8<-- [start:no_randomness]
def train_full_batch(random_seed, epochs=100):
    """Train the seed-42 model on the full batch; return weight and bias."""
    torch.manual_seed(42)
    model = ptx.LinearRegression()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    torch.manual_seed(random_seed)  # would change any random draw below
    for _ in range(epochs):
        loss = loss_fn(model(X_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return torch.cat([model.weight.detach(), model.bias.detach()])


a, b = train_full_batch(random_seed=0), train_full_batch(random_seed=12345)
print(f"seed 0:     weight, bias = {a.tolist()}")
print(f"seed 12345: weight, bias = {b.tolist()}")
print(f"identical runs, nothing random in the loop: {torch.equal(a, b)}")
# --8<-- [end:no_randomness]
