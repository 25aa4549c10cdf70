"""Integration: membership ladder services keep a dated history and respect roles."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from helix.core.workflow import TransitionNotAllowed
from helix.registry import services
from helix.registry.models import MembershipChange
from tests.factories import ClusterFactory, OrganisationFactory, member_user, staff_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_staff_climb_the_ladder_and_every_step_is_dated():
    cluster = ClusterFactory()
    org = OrganisationFactory()
    staff = staff_user(cluster)
    membership = services.join_cluster(org, cluster, user=staff, on=dt.date(2016, 5, 26))
    services.change_engagement(membership, "loi_signed", user=staff, on=dt.date(2016, 6, 1))
    services.change_engagement(membership, "member", user=staff, on=dt.date(2017, 5, 10))
    history = list(
        MembershipChange.objects.filter(membership=membership).values_list(
            "from_level", "to_level", "changed_on"
        )
    )
    assert history == [
        ("", "interested", dt.date(2016, 5, 26)),
        ("interested", "loi_signed", dt.date(2016, 6, 1)),
        ("loi_signed", "member", dt.date(2017, 5, 10)),
    ]
    membership.refresh_from_db()
    assert (membership.level, membership.since) == ("member", dt.date(2017, 5, 10))


def test_member_user_cannot_promote_itself_to_member():
    cluster = ClusterFactory()
    org = OrganisationFactory()
    membership = services.join_cluster(org, cluster, user=staff_user(cluster), level="loi_signed")
    with pytest.raises(TransitionNotAllowed):
        services.change_engagement(membership, "member", user=member_user(org))


def test_letter_of_intent_moves_interested_to_loi_signed():
    cluster = ClusterFactory()
    org = OrganisationFactory()
    user = member_user(org)
    services.join_cluster(org, cluster, user=user)
    services.record_letter_of_intent(
        org, cluster, user=user, signed_on=dt.date(2016, 6, 3), signatory_name="An Peeters"
    )
    assert org.memberships.get().level == "loi_signed"
    assert org.letters_of_intent.get().signed_by == "An Peeters"


def test_outsider_cannot_add_an_organisation_to_a_cluster():
    cluster = ClusterFactory()
    org = OrganisationFactory()
    outsider = member_user(OrganisationFactory(), username="outsider")
    with pytest.raises(PermissionDenied):
        services.join_cluster(org, cluster, user=outsider)


def test_letter_of_intent_keeps_its_signed_document():
    from django.core.files.uploadedfile import SimpleUploadedFile

    cluster = ClusterFactory()
    org = OrganisationFactory()
    letter = services.record_letter_of_intent(
        org,
        cluster,
        user=staff_user(cluster),
        signed_on=dt.date(2016, 9, 12),
        signatory_name="An Peeters",
        document=SimpleUploadedFile("loi.pdf", b"%PDF-1.4 signed", content_type="application/pdf"),
    )
    letter.refresh_from_db()
    assert letter.document.name.startswith("letters-of-intent/")
    assert letter.document.name.endswith(".pdf")
    with letter.document.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 signed"
    assert org.memberships.get(cluster=cluster).level == "loi_signed"
