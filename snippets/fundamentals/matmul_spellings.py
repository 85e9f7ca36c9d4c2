# Three spellings of matrix multiplication, how they differ, and the shape rule.
# --8<-- [start:spellings]
import torch

torch.manual_seed(0)
tensor_1 = torch.rand(3, 4)

by_method = tensor_1.matmul(tensor_1.T)
by_mm = tensor_1.mm(tensor_1.T)
by_operator = tensor_1 @ tensor_1.T
print(by_operator)
print(f"(3, 4) @ (4, 3) -> {tuple(by_operator.shape)}")
print(f"matmul == mm: {torch.equal(by_method, by_mm)}")
print(f"matmul == @:  {torch.equal(by_method, by_operator)}")
# --8<-- [end:spellings]

# --8<-- [start:elementwise]
square = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
product = square @ square
print("square @ square (rows times columns):")
print(product)
row_0, column_0 = square[0], square[:, 0]  # (1)!
worked = " + ".join(f"{a:g}·{b:g}" for a, b in zip(row_0, column_0, strict=True))
print(f"entry [0, 0] = {worked} = {(row_0 * column_0).sum():g}")
print("square * square (each number times itself):")
print(square * square)
print(f"tensor_1 * tensor_1 keeps the shape: {tuple((tensor_1**2).shape)}")
# --8<-- [end:elementwise]

# --8<-- [start:shape_rule]
torch.manual_seed(0)
tensor_A = torch.rand(7, 7)
tensor_B = torch.rand(1, 7)
print(f"(7, 7) @ (7, 1) -> {tuple((tensor_A @ tensor_B.T).shape)}")  # (1)!
print(f"(1, 7) @ (7, 7) -> {tuple((tensor_B @ tensor_A).shape)}")
tensor_A @ tensor_B  # raises RuntimeError
# --8<-- [end:shape_rule]
