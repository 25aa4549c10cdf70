"""Sections other apps add to an organisation's profile, without the registry importing them.

The registry is the base app: it may not import projects, calls or any other domain app (the import
contracts in pyproject.toml), yet an organisation's profile should show what it takes part in there. So
an app registers a section in its ``AppConfig.ready``::

    from helix.registry.profile_sections import register_section

    register_section("projects", projects_section, order=10)

and the profile page (helix.registry.organisation_views) renders every registered section, in ``order``
(then by key), after the registry's own. A section is a callable ``(request, organisation) -> str``: the
HTML of the whole section (a ``<section class="panel">`` with its heading), or ``""`` when it has nothing
to show that visitor. It decides itself what the visitor may see (helix.registry.permissions.scope),
as the registry's own parts do, and should ask a fixed number of queries whatever the organisation holds.

The anonymous profile is kept in the page cache (helix.pagecache): an app whose section shows its data
to anonymous visitors must be among ``helix.pagecache.WATCHED_APPS``, so that a change ends the kept page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

Render = Callable[[HttpRequest, Any], str]


@dataclass(frozen=True)
class ProfileSection:
    key: str
    render: Render
    order: int = 100


_SECTIONS: dict[str, ProfileSection] = {}


def register_section(key: str, render: Render, *, order: int = 100) -> None:
    """Show ``render(request, organisation)`` on every organisation's profile. Registering a key again
    replaces its section (an app's ``ready`` may run twice in tests)."""
    _SECTIONS[key] = ProfileSection(key, render, order)


def unregister_section(key: str) -> None:
    _SECTIONS.pop(key, None)


def sections() -> list[ProfileSection]:
    """The registered sections, in the order the profile shows them."""
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def render_sections(request: HttpRequest, organisation: Any) -> list[SafeString]:
    """The HTML of each registered section that has something to show ``request``'s visitor."""
    rendered = []
    for section in sections():
        html = section.render(request, organisation)
        if html:
            # A section renders its own template, which escapes what it shows.
            rendered.append(mark_safe(html))
    return rendered
