"""The hand-built ecosystem of tests/core/insights (see test_indicators.py for what it holds)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from helix.core.insights import (
    Contact,
    Ecosystem,
    Event,
    FundingLine,
    Listing,
    MatchContact,
    Meeting,
    Membership,
    Organisation,
    Period,
    Project,
    Roadmap,
    StaffValue,
    Step,
    Synergy,
    SynergyReport,
)

YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))
D = date


def steps(*pairs: tuple[date, str]) -> tuple[Step, ...]:
    return tuple(Step(on, state) for on, state in pairs)


def world(**changes: object) -> Ecosystem:
    orgs = {
        1: Organisation(1, "AlphaCo", "company", "industry", sme=True, country="BE"),
        2: Organisation(2, "BetaWorks", "company", "industry", sme=False, country="BE"),
        3: Organisation(3, "University", "knowledge_institution", "research", country="BE"),
        4: Organisation(4, "City", "government", "public", country="BE"),
        5: Organisation(5, "LuxTech", "company", "industry", sme=True, country="LU"),
        6: Organisation(6, "GammaSME", "company", "industry", sme=True, country="NL"),
        7: Organisation(7, "DeltaCo", "company", "industry", sme=True, country=""),
        8: Organisation(8, "Epsilon", "company", "industry", sme=False, country="BE"),
    }
    memberships = (
        Membership(
            11,
            1,
            steps((D(2023, 3, 1), "interested"), (D(2023, 6, 1), "loi_signed"), (D(2025, 4, 1), "member")),
        ),
        Membership(12, 2, steps((D(2024, 1, 10), "loi_signed"))),
        Membership(13, 3, steps((D(2022, 5, 1), "member"), (D(2025, 9, 1), "strategic_partner"))),
        Membership(14, 4, steps((D(2024, 11, 1), "interested"), (D(2025, 2, 1), "loi_signed"))),
        Membership(15, 5, steps((D(2024, 2, 1), "loi_signed"))),
        Membership(16, 6, steps((D(2023, 1, 1), "member"), (D(2025, 6, 30), "left"))),
        Membership(17, 7, steps((D(2025, 5, 1), "interested"))),
        Membership(18, 8, steps((D(2025, 10, 1), "loi_signed"))),
    )
    base = {
        "cluster": "energy",
        "home_country": "BE",
        "organisations": orgs,
        "memberships": memberships,
        "contacts": (
            Contact(21, 1, D(2025, 2, 3)),
            Contact(22, 1, D(2025, 3, 3)),
            Contact(23, 3, D(2024, 12, 15)),  # the year before
            Contact(24, 7, D(2025, 6, 1)),  # not a committed member
        ),
        "events": (
            Event(31, D(2025, 5, 20), (1, 2, 7)),
            Event(32, D(2024, 11, 1), (3,)),
            Event(33, None, (4,)),  # no slot yet: never held
        ),
        "meetings": (
            Meeting(41, 31, D(2025, 5, 20), (1, 2), "held"),
            Meeting(42, 31, D(2025, 5, 20), (1, 7), "no_show"),
            Meeting(43, 32, D(2024, 11, 1), (3, 4), "held"),
        ),
        "match_contacts": (
            MatchContact(51, D(2025, 3, 1), 3, 2, "accepted"),
            MatchContact(52, D(2025, 4, 1), 8, 2, "declined"),
            MatchContact(53, D(2025, 7, 1), 4, 1, "withdrawn"),
            MatchContact(54, D(2024, 12, 1), 1, 2, "accepted"),  # the year before
        ),
        "listings": (Listing(61, 4, "need", D(2025, 3, 15)), Listing(62, 2, "offer", D(2024, 6, 1))),
        "projects": (
            Project(
                71,
                "flagship",
                steps(
                    (D(2024, 9, 1), "idea"),
                    (D(2024, 12, 1), "submitted"),
                    (D(2025, 2, 15), "approved"),
                    (D(2025, 3, 1), "running"),
                ),
                (1, 3),
                (
                    FundingLine("subsidy", Decimal(100000)),
                    FundingLine("own", Decimal(30000)),
                    FundingLine("private", Decimal(20000)),
                ),
                from_match=True,
            ),
            Project(
                72,
                "precluster",
                steps((D(2025, 1, 10), "idea"), (D(2025, 5, 1), "submitted"), (D(2025, 8, 1), "rejected")),
                (2, 5),
                (FundingLine("subsidy", Decimal(50000)),),
            ),
            Project(
                73,
                "living_lab",
                steps((D(2024, 6, 1), "approved"), (D(2024, 7, 1), "running")),
                (8,),
                (FundingLine("subsidy", Decimal(10000)),),
            ),
        ),
        "synergies": (
            Synergy(
                81,
                (1, 6),
                steps((D(2024, 10, 1), "proposed"), (D(2025, 2, 1), "agreed"), (D(2025, 6, 1), "realised")),
                (
                    SynergyReport(D(2025, 6, 30), 120.0, "t", 30.0),
                    SynergyReport(D(2025, 12, 31), 500.0, "kg", 0.2),
                    SynergyReport(D(2024, 12, 31), 10.0, "t", 2.0),  # the year before
                ),
            ),
            Synergy(82, (2, 4), steps((D(2025, 1, 5), "proposed"), (D(2025, 11, 1), "realised"))),
            Synergy(
                83,
                (3, 5),
                steps((D(2024, 1, 1), "proposed"), (D(2024, 5, 1), "agreed"), (D(2024, 8, 1), "realised")),
            ),
        ),
        "roadmaps": (
            Roadmap(
                91,
                steps((D(2024, 5, 1), "draft"), (D(2025, 1, 10), "consultation"), (D(2025, 3, 1), "adopted")),
                (1, 3, 4, 9),
                items=10,
                owned_items=8,
            ),
            Roadmap(92, steps((D(2025, 2, 1), "draft")), (2, 5), items=4, owned_items=4),
        ),
        "staff_values": (
            StaffValue(101, "staff_fte", Decimal("1.5"), YEAR, "2025 staff plan", D(2025, 1, 15)),
            StaffValue(
                102,
                "staff_fte",
                Decimal("1.0"),
                Period(D(2024, 1, 1), D(2024, 12, 31)),
                "2024 plan",
                D(2024, 1, 2),
            ),
        ),
    }
    base.update(changes)
    return Ecosystem(**base)  # type: ignore[arg-type]
