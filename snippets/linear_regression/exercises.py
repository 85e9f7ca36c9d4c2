# %% [markdown]
# # Exercises

# %%
print("being written")
