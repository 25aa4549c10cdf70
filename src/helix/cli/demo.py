"""``helix demo``: the demo ecosystem (placeholder until the demo work lands)."""

import click


@click.group()
def demo() -> None:
    """Load the demo ecosystem or generate a synthetic one at scale."""
