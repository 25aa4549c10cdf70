"""Integration: the membership pipeline board (staff only) and the interaction log on profiles."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from helix.registry.models import Interaction, Membership, MembershipChange
from tests.factories import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    member_user,
    staff_user,
)
from tests.helpers.queries import count_queries

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def ladder():
    cluster = ClusterFactory(slug="materials", name="Materials & Manufacturing")
    rows = {
        "Acme": ("interested", dt.date(2024, 3, 1)),
        "Beta": ("loi_signed", dt.date(2023, 5, 2)),
        "Gamma": ("member", dt.date(2020, 1, 1)),
        "Delta": ("strategic_partner", dt.date(2019, 9, 9)),
        "Omega": ("left", dt.date(2022, 2, 2)),
    }
    memberships = {
        name: MembershipFactory(
            organisation=OrganisationFactory(name=name), cluster=cluster, level=level, since=since
        )
        for name, (level, since) in rows.items()
    }
    return cluster, memberships


def pipeline_url(cluster):
    return reverse("registry:pipeline", args=[cluster.slug])


def move_url(membership):
    return reverse("registry:pipeline_move", args=[membership.cluster.slug, membership.pk])


def board(response):
    return {
        column["level"]: [
            (c["membership"].organisation.name, [m.target for m in c["moves"]]) for c in column["cards"]
        ]
        for column in response.context["columns"]
    }


def test_staff_see_four_columns_with_the_moves_the_workflow_allows(client, ladder):
    cluster, _ = ladder
    client.force_login(staff_user(cluster))
    response = client.get(pipeline_url(cluster))
    assert response.status_code == 200
    assert board(response) == {
        "interested": [("Acme", ["loi_signed", "left"])],
        "loi_signed": [("Beta", ["member", "interested", "left"])],
        "member": [("Gamma", ["strategic_partner", "loi_signed", "left"])],
        "strategic_partner": [("Delta", ["member", "left"])],
    }
    assert [
        (c["membership"].organisation.name, [m.target for m in c["moves"]]) for c in response.context["left"]
    ] == [("Omega", ["interested"])]
    html = response.content.decode()
    assert '<p class="muted">since 01/03/2024</p>' in html  # 1 March 2024, day first
    assert 'name="to" value="loi_signed"' in html


def test_staff_move_a_card_up_and_the_step_is_recorded(client, ladder):
    cluster, memberships = ladder
    staff = staff_user(cluster)
    client.force_login(staff)
    response = client.post(move_url(memberships["Acme"]), {"to": "loi_signed"})
    assert (response.status_code, response["Location"]) == (302, pipeline_url(cluster))
    membership = Membership.objects.get(pk=memberships["Acme"].pk)
    assert (membership.level, membership.since) == ("loi_signed", timezone.localdate())
    assert list(
        MembershipChange.objects.values_list("membership", "from_level", "to_level", "changed_by")
    ) == [(membership.pk, "interested", "loi_signed", staff.pk)]
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Acme moved from “Interested” to “Letter of intent signed”."
    ]


def test_staff_move_a_card_down(client, ladder):
    cluster, memberships = ladder
    client.force_login(staff_user(cluster))
    client.post(move_url(memberships["Gamma"]), {"to": "loi_signed"})
    assert Membership.objects.get(pk=memberships["Gamma"].pk).level == "loi_signed"


def test_with_htmx_the_board_is_redrawn_without_a_full_page(client, ladder):
    cluster, memberships = ladder
    client.force_login(staff_user(cluster))
    response = client.post(move_url(memberships["Gamma"]), {"to": "strategic_partner"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.startswith('<section id="board"')
    assert board(response)["strategic_partner"] == [
        ("Delta", ["member", "left"]),
        ("Gamma", ["member", "left"]),
    ]
    assert '<p class="message message--success">Gamma moved from “Member” to “Strategic partner”.</p>' in html


def test_a_disallowed_move_shows_a_message_and_changes_nothing(client, ladder):
    cluster, memberships = ladder
    client.force_login(staff_user(cluster))
    response = client.post(move_url(memberships["Acme"]), {"to": "member"}, follow=True)
    assert response.status_code == 200
    assert "Acme cannot move from “Interested” to “Member”. The board shows the moves open to you now." in (
        response.content.decode()
    )
    assert Membership.objects.get(pk=memberships["Acme"].pk).level == "interested"
    assert MembershipChange.objects.count() == 0


@pytest.mark.parametrize("target", ["member", "nonsense", ""])
def test_a_disallowed_move_with_htmx_shows_the_message_in_the_board(client, ladder, target):
    cluster, memberships = ladder
    client.force_login(staff_user(cluster))
    response = client.post(move_url(memberships["Acme"]), {"to": target}, **HTMX)
    assert response.status_code == 200
    assert (
        '<p class="message message--error">Acme cannot move from “Interested” to' in response.content.decode()
    )
    assert MembershipChange.objects.count() == 0


def test_pipeline_is_403_for_members_and_other_clusters_staff(client, ladder):
    cluster, memberships = ladder
    client.force_login(member_user(memberships["Acme"].organisation))
    assert client.get(pipeline_url(cluster)).status_code == 403
    assert client.post(move_url(memberships["Acme"]), {"to": "loi_signed"}).status_code == 403
    client.force_login(staff_user(ClusterFactory(), username="elsewhere"))
    assert client.get(pipeline_url(cluster)).status_code == 403
    assert Membership.objects.get(pk=memberships["Acme"].pk).level == "interested"


def test_anonymous_visitors_are_sent_to_log_in(client, ladder):
    cluster, memberships = ladder
    response = client.get(pipeline_url(cluster))
    assert (response.status_code, response["Location"]) == (
        302,
        f"/accounts/login/?next={pipeline_url(cluster)}",
    )
    assert client.post(move_url(memberships["Acme"]), {"to": "loi_signed"}).status_code == 302
    assert MembershipChange.objects.count() == 0


def test_move_is_post_only(client, ladder):
    cluster, memberships = ladder
    client.force_login(staff_user(cluster))
    assert client.get(move_url(memberships["Acme"])).status_code == 405


def test_pipeline_lists_follow_ups_due(client, ladder):
    cluster, memberships = ladder
    today = timezone.localdate()
    acme, beta, gamma = (memberships[n].organisation for n in ("Acme", "Beta", "Gamma"))
    Interaction.objects.create(
        organisation=acme,
        cluster=cluster,
        kind="call",
        summary="Overdue call",
        follow_up_on=today - dt.timedelta(days=2),
    )
    Interaction.objects.create(
        organisation=beta,
        kind="visit",
        summary="No cluster, due soon",
        follow_up_on=today + dt.timedelta(days=3),
    )
    Interaction.objects.create(
        organisation=gamma,
        cluster=cluster,
        kind="call",
        summary="Already done",
        follow_up_on=today,
        follow_up_done=True,
    )
    Interaction.objects.create(
        organisation=gamma,
        cluster=cluster,
        kind="call",
        summary="Next month",
        follow_up_on=today + dt.timedelta(days=30),
    )
    outsider = OrganisationFactory(name="Outsider")
    Interaction.objects.create(organisation=outsider, kind="call", summary="Not ours", follow_up_on=today)
    client.force_login(staff_user(cluster))
    response = client.get(pipeline_url(cluster))
    assert [i.summary for i in response.context["follow_ups"]] == ["Overdue call", "No cluster, due soon"]
    assert "overdue</span>" in response.content.decode()


def test_pipeline_query_count_does_not_grow_with_the_number_of_cards(client, ladder):
    cluster, _ = ladder
    client.force_login(staff_user(cluster))

    def count():
        return count_queries(client, pipeline_url(cluster))

    small = count()
    for n in range(25):
        MembershipFactory(
            organisation=OrganisationFactory(name=f"Extra {n}"), cluster=cluster, level="member"
        )
    assert count() == small


# Interaction log on the profile -------------------------------------------------------------------------


def interaction_url(org):
    return reverse("registry:interaction_create", args=[org.slug])


def test_staff_log_an_interaction_on_a_profile(client, ladder):
    cluster, memberships = ladder
    acme = memberships["Acme"].organisation
    person = PersonFactory(organisation=acme, first_name="Els", last_name="Vos")
    staff = staff_user(cluster)
    client.force_login(staff)
    response = client.post(
        interaction_url(acme),
        {
            "kind": "visit",
            "happened_on": "2025-03-04",
            "cluster": cluster.pk,
            "people": [person.pk],
            "summary": "Visited the paint line.",
            "needs_identified": "Faster drying",
            "follow_up_on": "2025-04-01",
        },
    )
    assert (response.status_code, response["Location"]) == (302, f"{acme.get_absolute_url()}#interactions")
    interaction = Interaction.objects.get()
    assert (
        interaction.organisation,
        interaction.cluster,
        interaction.kind,
        interaction.happened_on,
        interaction.logged_by,
        list(interaction.people.all()),
        interaction.needs_identified,
        interaction.follow_up_on,
    ) == (acme, cluster, "visit", dt.date(2025, 3, 4), staff, [person], "Faster drying", dt.date(2025, 4, 1))


def test_interaction_form_with_htmx_returns_the_updated_list(client, ladder):
    cluster, memberships = ladder
    acme = memberships["Acme"].organisation
    client.force_login(staff_user(cluster))
    response = client.post(
        interaction_url(acme),
        {"kind": "call", "happened_on": "2025-03-04", "summary": "Phoned the CEO."},
        **HTMX,
    )
    html = response.content.decode()
    assert html.startswith('<section id="interactions"')
    assert "Phoned the CEO." in html
    assert "Interaction logged." in html


def test_interaction_form_errors_keep_the_input(client, ladder):
    cluster, memberships = ladder
    acme = memberships["Acme"].organisation
    client.force_login(staff_user(cluster))
    response = client.post(
        interaction_url(acme),
        {
            "kind": "call",
            "happened_on": "2025-03-04",
            "summary": "",
            "needs_identified": "Keep me",
            "follow_up_on": "2025-01-01",
        },
    )
    assert response.status_code == 200
    assert response.context["interaction_form"].errors == {
        "summary": ["This field is required."],
        "follow_up_on": ["The follow-up date cannot be before the interaction."],
    }
    assert ">\nKeep me</textarea>" in response.content.decode()
    assert Interaction.objects.count() == 0


def test_only_staff_log_interactions(client, ladder):
    _, memberships = ladder
    acme = memberships["Acme"].organisation
    client.force_login(member_user(acme))
    response = client.post(
        interaction_url(acme), {"kind": "call", "happened_on": "2025-03-04", "summary": "x"}
    )
    assert response.status_code == 403
    assert Interaction.objects.count() == 0


def test_staff_mark_a_follow_up_done_and_it_leaves_the_list(client):
    cluster = ClusterFactory()
    org = MembershipFactory(cluster=cluster).organisation
    interaction = Interaction.objects.create(
        organisation=org,
        cluster=cluster,
        kind="call",
        summary="Heat pump pilot",
        follow_up_on=dt.date.today(),
    )
    client.force_login(staff_user(cluster, username="fiona"))
    assert "Heat pump pilot" in client.get(f"/clusters/{cluster.slug}/pipeline/").content.decode()
    response = client.post(f"/clusters/{cluster.slug}/follow-ups/{interaction.pk}/done/")
    assert response.status_code == 302
    interaction.refresh_from_db()
    assert interaction.follow_up_done is True
    assert "Heat pump pilot" not in client.get(f"/clusters/{cluster.slug}/pipeline/").content.decode()


def test_staff_of_another_cluster_cannot_close_a_follow_up(client):
    cluster, other = ClusterFactory(), ClusterFactory()
    org = MembershipFactory(cluster=cluster).organisation
    interaction = Interaction.objects.create(
        organisation=org, cluster=cluster, kind="call", summary="x", follow_up_on=dt.date.today()
    )
    client.force_login(staff_user(other, username="otto"))
    assert client.post(f"/clusters/{other.slug}/follow-ups/{interaction.pk}/done/").status_code == 403
    interaction.refresh_from_db()
    assert interaction.follow_up_done is False
