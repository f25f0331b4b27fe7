"""The call page (static files)."""
