"""SME status under Commission Recommendation 2003/361/EC, with the reasons that decided it.

Per enterprise and year: staff in annual work units (AWU), turnover and balance sheet total
(:class:`YearFigures`); ownership between enterprises as :class:`Holding` rows (share of capital or voting
rights, whichever is larger, and whether the holder controls). For the year asked:

- the enterprise's figures are added up with those of its **linked** enterprises (more than 50 % held, or
  controlled, either way, and so on transitively: in full) and its **partner** enterprises (25 % to 50 %
  held, either way, by the enterprise or one linked to it: pro rata, each partner with its own linked
  enterprises in full, Art. 6(2)-(3) of the Annex); a holding under 25 %, or by an exempt investor
  (Art. 3(2): public investment corporations, business angels, universities, ...) up to 50 % without
  control, counts for nothing;
- those totals give the year's size class: micro (fewer than 10 AWU and turnover or balance sheet at
  most EUR 2 million), small (fewer than 50, EUR 10 million), medium (fewer than 250, turnover at most
  EUR 50 million or balance sheet at most EUR 43 million), else large;
- the status changes only when two consecutive years fall on the same side of it (Art. 4(2)); it then
  moves to the class both years exceed (the nearer one when they differ). A year on its own leaves it;
- an enterprise 25 % or more of whose capital or voting rights public bodies hold, jointly or alone, is
  not an SME, whatever its figures (Art. 3(4)).

Missing figures give :attr:`SizeClass.UNKNOWN` with every missing figure named, never a guess. Only as
many years back as the status needs are asked: back to two consecutive years of the same class (then the
status is that class whatever came before), or to the year the enterprise was founded (its first year's
class is its status).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

PARTNER_SHARE = Decimal("0.25")  # from 25 % up a holding makes partners
LINKED_SHARE = Decimal("0.5")  # above 50 % (or control) it makes linked enterprises
PUBLIC_CONTROL_SHARE = Decimal("0.25")  # public bodies holding this much: not an SME


class SizeClass(StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"
    UNKNOWN = "unknown"


SIZE_ORDER: tuple[SizeClass, ...] = (SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM, SizeClass.LARGE)
SME_CLASSES = frozenset({SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM})


@dataclass(frozen=True)
class Ceiling:
    """A class's ceilings: staff below ``staff_below`` and turnover or balance sheet at most the sums."""

    size: SizeClass
    staff_below: Decimal
    turnover_eur: Decimal
    balance_sheet_eur: Decimal


CEILINGS: tuple[Ceiling, ...] = (
    Ceiling(SizeClass.MICRO, Decimal(10), Decimal(2_000_000), Decimal(2_000_000)),
    Ceiling(SizeClass.SMALL, Decimal(50), Decimal(10_000_000), Decimal(10_000_000)),
    Ceiling(SizeClass.MEDIUM, Decimal(250), Decimal(50_000_000), Decimal(43_000_000)),
)

FIGURE_FIELDS = ("staff_awu", "turnover_eur", "balance_sheet_eur")


@dataclass(frozen=True)
class YearFigures:
    """One enterprise's own figures for one accounting year (None: not known)."""

    staff_awu: Decimal | None = None
    turnover_eur: Decimal | None = None
    balance_sheet_eur: Decimal | None = None

    def missing(self) -> tuple[str, ...]:
        return tuple(name for name in FIGURE_FIELDS if getattr(self, name) is None)


@dataclass(frozen=True)
class Enterprise:
    id: str
    figures: Mapping[int, YearFigures] = field(default_factory=dict)
    public_body: bool = False
    # The first accounting year: the status of that year is its class, and no earlier year is asked for.
    founded: int | None = None
    # An investor of Art. 3(2) (public investment corporation, business angel, university, institutional
    # investor, small local authority): holding up to 50 % without control makes no partner.
    exempt_investor: bool = False


@dataclass(frozen=True)
class Holding:
    """``owner`` holds ``share`` (0..1) of ``owned``'s capital or voting rights (the larger of the two),
    in the years ``since``..``until`` (inclusive; None: open)."""

    owner: str
    owned: str
    share: Decimal
    control: bool = False  # a dominant influence whatever the share (Art. 3(3))
    since: int | None = None
    until: int | None = None

    def active(self, year: int) -> bool:
        return (self.since is None or self.since <= year) and (self.until is None or year <= self.until)

    @property
    def links(self) -> bool:
        return self.control or self.share > LINKED_SHARE


