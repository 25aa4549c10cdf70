"""``helix registry``: import and export the registry (placeholder until the import work lands)."""

import click


@click.group()
def registry() -> None:
    """Import and export organisations, people, sites and memberships."""
