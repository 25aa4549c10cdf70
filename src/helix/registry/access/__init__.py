"""The permission engine's parts behind helix.registry.permissions: who the caller is (``actor``) and how a
policy reads the objects of a model (``subjects``, with the register of every app's subjects). Callers
ask helix.registry.permissions, not these modules."""
