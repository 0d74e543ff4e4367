"""Pure clinical logic shared across steps (no Django imports)."""
