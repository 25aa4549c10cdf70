"""A tiny hand-made participation graph shared by the consortia tests."""

from __future__ import annotations

from helix.core.consortia import Participation

# project: (part, year, [(organisation, role, type, country), ...])
PROJECTS = {
    "P1": (
        "LEIT",
        2016,
        [
            ("A", "coordinator", "HES", "BE"),
            ("B", "participant", "PRC", "BE"),
            ("C", "participant", "REC", "DE"),
        ],
    ),
    "P2": (
        "LEIT",
        2016,
        [
            ("A", "coordinator", "HES", "BE"),
            ("B", "participant", "PRC", "BE"),
            ("D", "participant", "PRC", "NL"),
        ],
    ),
    "P3": ("SC1", 2016, [("A", "coordinator", "HES", "BE"), ("E", "participant", "PUB", "FR")]),
    "P4": ("LEIT", 2016, [("F", "coordinator", "HES", "DE"), ("G", "participant", "PRC", "DE")]),
    "P5": ("LEIT", 2015, [("C", "coordinator", "REC", "DE"), ("H", "participant", "PRC", "NL")]),
}


def rows(
    projects: dict[str, tuple[str, int, list[tuple[str, str, str, str]]]] = PROJECTS,
) -> list[Participation]:
    return [
        Participation(project, organisation, role, kind, country, (part,), year)
        for project, (part, year, members) in projects.items()
        for organisation, role, kind, country in members
    ]