@dataclass(frozen=True)
class SmeReason:
    code: str
    params: dict[str, object] = field(default_factory=dict)
    text: str = ""  # English, for readers without a translation of ``code``


@dataclass(frozen=True)
class MissingFigure:
    enterprise: str
    year: int
    fields: tuple[str, ...]  # names in FIGURE_FIELDS, or ("enterprise",) for an unknown enterprise

    def as_params(self) -> dict[str, object]:
        return {"enterprise": self.enterprise, "year": self.year, "fields": list(self.fields)}


@dataclass(frozen=True)
class SmeStatus:
    enterprise: str
    year: int
    size: SizeClass
    reasons: tuple[SmeReason, ...]
    missing: tuple[MissingFigure, ...] = ()

    @property
    def is_sme(self) -> bool | None:
        """True for micro, small or medium; False for large; None when unknown."""
        if self.size is SizeClass.UNKNOWN:
            return None
        return self.size in SME_CLASSES


@dataclass(frozen=True)
class YearClass:
    """The class one year's aggregated figures give, with what was counted."""

    year: int
    size: SizeClass
    staff_awu: Decimal
    turnover_eur: Decimal
    balance_sheet_eur: Decimal
    exceeded: tuple[str, ...]  # "micro.staff", "small.money": ceilings of smaller classes exceeded
    linked: tuple[str, ...]  # counted in full (the enterprise itself excluded)
    partners: tuple[tuple[str, Decimal], ...]  # counted pro rata: (enterprise, share)


def size_of(
    staff_awu: Decimal, turnover_eur: Decimal, balance_sheet_eur: Decimal
) -> tuple[SizeClass, tuple[str, ...]]:
    """The class these totals give and the ceilings of the smaller classes they exceed."""
    exceeded: list[str] = []
    for ceiling in CEILINGS:
        staff_ok = staff_awu < ceiling.staff_below
        money_ok = turnover_eur <= ceiling.turnover_eur or balance_sheet_eur <= ceiling.balance_sheet_eur
        if staff_ok and money_ok:
            return ceiling.size, tuple(exceeded)
        if not staff_ok:
            exceeded.append(f"{ceiling.size}.staff")
        if not money_ok:
            exceeded.append(f"{ceiling.size}.money")
    return SizeClass.LARGE, tuple(exceeded)


def _linked_component(start: str, year: int, holdings: Sequence[Holding]) -> set[str]:
    component = {start}
    frontier = [start]
    while frontier:
        current = frontier.pop()
        for h in holdings:
            if not (h.active(year) and h.links):
                continue
            for a, b in ((h.owner, h.owned), (h.owned, h.owner)):
                if a == current and b not in component:
                    component.add(b)
                    frontier.append(b)
    return component


def linked_groups(
    holdings: Sequence[Holding], year: int, members: Iterable[str] = ()
) -> dict[str, frozenset[str]]:
    """Each enterprise named in ``holdings`` or ``members`` with the enterprises linked to it in ``year``
    (majority of capital or voting rights, or control, transitively): a "single undertaking" of the de
    minimis Regulation 2023/2831, Art. 2(2)."""
    names = set(members) | {h.owner for h in holdings} | {h.owned for h in holdings}
    groups: dict[str, frozenset[str]] = {}
    for name in sorted(names):
        if name not in groups:
            component = frozenset(_linked_component(name, year, holdings))
            for member in component:
                groups[member] = component
    return groups


def undertaking_ids(holdings: Sequence[Holding], year: int, members: Iterable[str] = ()) -> dict[str, str]:
    """Each enterprise's single undertaking, named after its smallest member id."""
    return {name: min(group) for name, group in linked_groups(holdings, year, members).items()}


def _public_share(
    enterprise_id: str, year: int, enterprises: Mapping[str, Enterprise], holdings: Sequence[Holding]
) -> tuple[Decimal, list[str]]:
    share = Decimal(0)
    holders: list[str] = []
    for h in holdings:
        owner = enterprises.get(h.owner)
        if h.owned == enterprise_id and h.active(year) and owner is not None and owner.public_body:
            share += h.share
            holders.append(h.owner)
    return share, sorted(holders)


