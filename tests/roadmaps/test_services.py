"""Integration: a roadmap through the services as every surface uses them (helix.roadmaps.services): its
lifecycle with versions, dated history, the cluster's adoption date and the participants told; the
refusals that write nothing (an adoption with errors, a move by a participant, an edit of an adopted
roadmap or over a newer revision, a dependency cycle, an import with a cycle or an unknown organisation);
the letter of intent as commitment; accepting and reporting on milestones, and who is told of moved
dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from helix.core.roadmaps import model as core
from helix.notifications.models import Notification
from helix.registry.models import Cluster
from helix.roadmaps import services
from helix.roadmaps.models import Dependency, Item, Participant, Roadmap, RoadmapChange, RoadmapVersion
from helix.roadmaps.services import RoadmapRefused
from tests.factories.registry import LetterOfIntentFactory, OrganisationFactory
from tests.roadmaps.conftest import build_roadmap, move_through

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

PEOPLE = ("acme_person", "uni_person", "city_person", "far_person", "h2_staff")


def told(message: str) -> dict[str, int]:
    """How many notifications ``message`` each person of the world holds."""
    return {
        name: Notification.objects.filter(recipient__username=name, message=message).count()
        for name in PEOPLE
    }


def _roadmap(rw, days_ago: int = 200) -> Roadmap:  # type: ignore[no-untyped-def]
    return build_roadmap(rw, starts_on=timezone.localdate() - dt.timedelta(days=days_ago))


def _item(roadmap: Roadmap, key: str) -> Item:
    return Item.objects.get(roadmap=roadmap, key=key)


# -- the lifecycle ----------------------------------------------------------------------------------------


def test_the_lifecycle_adopts_numbered_versions_with_dated_history_and_tells_the_participants(rw):  # type: ignore[no-untyped-def]
    roadmap = _roadmap(rw)
    today = timezone.localdate()

    move_through(rw, roadmap, "consultation", "adopted", "revised", "consultation", "adopted")

    roadmap.refresh_from_db()
    assert roadmap.status == "adopted"
    assert list(RoadmapChange.objects.filter(roadmap=roadmap).values_list("from_status", "to_status")) == [
        ("", "draft"),
        ("draft", "consultation"),
        ("consultation", "adopted"),
        ("adopted", "revised"),
        ("revised", "consultation"),
        ("consultation", "adopted"),
    ]
    assert set(RoadmapChange.objects.filter(roadmap=roadmap).values_list("changed_on", flat=True)) == {today}
    versions = list(RoadmapVersion.objects.filter(roadmap=roadmap).order_by("number"))
    assert [(v.number, v.adopted_on, v.adopted_by) for v in versions] == [
        (1, today, rw.users["staff"]),
        (2, today, rw.users["staff"]),
    ]
    assert [it["key"] for it in versions[1].content["items"]] == [
        "a-study",
        "m-go",
        "d-pilot",
        "m-market",
        "a-permits",
    ]
    assert Cluster.objects.get(pk=rw.cluster.pk).roadmap_adopted_on == today
    # the people of the participating organisations, twice each; not the outsider nor the staff who acted
    expected = {"acme_person": 2, "uni_person": 2, "city_person": 2, "far_person": 0, "h2_staff": 0}
    assert told("roadmaps.consultation") == expected
    assert told("roadmaps.adopted") == expected
    consulted = Notification.objects.filter(
        recipient=rw.users["acme"], message="roadmaps.consultation"
    ).first()
    assert consulted.params == {
        "roadmap": "Hydrogen roadmap",
        "cluster": str(rw.cluster),
        "organisation": "Acme Electrolysers",
        "count": 2,  # m-go and d-pilot
    }
    assert consulted.url == "/roadmaps/h2-roadmap/"
    adopted = Notification.objects.filter(recipient=rw.users["city"], message="roadmaps.adopted")
    assert sorted(n.params["version"] for n in adopted) == [1, 2]


def test_an_adoption_with_validation_errors_is_refused_with_the_problems_and_writes_nothing(rw):  # type: ignore[no-untyped-def]
    roadmap = _roadmap(rw)
    staff = rw.users["staff"]
    services.save_item(staff, roadmap, key="m-orphan", fields={"title": "Nobody's milestone"})
    roadmap = move_through(rw, roadmap, "consultation")
    history = RoadmapChange.objects.filter(roadmap=roadmap).count()

    with pytest.raises(RoadmapRefused) as refused:
        services.move(staff, roadmap, "adopted")

    assert (refused.value.code, refused.value.params) == (
        "lifecycle.requirements_unmet",
        {"from": "consultation", "to": "adopted"},
    )
    assert [(p.code, p.item) for p in refused.value.problems] == [("roadmap.owner_missing", "m-orphan")]
    roadmap.refresh_from_db()
    assert roadmap.status == "consultation"
    assert RoadmapChange.objects.filter(roadmap=roadmap).count() == history
    assert RoadmapVersion.objects.filter(roadmap=roadmap).count() == 0
    assert Cluster.objects.get(pk=rw.cluster.pk).roadmap_adopted_on is None
    assert Notification.objects.filter(message="roadmaps.adopted").count() == 0


def test_a_participant_cannot_move_the_roadmap(rw):  # type: ignore[no-untyped-def]
    roadmap = move_through(rw, _roadmap(rw), "consultation")

    for target in ("adopted", "draft"):
        with pytest.raises(PermissionDenied):
            services.move(rw.users["acme"], roadmap, target)

    roadmap.refresh_from_db()
    assert roadmap.status == "consultation"
    assert services.available_moves(rw.users["acme"], roadmap) == []


def test_a_move_the_lifecycle_does_not_have_is_refused(rw):  # type: ignore[no-untyped-def]
    roadmap = _roadmap(rw)

    with pytest.raises(RoadmapRefused) as refused:
        services.move(rw.users["staff"], roadmap, "adopted")

    assert (refused.value.code, refused.value.params) == (
        "lifecycle.not_from_state",
        {"from": "draft", "to": "adopted"},
    )
    roadmap.refresh_from_db()
    assert roadmap.status == "draft"


# -- editing ----------------------------------------------------------------------------------------------


def test_an_adopted_roadmap_refuses_an_edit_and_keeps_its_content(rw):  # type: ignore[no-untyped-def]
    roadmap = move_through(rw, _roadmap(rw), "consultation", "adopted")
    item = _item(roadmap, "m-go")

    with pytest.raises(RoadmapRefused) as refused:
        services.save_item(rw.users["staff"], roadmap, key="m-go", fields={"title": "Changed"}, item=item)
    with pytest.raises(RoadmapRefused) as deleting:
        services.delete_item(rw.users["staff"], roadmap, item)

    assert (refused.value.code, refused.value.params) == ("roadmap.not_editable", {"status": "adopted"})
    assert deleting.value.code == "roadmap.not_editable"
    assert _item(roadmap, "m-go").title == "Go for the pilot"


def test_a_save_over_a_newer_revision_is_refused_and_the_other_change_is_kept(rw):  # type: ignore[no-untyped-def]
    roadmap = _roadmap(rw)
    read_at = roadmap.revision
    item = _item(roadmap, "m-go")
    services.save_item(
        rw.users["staff"],
        roadmap,
        key="m-go",
        fields={"title": "First editor's"},
        item=item,
        revision=read_at,
    )

    with pytest.raises(RoadmapRefused) as refused:
        services.save_item(
            rw.users["staff"],
            roadmap,
            key="m-go",
            fields={"title": "Second editor's"},
            item=item,
            revision=read_at,
        )

    assert (refused.value.code, refused.value.params) == (
        "roadmap.stale",
        {"revision": read_at, "now": read_at + 1},
    )
    assert _item(roadmap, "m-go").title == "First editor's"
    assert Roadmap.objects.get(pk=roadmap.pk).revision == read_at + 1


def test_only_the_clusters_staff_edit_the_content(rw):  # type: ignore[no-untyped-def]
    roadmap = _roadmap(rw)

    with pytest.raises(PermissionDenied):
        services.save_item(rw.users["acme"], roadmap, key="m-new", fields={"title": "Mine"})

    assert not Item.objects.filter(key="m-new").exists()


def test_an_owner_from_another_roadmap_is_refused(rw):  # type: ignore[no-untyped-def]
    roadmap = _roadmap(rw)
    other = build_roadmap(rw, starts_on=roadmap.starts_on, key="other", title="Other")
    stranger = Participant.objects.get(roadmap=other, organisation=rw.orgs["acme"])

    with pytest.raises(RoadmapRefused) as refused:
        services.save_item(rw.users["staff"], roadmap, key="m-new", fields={"title": "x", "owner": stranger})

    assert (refused.value.code, refused.value.params) == (
        "roadmap.not_a_participant",
        {"organisation": "Acme Electrolysers"},
    )
    assert not Item.objects.filter(roadmap=roadmap, key="m-new").exists()


# -- participants -----------------------------------------------------------------------------------------


def test_a_participant_is_committed_by_its_latest_letter_of_intent_to_the_cluster(rw):  # type: ignore[no-untyped-def]
    staff = rw.users["staff"]
    roadmap = services.create_roadmap(
        staff, cluster=rw.cluster, key="letters", title="Letters", starts_on=dt.date(2027, 1, 1)
    )
    latest = LetterOfIntentFactory(
        organisation=rw.orgs["acme"], cluster=rw.cluster, signed_on=dt.date(2025, 9, 1)
    )
    # a letter to another cluster does not commit anyone to this one
    LetterOfIntentFactory(organisation=rw.orgs["uni"], signed_on=dt.date(2025, 9, 1))

    acme = services.add_participant(staff, roadmap, rw.orgs["acme"], role="lead")
    uni = services.add_participant(staff, roadmap, rw.orgs["uni"])
    city = services.add_participant(staff, roadmap, rw.orgs["city"], committed=True)

    assert (acme.committed, acme.letter_of_intent) == (True, latest)
    assert (uni.committed, uni.letter_of_intent) == (False, None)
    assert (city.committed, city.letter_of_intent) == (True, None)  # committed otherwise, as staff said
    with pytest.raises(RoadmapRefused) as twice:
        services.add_participant(staff, roadmap, rw.orgs["acme"])
    assert (twice.value.code, twice.value.params) == (
        "roadmap.participant_twice",
        {"organisation": "Acme Electrolysers"},
    )
    assert Participant.objects.filter(roadmap=roadmap).count() == 3


# -- dependencies -----------------------------------------------------------------------------------------


def test_a_dependency_closing_a_cycle_is_refused_naming_it_and_not_saved(rw):  # type: ignore[no-untyped-def]
    roadmap = _roadmap(rw)
    revision = roadmap.revision

    with pytest.raises(RoadmapRefused) as refused:
        services.add_dependency(
            rw.users["staff"], roadmap, _item(roadmap, "m-market"), _item(roadmap, "a-study")
        )

    assert refused.value.code == "roadmap.cycle"
    assert refused.value.params == {
        "keys": ["a-study", "m-go", "d-pilot", "m-market"],
        "names": ["Electrolyser study", "Go for the pilot", "Pilot plant", "First hydrogen sold"],
    }
    assert not Dependency.objects.filter(predecessor__key="m-market", successor__key="a-study").exists()
    assert Dependency.objects.filter(successor__roadmap=roadmap).count() == 3
    assert Roadmap.objects.get(pk=roadmap.pk).revision == revision


def test_a_dependency_is_removed(rw):  # type: ignore[no-untyped-def]
    roadmap = _roadmap(rw)
    link = Dependency.objects.get(predecessor__key="m-go", successor__key="d-pilot")

    services.remove_dependency(rw.users["staff"], roadmap, link)

    assert list(
        Dependency.objects.filter(successor__roadmap=roadmap).values_list(
            "predecessor__key", "successor__key"
        )
    ) == [
        ("a-study", "m-go"),
        ("d-pilot", "m-market"),
    ]


# -- accepting --------------------------------------------------------------------------------------------


def test_only_a_person_of_the_owner_accepts_and_a_second_acceptance_keeps_the_first_date(rw):  # type: ignore[no-untyped-def]
    roadmap = move_through(rw, _roadmap(rw), "consultation")
    item = _item(roadmap, "m-go")  # acme's

    for who in ("uni", "city", "far", "staff"):
        with pytest.raises(PermissionDenied):
            services.accept_item(rw.users[who], item)
    assert _item(roadmap, "m-go").accepted_on is None

    accepted = services.accept_item(rw.users["acme"], item)
    assert (accepted.accepted_on, accepted.accepted_by) == (timezone.localdate(), rw.users["acme"])
    Item.objects.filter(pk=item.pk).update(accepted_on=dt.date(2026, 1, 5))
    again = services.accept_item(rw.users["acme"], item)
    assert again.accepted_on == dt.date(2026, 1, 5)
    assert _item(roadmap, "m-go").accepted_on == dt.date(2026, 1, 5)


def test_nothing_is_accepted_while_the_roadmap_is_a_draft(rw):  # type: ignore[no-untyped-def]
    roadmap = _roadmap(rw)

    with pytest.raises(PermissionDenied):
        services.accept_item(rw.users["acme"], _item(roadmap, "m-go"))

    assert _item(roadmap, "m-go").accepted_on is None


# -- progress ---------------------------------------------------------------------------------------------


def _report(rw, who: str, item: Item, start=None, finish=None, percent: int = 0) -> Item:  # type: ignore[no-untyped-def]
    return services.report_progress(
        rw.users[who], item, actual_start=start, actual_finish=finish, percent_complete=percent
    )


def test_progress_is_refused_out_of_range_finishing_before_starting_or_finishing_an_activity_unstarted(rw):  # type: ignore[no-untyped-def]
    roadmap = move_through(rw, _roadmap(rw), "consultation", "adopted")
    study = _item(roadmap, "a-study")
    start = roadmap.starts_on
    cases = [
        ((None, None, 101), "progress.percent_out_of_range", {"percent": 101}),
        ((None, None, -1), "progress.percent_out_of_range", {"percent": -1}),
        (
            (start + dt.timedelta(days=5), start, 50),
            "progress.finish_before_start",
            {"start": (start + dt.timedelta(days=5)).isoformat(), "finish": start.isoformat()},
        ),
        ((None, start + dt.timedelta(days=90), 100), "progress.finish_without_start", {}),
    ]

    for (begun, finished, percent), code, params in cases:
        with pytest.raises(RoadmapRefused) as refused:
            _report(rw, "uni", study, begun, finished, percent)
        assert (refused.value.code, refused.value.params) == (code, params)

    study = _item(roadmap, "a-study")
    assert (study.actual_start, study.actual_finish, study.percent_complete) == (None, None, 0)


def test_a_finished_milestone_starts_when_it_finishes_and_is_complete(rw):  # type: ignore[no-untyped-def]
    roadmap = move_through(rw, _roadmap(rw), "consultation", "adopted")
    day = roadmap.starts_on + dt.timedelta(days=92)

    reported = _report(rw, "acme", _item(roadmap, "m-go"), None, day, 0)

    assert (reported.actual_start, reported.actual_finish, reported.percent_complete) == (day, day, 100)


def test_only_the_owner_or_the_staff_report_progress(rw):  # type: ignore[no-untyped-def]
    roadmap = move_through(rw, _roadmap(rw), "consultation", "adopted")
    item = _item(roadmap, "m-go")  # acme's; uni and city contribute to d-pilot, not to it

    for who in ("uni", "city", "far"):
        with pytest.raises(PermissionDenied):
            _report(rw, who, item, percent=10)

    assert _report(rw, "staff", item, percent=20).percent_complete == 20
    assert _report(rw, "acme", item, percent=30).percent_complete == 30


def test_a_late_start_tells_the_owners_and_contributors_of_the_items_it_moves(rw):  # type: ignore[no-untyped-def]
    roadmap = move_through(rw, _roadmap(rw), "consultation", "adopted")
    pilot = _item(roadmap, "d-pilot")  # planned from day 104: acme's, with uni and city; m-market follows

    _report(rw, "acme", pilot, roadmap.starts_on + dt.timedelta(days=110), None, 10)

    assert told("roadmaps.moved") == {
        "acme_person": 0,  # who reported it
        "uni_person": 1,
        "city_person": 1,
        "far_person": 0,
        "h2_staff": 0,
    }
    city = Notification.objects.get(recipient=rw.users["city"], message="roadmaps.moved")
    assert city.params == {
        "roadmap": "Hydrogen roadmap",
        "organisation": "City of Ghent",
        "count": 2,
        "items": "Pilot plant, First hydrogen sold",
    }
    uni = Notification.objects.get(recipient=rw.users["uni"], message="roadmaps.moved")
    assert (uni.params["count"], uni.params["items"]) == (1, "Pilot plant")


def test_moved_dates_are_told_while_revising_but_not_in_a_draft(rw):  # type: ignore[no-untyped-def]
    roadmap = _roadmap(rw)
    staff = rw.users["staff"]

    services.save_item(
        staff, roadmap, key="a-permits", fields={"duration_days": 40}, item=_item(roadmap, "a-permits")
    )
    assert Notification.objects.filter(message="roadmaps.moved").count() == 0

    roadmap = move_through(rw, roadmap, "consultation", "adopted", "revised")
    services.save_item(
        staff, roadmap, key="a-permits", fields={"duration_days": 50}, item=_item(roadmap, "a-permits")
    )

    assert told("roadmaps.moved") == {
        "acme_person": 0,
        "uni_person": 0,
        "city_person": 1,  # owns the permits, which alone moved
        "far_person": 0,
        "h2_staff": 0,
    }


# -- import -----------------------------------------------------------------------------------------------


def _content(rw, roadmap: Roadmap, *, participant: int | None = None, cycle: bool = False) -> core.Roadmap:  # type: ignore[no-untyped-def]
    owner = participant if participant is not None else rw.orgs["uni"].pk
    dependencies = [core.Dependency("x-1", "x-2")]
    if cycle:
        dependencies.append(core.Dependency("x-2", "x-1"))
    return core.Roadmap(
        start=roadmap.starts_on,
        participants=(core.Participant(id=owner, role="partner", committed=True),),
        tracks=(core.Track("new-track", "New track"),),
        items=(
            core.Item(
                "x-1", "Imported study", core.ItemKind.ACTIVITY, "new-track", owner=owner, duration_days=30
            ),
            core.Item("x-2", "Imported milestone", core.ItemKind.MILESTONE, "new-track", owner=owner),
        ),
        dependencies=tuple(dependencies),
    )


def test_an_import_replaces_the_items_and_dependencies(rw):  # type: ignore[no-untyped-def]
    roadmap = _roadmap(rw)

    written = services.replace_content(rw.users["staff"], roadmap, _content(rw, roadmap))

    assert written == 2
    assert list(
        Item.objects.filter(roadmap=roadmap).values_list("key", "owner__organisation__slug", "track__key")
    ) == [
        ("x-1", "uni", "new-track"),
        ("x-2", "uni", "new-track"),
    ]
    assert list(
        Dependency.objects.filter(successor__roadmap=roadmap).values_list(
            "predecessor__key", "successor__key"
        )
    ) == [("x-1", "x-2")]


@pytest.mark.parametrize("wrong", ["cycle", "unknown organisation"])
def test_an_import_with_a_cycle_or_an_unknown_organisation_is_refused_whole(rw, wrong):  # type: ignore[no-untyped-def]
    roadmap = _roadmap(rw)
    stranger = OrganisationFactory(name="Not In Registry Yet")
    missing = stranger.pk
    stranger.delete()
    content = (
        _content(rw, roadmap, cycle=True) if wrong == "cycle" else _content(rw, roadmap, participant=missing)
    )
    participants = Participant.objects.filter(roadmap=roadmap).count()

    with pytest.raises(RoadmapRefused) as refused:
        services.replace_content(rw.users["staff"], roadmap, content)

    if wrong == "cycle":
        assert refused.value.code == "import.refused"
        assert [p.code for p in refused.value.problems] == ["roadmap.cycle"]
    else:
        assert (refused.value.code, refused.value.params) == (
            "import.unknown_organisations",
            {"names": str(missing)},
        )
    assert list(Item.objects.filter(roadmap=roadmap).values_list("key", flat=True)) == [
        "a-study",
        "m-go",
        "d-pilot",
        "m-market",
        "a-permits",
    ]
    assert Dependency.objects.filter(successor__roadmap=roadmap).count() == 3
    assert Participant.objects.filter(roadmap=roadmap).count() == participants


def test_a_new_roadmap_is_started_by_the_clusters_staff_only_and_its_key_once(rw):  # type: ignore[no-untyped-def]
    fields = {"cluster": rw.cluster, "key": "h2-2030", "title": "H2 2030", "starts_on": dt.date(2027, 1, 1)}

    with pytest.raises(PermissionDenied):
        services.create_roadmap(rw.users["acme"], **fields)
    roadmap = services.create_roadmap(rw.users["staff"], **fields)
    with pytest.raises(RoadmapRefused) as twice:
        services.create_roadmap(rw.users["staff"], **fields)

    assert (roadmap.status, roadmap.created_by) == ("draft", rw.users["staff"])
    assert (twice.value.code, twice.value.params) == ("roadmap.key_taken", {"key": "h2-2030"})
    assert list(RoadmapChange.objects.filter(roadmap=roadmap).values_list("from_status", "to_status")) == [
        ("", "draft")
    ]
