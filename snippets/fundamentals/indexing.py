# Picking numbers out of a tensor: positions, slices, and boolean masks.
# --8<-- [start:positions_and_slices]
import torch

grid = torch.tensor(
    [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
    ]
)
print(grid)
print("grid[0]     ", grid[0])  # (1)!
print("grid[0, 2]  ", grid[0, 2])  # (2)!
print("grid[-1]    ", grid[-1])
print("grid[:, 1]  ", grid[:, 1])  # (3)!
print("grid[1:, :2]", grid[1:, :2].tolist())
grid[3]  # raises IndexError
# --8<-- [end:positions_and_slices]

# --8<-- [start:boolean_masks]
mask = grid > 4  # (1)!
print(mask)
print("grid[mask]         ", grid[mask])  # (2)!
print("grid[grid % 2 == 0]", grid[grid % 2 == 0])
print("how many above 4:  ", mask.sum().item())
# --8<-- [end:boolean_masks]

# --8<-- [start:assign]
grid[0, 0] = 100  # (1)!
grid[:, 2] = 0
grid[grid == 5] = -1  # (2)!
print(grid)
# --8<-- [end:assign]
