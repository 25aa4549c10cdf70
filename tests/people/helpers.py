"""Set-up for the tests of people: two clusters with an organisation each, their staff and a member user;
the link of a sent invitation and the last mail to an address."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core import mail

from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, member_user, staff_user


@dataclass
class Ecosystem:
    alpha: Any
    beta: Any
    enervalis: Any
    niko: Any
    staff: Any
    staff_beta: Any
    member: Any


def ecosystem() -> Ecosystem:
    """Clusters alpha and beta, Enervalis a member of alpha and Niko of beta, staff of each, and a member
    user of Enervalis."""
    alpha = ClusterFactory(slug="alpha", name="Alpha Cluster")
    beta = ClusterFactory(slug="beta", name="Beta Cluster")
    enervalis = OrganisationFactory(name="Enervalis", slug="enervalis")
    niko = OrganisationFactory(name="Niko", slug="niko")
    MembershipFactory(organisation=enervalis, cluster=alpha)
    MembershipFactory(organisation=niko, cluster=beta)
    staff = staff_user(alpha, "staff")
    staff.first_name, staff.last_name = "Stef", "Staff"
    staff.save()
    return Ecosystem(
        alpha=alpha,
        beta=beta,
        enervalis=enervalis,
        niko=niko,
        staff=staff,
        staff_beta=staff_user(beta, "staff_beta"),
        member=member_user(enervalis, "mia"),
    )


LINK = re.compile(r"https://helix\.example\.org(/people/[^\s]+/)")


def link_in(message: Any) -> str:
    """The path of the helix link in a sent e-mail."""
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


def last_mail_to(address: str) -> Any:
    sent = [m for m in mail.outbox if m.to == [address]]
    assert sent, f"no mail to {address}: {[m.to for m in mail.outbox]}"
    return sent[-1]
