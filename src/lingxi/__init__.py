"""Lingxi (灵犀): a self-hostable, full-duplex real-time voice companion."""

__version__ = "0.1.0"
