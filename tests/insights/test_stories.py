"""Integration: stories from draft to the public showcase. Staff write and publish; each featured
organisation approves before the story shows; changing the words asks them again; the showcase, its Atom
feed and the public agenda (Atom and iCalendar) show only what anyone may see."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from icalendar import Calendar

from helix.events.models import EventStatus
from helix.insights.models import Story
from helix.insights.services import InsightsError, approve_story, move_story, save_story, showing
from tests.factories import EventFactory, TimeSlotFactory
from tests.insights.world import build

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def world():
    return build()


def _story(world, **extra):
    data = {
        "kind": "success_story",
        "title": "Heat from the bakery warms the school",
        "summary": "Alpha's ovens heat the school next door.",
        "body": "Since March the school is heated by the bakery's residual heat.",
        "language": "en",
        "domains": [world.domain],
        "project": None,
        "synergy": None,
        "featured": [world.orgs["alpha"]],
    }
    data.update(extra)
    return save_story(world.staff, world.cluster, data)


def test_a_story_shows_once_published_and_approved(world):
    story = _story(world)
    assert showing(story).reason == "not_published"
    move_story(world.staff, story, "published")
    story.refresh_from_db()
    assert story.published_on is not None
    assert showing(story).reason == "awaiting_approval"
    assert showing(story).waiting_for == (world.orgs["alpha"].pk,)
    assert approve_story(world.member, story) == 1
    assert showing(story).public


def test_changing_the_words_asks_the_featured_organisations_again(world):
    story = _story(world)
    approve_story(world.member, story)
    save_story(world.staff, world.cluster, {**_data(story), "featured": [world.orgs["alpha"]]}, story=story)
    assert story.featured.get().approved_on is not None  # nothing changed: the approval stands
    save_story(
        world.staff,
        world.cluster,
        {**_data(story), "title": "A new title", "featured": [world.orgs["alpha"]]},
        story=story,
    )
    assert story.featured.get().approved_on is None


def _data(story):
    return {
        "kind": story.kind,
        "title": story.title,
        "summary": story.summary,
        "body": story.body,
        "language": story.language,
        "domains": list(story.domains.all()),
        "project": story.project,
        "synergy": story.synergy,
    }


def test_only_members_of_the_cluster_are_featured_and_nothing_is_half_written(world):
    from tests.factories import OrganisationFactory

    stranger = OrganisationFactory(name="Stranger")
    with pytest.raises(InsightsError) as refused:
        _story(world, featured=[world.orgs["alpha"], stranger])
    assert refused.value.field == "featured"
    assert not Story.objects.exists()


def test_who_may_do_what(world):
    story = _story(world)
    with pytest.raises(InsightsError):
        move_story(world.member, story, "published")  # the featured organisation does not publish
    with pytest.raises(InsightsError):
        approve_story(world.staff, story)  # staff do not approve for a member
    with pytest.raises(InsightsError):
        _story_as(world.other_staff, world)
    with pytest.raises(InsightsError) as bad:
        move_story(world.staff, story, "withdrawn")  # a draft is not withdrawn
    assert bad.value.code == "bad_move"


def _story_as(user, world):
    return save_story(user, world.cluster, {"title": "x", "summary": "y", "language": "en", "kind": "news"})


def test_the_journey_through_the_pages(world):
    staff, member, visitor = Client(), Client(), Client()
    staff.force_login(world.staff)
    member.force_login(world.member)
    form = staff.get("/insights/energy/stories/new/")
    assert form.status_code == 200
    alpha = world.orgs["alpha"].pk
    saved = staff.post(
        "/insights/energy/stories/new/",
        {
            "kind": "success_story",
            "title": "Heat from the bakery",
            "summary": "Alpha's ovens heat the school.",
            "body": "Residual heat.",
            "language": "en",
            "featured": [alpha],
        },
    )
    assert saved.status_code == 302
    story = Story.objects.get()
    staff.post(f"/insights/stories/{story.pk}/move/", {"target": "published"})
    assert "Heat from the bakery" not in visitor.get("/showcase/").content.decode()  # awaiting approval
    assert visitor.get(f"/showcase/{story.pk}/").status_code == 404
    page = member.get(f"/insights/stories/{story.pk}/").content.decode()
    assert 'id="approve-story"' in page
    member.post(f"/insights/stories/{story.pk}/approve/")
    showcase = visitor.get("/showcase/").content.decode()
    assert "Heat from the bakery" in showcase.split('id="showcase-stories"')[1]
    assert visitor.get(f"/showcase/{story.pk}/").status_code == 200
    assert "Heat from the bakery" in visitor.get("/showcase/?q=bakery").content.decode()
    assert "Heat from the bakery" not in visitor.get("/showcase/?q=windmill").content.decode()
    feed = ET.fromstring(visitor.get("/showcase/feed.atom").content)  # noqa: S314 - our own output
    assert [e.find(f"{ATOM}title").text for e in feed.iter(f"{ATOM}entry")] == ["Heat from the bakery"]


def test_a_blank_title_is_refused_with_the_field_named(world):
    staff = Client()
    staff.force_login(world.staff)
    answer = staff.post(
        "/insights/energy/stories/new/", {"kind": "news", "title": "", "summary": "s", "language": "en"}
    )
    assert answer.status_code == 400
    assert 'href="#id_title"' in answer.content.decode()
    assert not Story.objects.exists()


def test_the_public_agenda_as_page_atom_and_icalendar(world):
    coming = EventFactory(cluster=world.cluster, status=EventStatus.OPEN, title="Heat network workshop")
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=10)
    TimeSlotFactory(event=coming, start=start, end=start + dt.timedelta(hours=2))
    draft = EventFactory(cluster=world.cluster, status=EventStatus.DRAFT, title="Not yet announced")
    TimeSlotFactory(event=draft, start=start, end=start + dt.timedelta(hours=1))
    visitor = Client()
    page = visitor.get("/agenda/").content.decode()
    assert "Heat network workshop" in page
    assert "Not yet announced" not in page
    feed = ET.fromstring(visitor.get("/agenda/feed.atom").content)  # noqa: S314 - our own output
    titles = [e.find(f"{ATOM}title").text for e in feed.iter(f"{ATOM}entry")]
    assert titles == [f"Heat network workshop ({start.date().isoformat()})"]
    calendar = Calendar.from_ical(visitor.get("/agenda.ics").content)
    events = list(calendar.walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == ["Heat network workshop"]
    assert events[0].decoded("dtstart") == start


def test_staff_add_and_remove_partner_links(world):
    from helix.insights.models import PartnerLink

    staff = Client()
    staff.force_login(world.staff)
    added = staff.post(
        "/insights/energy/partners/",
        {"name": "Sister cluster", "url": "https://example.org/sister", "description": "Our twin."},
    )
    assert added.status_code == 302
    link = PartnerLink.objects.get()
    assert "Sister cluster" in Client().get("/showcase/?cluster=energy").content.decode()
    bad = staff.post("/insights/energy/partners/", {"name": "Broken", "url": "not an address"}, follow=True)
    assert "check address" in bad.content.decode()
    assert PartnerLink.objects.count() == 1
    other = Client()
    other.force_login(world.other_staff)
    assert other.post(f"/insights/partners/{link.pk}/remove/").status_code == 404
    staff.post(f"/insights/partners/{link.pk}/remove/")
    assert not PartnerLink.objects.exists()


def test_the_showcase_lists_an_initiative_once_however_many_clusters_link_it(world):
    from helix.insights.models import PartnerLink

    for cluster in (world.cluster, world.other):
        PartnerLink.objects.create(cluster=cluster, name="Platform", url="https://example.org/platform")
    links = Client().get("/showcase/").content.decode().split('id="showcase-partners"')[1].split("</ul>")[0]
    assert links.count("https://example.org/platform") == 1


def test_a_realised_synergy_shows_once_both_organisations_approved_a_story_of_it(world):
    from helix.symbiosis.models import Synergy
    from tests.factories.registry import member_user

    synergy = Synergy.objects.get(state="realised")
    Synergy.objects.filter(pk=synergy.pk).update(quantity=80.0, unit="t")
    story = _story(
        world,
        title="The brewery's spent grain feeds the farm",
        synergy=synergy,
        featured=[world.orgs["beta"], world.orgs["gone"]],
    )
    move_story(world.staff, story, "published")

    def shown() -> str:
        page = Client().get("/showcase/").content.decode()
        if "showcase-synergies" not in page:
            return ""
        return page.split('id="showcase-synergies"')[1].split("</ul>")[0]

    approve_story(member_user(world.orgs["beta"], "beta_member"), story)
    assert shown() == ""  # the wanting party has not approved yet
    approve_story(member_user(world.orgs["gone"], "gone_member"), story)
    synergies = shown()
    assert "The brewery&#x27;s spent grain feeds the farm" in synergies
    assert "80 t a year" in synergies
    assert "12.5 t CO2e avoided" in synergies
    assert Client().get("/showcase/?kind=news").content.decode().count("showcase-synergies") == 0
