"""``helix roadmap``: cluster roadmap commands (levelling a PSPLIB instance and checking a schedule)."""

from __future__ import annotations

import click

from helix.cli.roadmap_level import check_command, level_command


@click.group()
def roadmap() -> None:
    """Cluster roadmaps: level an RCPSP instance (PSPLIB .sm) and check a levelled schedule."""


roadmap.add_command(level_command)
roadmap.add_command(check_command)
