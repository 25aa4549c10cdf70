"""Organisations and consortia for the tests of helix.core.projects, and hypothesis strategies for them."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from helix.core.projects.consortium import Member, Organisation, OrganisationKind, Role

COMPANY = OrganisationKind.COMPANY
KNOWLEDGE = OrganisationKind.KNOWLEDGE_INSTITUTION
GOVERNMENT = OrganisationKind.GOVERNMENT
OTHER = OrganisationKind.OTHER


def company(
    id_: int, *, sme: bool | None = True, country: str = "BE", group: str = "", **facts: Any
) -> Organisation:
    return Organisation(id_, COMPANY, sme=sme, country=country, group=group, **facts)


def knowledge(id_: int, *, country: str = "BE", **facts: Any) -> Organisation:
    return Organisation(id_, KNOWLEDGE, sme=False, country=country, **facts)


def government(id_: int, *, country: str = "BE", **facts: Any) -> Organisation:
    return Organisation(id_, GOVERNMENT, sme=False, country=country, **facts)


def coordinator(organisation: Organisation) -> Member:
    return Member(organisation, Role.COORDINATOR)


def partner(organisation: Organisation) -> Member:
    return Member(organisation, Role.PARTNER)


# -- hypothesis --------------------------------------------------------------------------------------------

COUNTRIES = ("BE", "LU", "FR", "DE", "NL", "NO", "US", "")
COMPETENCES = ("heat pumps", "digital twins", "textiles", "hydrogen")
SECTORS = ("62.01", "35.11", "13.96", "71.12")
POSITIONS = ("supplier", "integrator", "operator", "user")
DOMAINS = ("green heat", "public lighting")


@st.composite
def organisations(draw: st.DrawFn, id_: int) -> Organisation:
    return Organisation(
        id_,
        draw(st.sampled_from(list(OrganisationKind))),
        sme=draw(st.sampled_from([True, False, None])),
        country=draw(st.sampled_from(COUNTRIES)),
        sectors=frozenset(draw(st.lists(st.sampled_from(SECTORS), max_size=2))),
        competences=frozenset(draw(st.lists(st.sampled_from(COMPETENCES), max_size=2))),
        value_chain=frozenset(draw(st.lists(st.sampled_from(POSITIONS), max_size=2))),
        domains=frozenset(draw(st.lists(st.sampled_from(DOMAINS), max_size=1))),
        group=draw(st.sampled_from(["", "", "g1", "g2"])),
    )


@st.composite
def pools(draw: st.DrawFn, max_size: int = 12) -> list[Organisation]:
    """Organisations with distinct ids 1..n."""
    size = draw(st.integers(0, max_size))
    return [draw(organisations(i)) for i in range(1, size + 1)]


@st.composite
def drafts(draw: st.DrawFn, pool: list[Organisation]) -> list[Member]:
    """Some of ``pool`` in roles (an organisation at most once)."""
    chosen = draw(st.lists(st.sampled_from(pool), unique_by=lambda o: o.id, max_size=6)) if pool else []
    return [Member(o, draw(st.sampled_from(list(Role)))) for o in chosen]
