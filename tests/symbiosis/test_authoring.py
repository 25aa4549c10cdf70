"""Integration: who describes a flow for whom (helix.symbiosis.authoring): cluster staff on behalf of a
company; a refused user is told why and what to do."""

from __future__ import annotations

import pytest

from helix.symbiosis.models import ResourceFlow
from tests.factories import UserFactory
from tests.helpers.clients import page_client
from tests.symbiosis.helpers import world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_cluster_staff_describe_a_flow_on_behalf_of_a_company(django_capture_on_commit_callbacks) -> None:
    w = world()
    client = page_client(w.staff)

    chooser = client.get("/symbiosis/flows/new/")
    assert chooser.status_code == 200
    names = [o.name for o in chooser.context["organisations"]]
    assert "Staalwerk Gent" in names
    assert "Buiten BV" not in names  # not in the officer's cluster
    assert "Describe a flow" in client.get("/symbiosis/").content.decode()
    form = client.get(f"/symbiosis/flows/new/?organisation={w.steel.pk}")
    assert form.status_code == 200
    assert "For Staalwerk Gent" in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(
            "/symbiosis/flows/new/",
            {
                "organisation_id": w.steel.pk,
                "direction": "have",
                "kind": "water",
                "title": "Cooling water return",
                "site": w.steel.sites.first().pk,
                "quantity": "300",
                "unit": "m3",
                "period": "day",
                "confidentiality": "members",
                "status": "active",
            },
        )
    assert saved.status_code == 302
    created = ResourceFlow.objects.get(title="Cooling water return")
    assert (created.organisation, created.created_by) == (w.steel, w.staff)
    assert client.get(f"/symbiosis/flows/{created.pk}/edit/").status_code == 200


def test_a_refused_user_is_told_why_and_what_to_do() -> None:
    w = world()
    staff = page_client(w.staff)
    outside = staff.get(f"/symbiosis/flows/new/?organisation={w.outsider.pk}")
    assert outside.status_code == 403
    assert "Only the people of an organisation and the staff of its clusters describe its flows" in (
        outside.content.decode()
    )
    edit = page_client(w.steel_user).get(f"/symbiosis/flows/{w.slag_want.pk}/edit/")
    assert edit.status_code == 403
    assert "Only the people of the organisation that describes this flow and the staff of its clusters" in (
        edit.content.decode()
    )
    loner = page_client(UserFactory(username="loner")).get("/symbiosis/flows/new/")
    assert loner.status_code == 403
    assert "Your account belongs to no organisation" in loner.content.decode()
