"""Helix: the open-source platform for innovation clusters and regional innovation agencies."""

__version__ = "0.1.0"
