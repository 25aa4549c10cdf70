"""The ``helix`` command: one click group with a subcommand group per noun.

Django is set up lazily, only by the commands that touch the database, so ``helix --help`` is instant.
"""

from __future__ import annotations

import os

import click

from helix import __version__


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helix.settings")
    import django

    django.setup()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="helix")
def main() -> None:
    """Helix: run the daily work of an innovation cluster."""


def _register() -> None:
    from helix.cli import api, demo, events, listings, match, registry, schedule, server, symbiosis

    main.add_command(api.api)
    main.add_command(listings.listings)
    main.add_command(match.match)
    main.add_command(schedule.schedule)
    main.add_command(events.events)
    main.add_command(symbiosis.symbiosis)

    main.add_command(registry.registry)
    main.add_command(demo.demo)
    main.add_command(server.serve)
    main.add_command(server.worker)
    main.add_command(server.manage)


_register()