def _partner_shares(
    group: set[str], year: int, enterprises: Mapping[str, Enterprise], holdings: Sequence[Holding]
) -> dict[str, Decimal]:
    """The partners immediately up- or downstream of ``group``, each with the largest share between them."""
    partners: dict[str, Decimal] = {}
    for h in holdings:
        if not h.active(year) or h.links or h.share < PARTNER_SHARE:
            continue
        owner = enterprises.get(h.owner)
        if owner is not None and owner.exempt_investor:
            continue  # Art. 3(2): an exempt investor up to 50 % without control is no partner
        for inside, outside in ((h.owner, h.owned), (h.owned, h.owner)):
            if inside in group and outside not in group:
                partners[outside] = max(partners.get(outside, Decimal(0)), h.share)
    return partners


def year_class(
    enterprise_id: str, year: int, enterprises: Mapping[str, Enterprise], holdings: Sequence[Holding]
) -> YearClass | list[MissingFigure]:
    """The class of one year's aggregated figures, or every figure missing for it."""
    group = _linked_component(enterprise_id, year, holdings)
    partners = _partner_shares(group, year, enterprises, holdings)
    weights: dict[str, Decimal] = dict.fromkeys(group, Decimal(1))
    for partner, share in sorted(partners.items()):
        # A partner counts pro rata together with the enterprises linked to it (Art. 6(3)); an
        # enterprise reached through two partners counts once, at the larger share.
        for name in _linked_component(partner, year, holdings) - group:
            weights[name] = max(weights.get(name, Decimal(0)), share)
    missing: list[MissingFigure] = []
    totals = [Decimal(0), Decimal(0), Decimal(0)]
    for name, weight in sorted(weights.items(), key=lambda item: (item[1] != 1, item[0])):
        enterprise = enterprises.get(name)
        if enterprise is None:
            missing.append(MissingFigure(name, year, ("enterprise",)))
            continue
        figures = enterprise.figures.get(year, YearFigures())
        lacking = figures.missing()
        if lacking:
            missing.append(MissingFigure(name, year, lacking))
            continue
        for i, name_of_field in enumerate(FIGURE_FIELDS):
            value = getattr(figures, name_of_field)
            totals[i] += value * weight
    if missing:
        return missing
    size, exceeded = size_of(totals[0], totals[1], totals[2])
    return YearClass(
        year=year,
        size=size,
        staff_awu=totals[0],
        turnover_eur=totals[1],
        balance_sheet_eur=totals[2],
        exceeded=exceeded,
        linked=tuple(sorted(group - {enterprise_id})),
        partners=tuple(sorted(partners.items())),
    )


def _year_reasons(yc: YearClass) -> list[SmeReason]:
    reasons = [
        SmeReason(
            "sme.year_class",
            {
                "year": yc.year,
                "class": str(yc.size),
                "staff_awu": str(yc.staff_awu),
                "turnover_eur": str(yc.turnover_eur),
                "balance_sheet_eur": str(yc.balance_sheet_eur),
                "exceeded": list(yc.exceeded),
            },
            f"{yc.year}: {yc.staff_awu} AWU, turnover EUR {yc.turnover_eur}, balance sheet EUR "
            f"{yc.balance_sheet_eur}: {yc.size}"
            + (f" (over the ceilings {', '.join(yc.exceeded)})" if yc.exceeded else ""),
        )
    ]
    reasons += [
        SmeReason(
            "sme.counted_linked",
            {"year": yc.year, "enterprise": name},
            f"{yc.year}: {name} is linked: counted in full",
        )
        for name in yc.linked
    ]
    reasons += [
        SmeReason(
            "sme.counted_partner",
            {"year": yc.year, "enterprise": name, "share": str(share)},
            f"{yc.year}: {name} is a partner: counted at {share}",
        )
        for name, share in yc.partners
    ]
    return reasons


def _above(a: SizeClass, b: SizeClass) -> bool:
    return SIZE_ORDER.index(a) > SIZE_ORDER.index(b)


def next_status(status: SizeClass, previous: SizeClass, current: SizeClass) -> SizeClass:
    """The status after a year of class ``current`` that followed a year of class ``previous``: it moves
    only when both years lie on the same side of it, to the nearer of the two (Art. 4(2))."""
    rank = SIZE_ORDER.index
    s, p, c = rank(status), rank(previous), rank(current)
    if p > s and c > s:
        return SIZE_ORDER[min(p, c)]
    if p < s and c < s:
        return SIZE_ORDER[max(p, c)]
    return status


