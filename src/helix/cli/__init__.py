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
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:  # e.g. no secret key in production: say what to set, no traceback
        raise click.ClickException(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="helix")
def main() -> None:
    """Helix: run the daily work of an innovation cluster."""
    from helix.audit.context import CLI, acting_as

    # Changes made by a command are logged as coming from the command line (with the --as user, if any).
    click.get_current_context().with_resource(acting_as(None, CLI))


def _register() -> None:
    from helix.cli import (
        api,
        calls,
        calls_review,  # noqa: F401 - adds the review's and the decision's commands to `calls`
        consortia,
        demo,
        events,
        funds,
        insights,
        jobs,
        listings,
        match,
        people,
        permissions,
        privacy,
        projects,
        registry,
        roadmap,
        roadmap_data,  # noqa: F401 - adds the database's roadmap commands to `roadmap`
        schedule,
        server,
        symbiosis,
    )

    main.add_command(api.api)
    main.add_command(listings.listings)
    main.add_command(match.match)
    main.add_command(schedule.schedule)
    main.add_command(roadmap.roadmap)
    main.add_command(events.events)
    main.add_command(projects.projects)
    main.add_command(calls.calls)
    main.add_command(symbiosis.symbiosis)
    main.add_command(consortia.consortia)
    main.add_command(funds.funds)
    main.add_command(insights.insights)

    main.add_command(registry.registry)
    main.add_command(people.people)
    main.add_command(jobs.jobs)
    main.add_command(privacy.privacy)
    main.add_command(permissions.permissions)
    main.add_command(demo.demo)
    main.add_command(server.serve)
    main.add_command(server.worker)
    main.add_command(server.manage)


_register()
