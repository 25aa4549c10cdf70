"""Helpers shared by tests of several apps (one module per concern)."""