def _unknown(enterprise_id: str, year: int, missing: list[MissingFigure]) -> SmeStatus:
    return SmeStatus(
        enterprise_id,
        year,
        SizeClass.UNKNOWN,
        (
            SmeReason(
                "sme.unknown",
                {"missing": [m.as_params() for m in missing]},
                "SME status unknown: missing "
                + "; ".join(f"{m.enterprise} {m.year}: {', '.join(m.fields)}" for m in missing),
            ),
        ),
        tuple(missing),
    )


def sme_status(
    enterprise_id: str, year: int, enterprises: Mapping[str, Enterprise], holdings: Sequence[Holding] = ()
) -> SmeStatus:
    """The SME status of ``enterprise_id`` in ``year``, with coded reasons (or what is missing)."""
    enterprise = enterprises.get(enterprise_id)
    if enterprise is None:
        return _unknown(enterprise_id, year, [MissingFigure(enterprise_id, year, ("enterprise",))])
    if enterprise.founded is not None and year < enterprise.founded:
        return SmeStatus(
            enterprise_id,
            year,
            SizeClass.UNKNOWN,
            (
                SmeReason(
                    "sme.not_founded",
                    {"year": year, "founded": enterprise.founded},
                    f"Not founded before {enterprise.founded}",
                ),
            ),
        )
    public, holders = _public_share(enterprise_id, year, enterprises, holdings)
    if public >= PUBLIC_CONTROL_SHARE:
        return SmeStatus(
            enterprise_id,
            year,
            SizeClass.LARGE,
            (
                SmeReason(
                    "sme.public_control",
                    {"year": year, "share": str(public), "holders": holders},
                    f"{year}: public bodies ({', '.join(holders)}) hold {public}: not an SME",
                ),
            ),
        )
    # Walk back to the anchor: the founding year, or a year whose class equals the year before's.
    classes: dict[int, YearClass] = {}

    def class_of(y: int) -> YearClass | list[MissingFigure]:
        if y not in classes:
            found = year_class(enterprise_id, y, enterprises, holdings)
            if isinstance(found, list):
                return found
            classes[y] = found
        return classes[y]

    anchor = year
    while True:
        here = class_of(anchor)
        if isinstance(here, list):
            return _unknown(enterprise_id, year, here)
        if enterprise.founded is not None and anchor <= enterprise.founded:
            anchor_code = "sme.status_from_first_year"
            break
        before = class_of(anchor - 1)
        if isinstance(before, list):
            return _unknown(enterprise_id, year, before)
        if before.size is here.size:
            anchor_code = "sme.status_from_two_years"
            anchor -= 1
            break
        anchor -= 1

    reasons: list[SmeReason] = []
    for y in range(anchor, year + 1):
        reasons += _year_reasons(classes[y])
    status = classes[anchor].size
    if anchor_code == "sme.status_from_first_year":
        reasons.append(
            SmeReason(anchor_code, {"year": anchor, "class": str(status)}, f"{anchor}: first year: {status}")
        )
    else:
        reasons.append(
            SmeReason(
                anchor_code,
                {"year": anchor + 1, "class": str(status)},
                f"{anchor} and {anchor + 1}: {status} both years",
            )
        )
        status = classes[anchor + 1].size
    first_step = anchor + 1 if anchor_code == "sme.status_from_first_year" else anchor + 2
    for y in range(first_step, year + 1):
        previous, current = classes[y - 1].size, classes[y].size
        new = next_status(status, previous, current)
        if new is not status:
            reasons.append(
                SmeReason(
                    "sme.status_changed",
                    {"year": y, "from": str(status), "to": str(new)},
                    f"{y - 1} and {y} both {'over' if _above(new, status) else 'under'} the {status} "
                    f"thresholds: {status} -> {new}",
                )
            )
        elif current is not status:
            reasons.append(
                SmeReason(
                    "sme.status_kept",
                    {"year": y, "class": str(current), "status": str(status)},
                    f"{y}: {current} figures, but one year alone leaves the status {status}",
                )
            )
        status = new
    return SmeStatus(enterprise_id, year, status, tuple(reasons))
