"""Model adapters behind small Protocols; they know nothing of calls."""
