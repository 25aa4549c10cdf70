"""The demo ecosystem (helix demo load) and the synthetic ecosystem generator (helix demo generate).

The tests of ``generate.py`` and ``seeds.py`` at the top build plain objects and touch no database.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import AnonymousUser

from helix.core.registry.identifiers import normalise_identifier
from helix.core.registry.ladder import MEMBERSHIP_WORKFLOW, STAFF
from helix.core.registry.nace import normalise_nace
from helix.demo import generate_into_database, load_demo
from helix.registry import services
from helix.registry.demo import generate, naming, seeds, vocabulary
from helix.registry.demo.bulk import generated_organisations
from helix.registry.models import (
    AdvisoryGroup,
    Cluster,
    ClusterName,
    Domain,
    LetterOfIntent,
    Membership,
    MembershipChange,
    Organisation,
    Person,
    Sector,
    Site,
    StaffAssignment,
    normalise_search_text,
)
from helix.registry.permissions import can_edit_organisation
from helix.registry.search import DirectoryQuery, search_organisations

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

D = dt.date
DEMO_TARGETS = generate.cluster_targets(
    (c.slug, c.founded_on, tuple(d.slug for d in c.domains)) for c in seeds.DEMO.clusters
)


def _workflow_errors(history: list[tuple[str, str]]) -> list[str]:
    """Steps after the first that the membership workflow does not allow to staff."""
    errors = []
    for source, target in history[1:]:
        try:
            MEMBERSHIP_WORKFLOW.check(source, target, {STAFF})
        except ValueError as exc:
            errors.append(str(exc))
    return errors


# --- seeds.py: plain data ------------------------------------------------------------------------


def test_seed_references_name_existing_organisations_clusters_and_domains():
    orgs = {o.slug for o in seeds.DEMO.organisations}
    clusters = {c.slug: {d.slug for d in c.domains} for c in seeds.DEMO.clusters}
    missing = [
        (m.organisation, m.cluster, d)
        for m in seeds.DEMO.memberships
        for d in (*m.domains, "")
        if m.organisation not in orgs or m.cluster not in clusters or (d and d not in clusters[m.cluster])
    ]
    assert missing == []
    assert {c.operator for c in seeds.DEMO.clusters} <= orgs
    assert {p.organisation for p in seeds.DEMO.all_people()} <= orgs


def test_seed_membership_histories_follow_the_engagement_ladder():
    errors = []
    for m in seeds.DEMO.memberships:
        levels = ["", *(s.level for s in m.steps)]
        errors += _workflow_errors(list(itertools.pairwise(levels)))
        assert [s.on for s in m.steps] == sorted(s.on for s in m.steps), m
    assert errors == []


def test_seed_nace_codes_are_valid_nace_rev_2_1_codes():
    codes = sorted({c for o in seeds.DEMO.organisations for c in o.sectors})
    assert [normalise_nace(c) for c in codes] == codes


def test_seed_letters_of_intent_are_dated_between_the_launch_and_the_proposal():
    letters = {letter.organisation: letter.signed_on for letter in seeds.DEMO.letters}
    assert sorted(letters) == sorted(seeds.HIGHEST_ENGAGEMENT)
    assert all(D(2016, 5, 26) <= day <= D(2016, 9, 30) for day in letters.values())


def test_seed_legal_identifiers_of_real_organisations_are_valid_or_empty():
    given = {o.slug: o.legal_identifier for o in seeds.DEMO.organisations if o.legal_identifier}
    assert given == {"ghent-university": "0248.015.142", "proximus": "0202.239.951"}
    assert all(normalise_identifier("be", v).value == v for v in given.values())


# --- generate.py: pure functions ----------------------------------------------------------------


class FakeRandom:
    """Chooses the first option and draws ``draw`` from random()."""

    def __init__(self, draw: float) -> None:
        self.draw = draw

    def choice(self, options):  # type: ignore[no-untyped-def]
        return options[0]

    def random(self) -> float:
        return self.draw


GENT = next(p for p in vocabulary.PLACES if p.city == "Gent")
ESCH = next(p for p in vocabulary.PLACES if p.city == "Esch-sur-Alzette")
INSTALLER = vocabulary.PROFILE_BY_KEY["energy_installation"]


def test_describe_writes_a_templated_sentence_in_each_language():
    kws = ["heat pumps", "solar panels"]
    texts = {
        lang: naming.describe("Voltix BV", "company", INSTALLER, GENT, kws, 2010, lang, FakeRandom(0.9))
        for lang in ("en", "nl", "fr", "de")
    }
    assert texts == {
        "en": "Voltix BV, based in Gent, installs heat pumps, solar panels and charging points. "
        "Founded in 2010; focus on heat pumps and solar panels.",
        "nl": "Voltix BV uit Gent installeert warmtepompen, zonnepanelen en laadpunten. Opgericht in 2010; "
        "focus op heat pumps en solar panels.",
        "fr": "Voltix BV (Gent) installe des pompes à chaleur, des panneaux solaires et des bornes de "
        "recharge. Création : 2010 ; domaines : heat pumps et solar panels.",
        "de": "Voltix BV (Gent) installiert Wärmepumpen, Solaranlagen und Ladepunkte. Gegründet 2010; "
        "Schwerpunkte: heat pumps und solar panels.",
    }


def test_describe_adds_a_wish_for_partners_on_a_low_draw():
    text = naming.describe(
        "Stad Gent", "government", INSTALLER, GENT, ["renovation"], 2000, "nl", FakeRandom(0.1)
    )
    assert text == (
        "Stad Gent: lokaal bestuur dat werkt aan renovation in het energie- en klimaatplan. "
        "Zoekt partners rond renovation."
    )


def test_ascii_slug_folds_accents_and_punctuation():
    assert naming.ascii_slug("Éislek Composites S.à r.l.") == "eislek-composites-s-a-r-l"


def test_the_same_seed_gives_the_same_ecosystem_and_another_seed_another():
    first = generate.generate_ecosystem(200, seed=7, clusters=DEMO_TARGETS)
    again = generate.generate_ecosystem(200, seed=7, clusters=DEMO_TARGETS)
    other = generate.generate_ecosystem(200, seed=8, clusters=DEMO_TARGETS)
    assert first == again
    assert [o.name for o in first] != [o.name for o in other]


def test_generated_organisations_are_plausible_and_valid():
    made = generate.generate_ecosystem(2000, seed=3, clusters=DEMO_TARGETS)
    assert len({o.name.lower() for o in made}) == 2000
    kinds = Counter((o.kind, o.size_class) for o in made)
    assert set(kinds) == {
        ("company", "sme"),
        ("company", "large"),
        ("knowledge_institution", ""),
        ("government", ""),
        ("federation", ""),
    }
    assert kinds["company", "sme"] > 0.75 * 2000
    ids = [(o.identifier_scheme, o.legal_identifier) for o in made if o.legal_identifier]
    assert len(set(ids)) == len(ids)
    assert [normalise_identifier(s, v).value for s, v in ids] == [v for _s, v in ids]
    codes = sorted({c for o in made for c in o.sectors})
    assert [normalise_nace(c) for c in codes] == codes
    for org in made:
        box = vocabulary.LUXEMBOURG if org.country == "LU" else vocabulary.BELGIUM
        assert all(box.contains(s.latitude, s.longitude) for s in org.sites), org
        assert [s.is_headquarters for s in org.sites][:1] == [True]
        written = {lang for lang in ("en", "nl", "fr", "de") if getattr(org, f"description_{lang}")}
        assert written == set(org.working_languages.split(",")), org
        assert org.government_level == ("" if org.kind != "government" else org.government_level)


def test_generated_membership_histories_follow_the_engagement_ladder():
    made = generate.generate_ecosystem(1000, seed=4, clusters=DEMO_TARGETS)
    memberships = [m for o in made for m in o.memberships]
    assert len(memberships) > 300
    errors = []
    for m in memberships:
        steps = [(c.from_level, c.to_level) for c in m.history]
        assert steps[0] == ("", "interested")
        assert steps[-1][1] == m.level
        assert m.since == m.history[-1].on
        errors += _workflow_errors(steps)
    assert errors == []
    countries = {t.slug: t.country for t in DEMO_TARGETS}
    assert all(countries[m.cluster] == o.country for o in made for m in o.memberships)


def test_taken_identifiers_and_names_are_not_reused():
    first = generate.generate_ecosystem(300, seed=1)
    taken = {(o.identifier_scheme, o.legal_identifier) for o in first if o.legal_identifier}
    second = generate.generate_ecosystem(
        300, seed=1, taken_identifiers=taken, taken_names=[o.name for o in first]
    )
    assert taken.isdisjoint((o.identifier_scheme, o.legal_identifier) for o in second)
    assert {o.name for o in first}.isdisjoint(o.name for o in second)


def test_synthetic_clusters_are_invented_with_operators_and_domains():
    made = generate.synthetic_clusters(10, seed=1)
    assert [c.slug for c in made[:2]] == ["synthetic-circular-plastics-network", "synthetic-hydrogen-network"]
    assert [c.name for c in made[8:]] == ["Synthetic Cluster 9", "Synthetic Cluster 10"]
    assert all(c.operator.kind == "cluster_organisation" and c.domains for c in made)


def test_a_place_of_every_flemish_province_and_of_luxembourg():
    assert {p.region for p in vocabulary.PLACES} == {
        "antwerpen",
        "limburg",
        "oost-vlaanderen",
        "vlaams-brabant",
        "west-vlaanderen",
        "luxembourg",
    }
    assert all(
        vocabulary.BELGIUM.contains(p.latitude, p.longitude) for p in vocabulary.PLACES if p.country == "BE"
    )
    assert all(
        vocabulary.LUXEMBOURG.contains(p.latitude, p.longitude)
        for p in vocabulary.PLACES
        if p.country == "LU"
    )


# --- helix demo load: the database ----------------------------------------------------------------


@pytest.fixture
def demo():  # type: ignore[no-untyped-def]
    return load_demo()


def _counts() -> dict[str, int]:
    return {
        f"{m._meta.app_label}.{m.__name__}": m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in {"registry", "auth"}
    }


def test_demo_load_creates_the_founders_partners_and_clusters(demo):
    kinds = dict(Organisation.objects.filter(slug__in=seeds.FOUNDERS).values_list("name", "kind"))
    assert kinds == {
        "Agoria": "federation",
        "Voka": "federation",
        "Pixii – Kennisplatform Energieneutraal Bouwen": "federation",
        "VCB": "federation",
        "Living Tomorrow": "company",
        "EnergyVille": "knowledge_institution",
        "iMinds": "knowledge_institution",
        "Ghent University": "knowledge_institution",
        "Smart Grids Flanders": "federation",
    }
    partners = Membership.objects.filter(cluster__slug="flux50", level="strategic_partner")
    assert sorted(partners.values_list("organisation__name", flat=True)) == sorted(
        [
            "ABB",
            "Niko",
            "Havenbedrijf Antwerpen",
            "Proximus",
            "Havenbedrijf Gent",
            "Actility Benelux",
            "Fluvius",
            "Condugo",
            "Enervalis",
            "Fifthplay",
            "Ferranti Computer Systems",
            "VOLTA",
            "ESAS",
        ]
    )
    assert sorted(Cluster.objects.values_list("slug", flat=True)) == sorted(seeds.DEMO_CLUSTER_SLUGS)
    assert Cluster.objects.get(slug="flux50").operator.name == "Flux50"
    assert {c.operator.name for c in Cluster.objects.filter(slug__startswith="lu-")} == {"Luxinnovation"}
    assert demo.summary() == (
        "Demo ecosystem: 60 organisations, 9 clusters and 72 memberships (478 objects created, 0 updated)."
    )


def test_flux50_names_and_history(demo):
    flux50 = Cluster.objects.get(slug="flux50")
    assert (flux50.current_name, flux50.founded_on) == ("Flux50", D(2017, 5, 10))
    assert flux50.name_on(D(2016, 12, 16)) == "Flemish Energy Cluster"
    history = MembershipChange.objects.filter(
        membership__cluster=flux50, membership__organisation__slug="abb"
    )
    assert list(history.values_list("from_level", "to_level", "changed_on")) == [
        ("", "interested", D(2016, 1, 21)),
        ("interested", "loi_signed", D(2016, 6, 14)),
        ("loi_signed", "member", D(2017, 5, 10)),
        ("member", "strategic_partner", D(2017, 5, 10)),
    ]
    sgf = Membership.objects.get(cluster=flux50, organisation__slug="smart-grids-flanders")
    assert (sgf.level, sgf.since) == ("left", D(2017, 5, 10))


def test_strategic_partners_signed_letters_of_intent_in_2016_by_sample_people(demo):
    letters = LetterOfIntent.objects.filter(cluster__slug="flux50").select_related("signatory")
    assert letters.count() == 13
    assert all(D(2016, 5, 26) <= letter.signed_on <= D(2016, 9, 30) for letter in letters)
    assert all(
        letter.signatory.is_sample and letter.signed_by == letter.signatory.full_name for letter in letters
    )


def test_surfmat_is_now_materials_and_manufacturing(demo):
    surfmat = Cluster.objects.get(slug="lu-materials-manufacturing")
    assert surfmat.current_name == "Materials & Manufacturing"
    assert surfmat.name_on(D(2005, 1, 1)) == "SurfMat"
    names = {c.slug: [n.name for n in c.names.all()] for c in Cluster.objects.filter(slug__startswith="lu-")}
    assert names == {
        "lu-materials-manufacturing": ["SurfMat", "Materials & Manufacturing"],
        "lu-ict": ["InfoComm", "ICT"],
        "lu-healthtech": ["BioHealth", "HealthTech"],
        "lu-cleantech": ["EcoInnovation", "CleanTech"],
        "lu-automobility": ["Automotive Components", "AutoMobility"],
        "lu-wood": ["Wood"],
        "lu-creative-industries": ["Creative Industries"],
    }
    founded = dict(Cluster.objects.filter(slug__startswith="lu-").values_list("slug", "founded_on__year"))
    assert founded == {
        "lu-materials-manufacturing": 2001,
        "lu-ict": 2002,
        "lu-healthtech": 2008,
        "lu-cleantech": 2009,
        "lu-automobility": 2013,
        "lu-wood": 2016,
        "lu-creative-industries": 2017,
    }


def test_flux50_has_five_innovator_zones(demo):
    zones = Domain.objects.filter(cluster__slug="flux50", kind="innovator_zone")
    assert sorted(zones.values_list("name", flat=True)) == [
        "Energy data and ICT",
        "Flexible grids and storage",
        "Industrial energy efficiency",
        "Multi-energy districts",
        "Smart buildings and renovation",
    ]


def test_smart_energy_cities_has_four_work_domains_and_cities(demo):
    domains = Domain.objects.filter(cluster__slug="smart-energy-cities", kind="work_domain")
    assert sorted(domains.values_list("name", flat=True)) == [
        "Collectieve renovatie",
        "E-mobility hubs",
        "Groene warmte",
        "Openbare verlichting",
    ]
    cities = Membership.objects.filter(
        cluster__slug="smart-energy-cities",
        organisation__kind="government",
        organisation__government_level="local",
    )
    assert sorted(cities.values_list("organisation__name", flat=True)) == [
        "Stad Antwerpen",
        "Stad Genk",
        "Stad Gent",
        "Stad Kortrijk",
        "Stad Leuven",
    ]
    partners = Membership.objects.filter(cluster__slug="smart-energy-cities", level="strategic_partner")
    assert sorted(partners.values_list("organisation__name", flat=True)) == [
        "Agoria",
        "EnergyVille",
        "Flux50",
        "VITO",
        "VVSG",
    ]


def test_luxembourg_advisory_groups_balance_industry_research_and_public(demo):
    groups = AdvisoryGroup.objects.filter(cluster__slug__startswith="lu-").order_by("name")
    assert {g.name: services.advisory_balance(g) for g in groups} == {
        name: {"industry": 5, "research": 3, "public": 2, "intermediary": 0}
        for name in (
            "CleanTech advisory group",
            "HealthTech advisory group",
            "Materials & Manufacturing advisory group",
        )
    }


def test_loading_the_demo_twice_changes_nothing(demo):
    before = _counts()
    texts = dict(Organisation.objects.values_list("slug", "search_text"))
    report = load_demo()
    assert _counts() == before
    assert (sum(report.created.values()), sum(report.updated.values())) == (0, 0)
    assert dict(Organisation.objects.values_list("slug", "search_text")) == texts


def test_staff_and_member_logins(demo):
    staff = authenticate(username="staff", password=seeds.DEMO_PASSWORD)
    admin = authenticate(username="admin", password=seeds.DEMO_PASSWORD)
    member = authenticate(username="member", password=seeds.DEMO_PASSWORD)
    assert (staff.is_staff, staff.is_superuser, admin.is_superuser, member.is_staff) == (
        True,
        False,
        True,
        False,
    )
    assert StaffAssignment.objects.filter(user=staff).count() == 9
    editable = [o.slug for o in Organisation.objects.order_by("slug") if can_edit_organisation(member, o)]
    assert editable == ["enervalis"]
    assert all(can_edit_organisation(staff, o) for o in Organisation.objects.all())
    assert member.person.full_name == "Lotte Vermeulen"
    # Every demo account has an address on a reserved domain: notifications show as e-mail on the console.
    assert (member.email, staff.email, admin.email) == (
        "member@example.org",
        "staff@example.org",
        "admin@example.org",
    )
    assert (
        staff.has_perm("registry.change_organisation"),
        member.has_perm("registry.change_organisation"),
    ) == (
        True,
        False,
    )


def test_every_nace_code_used_is_valid(demo):
    used = sorted(
        Sector.objects.filter(organisations__isnull=False).values_list("code", flat=True).distinct()
    )
    assert len(used) > 20
    assert [normalise_nace(c) for c in used] == used


def test_everything_invented_is_marked_sample(demo):
    assert Person.objects.filter(is_sample=False).count() == 0
    real = set(Organisation.objects.filter(is_sample=False).values_list("slug", flat=True))
    invented = {o.slug for o in seeds.DEMO.organisations if o.is_sample}
    assert real == {o.slug for o in seeds.DEMO.organisations} - invented
    assert real.isdisjoint(slug for slug in invented)
    # Staff-only notes keep saying what is invented: interactions, a membership's history.
    assert all("sample" in i.summary for i in apps.get_model("registry", "Interaction").objects.all())
    assert MembershipChange.objects.filter(note__contains="sample").exists()


# A note about where demo data comes from, in any of the demo's languages.
PROVENANCE = re.compile(
    r"\b(sample|invented|approximate|voorbeeld\w*|exemple|beispiel|fictional)\b",
    re.IGNORECASE,
)


def public_texts() -> list[tuple[str, str]]:
    """(where, text) of every text a visitor may read: profiles, clusters, their names and domains,
    needs and offers, resource flows."""
    from helix.market.models import Listing
    from helix.symbiosis.models import ResourceFlow

    texts: list[tuple[str, str]] = []
    for org in Organisation.objects.all():
        for code in ("en", "nl", "fr", "de"):
            texts.append((f"organisation {org.slug} ({code})", getattr(org, f"description_{code}")))
    texts += [(f"cluster {c.slug}", c.description) for c in Cluster.objects.all()]
    texts += [(f"cluster name {n.pk}", n.name) for n in ClusterName.objects.all()]
    texts += [(f"domain {d.slug}", f"{d.name} {d.description}") for d in Domain.objects.all()]
    texts += [(f"listing {x.pk}", f"{x.title} {x.description}") for x in Listing.objects.all()]
    texts += [(f"flow {f.pk}", f"{f.title} {f.description}") for f in ResourceFlow.objects.all()]
    return texts


def test_no_public_text_carries_a_note_on_where_the_demo_data_comes_from(demo):
    leaks = [(where, text) for where, text in public_texts() if PROVENANCE.search(text)]
    assert leaks == []


def test_what_is_invented_about_clusters_and_zones_is_kept_out_of_public_text(demo):
    zones = [d for c in seeds.DEMO.clusters for d in c.domains if d.kind == "innovator_zone"]
    assert len(zones) == 5
    assert all("invented" in d.provenance for d in zones)
    renamed = [c for c in seeds.DEMO.clusters if c.slug.startswith("lu-") and len(c.names) > 1]
    assert renamed
    assert all("rename is invented" in c.provenance for c in renamed)
    for seed in [*zones, *renamed]:
        assert seed.provenance not in " ".join(text for _where, text in public_texts())
    readme = (Path(seeds.__file__).parent / "README.md").read_text()
    assert "provenance" in readme


def test_demo_sites_are_in_belgium_or_luxembourg_and_searchable(demo):
    for site in Site.objects.all():
        box = vocabulary.LUXEMBOURG if site.country == "LU" else vocabulary.BELGIUM
        assert box.contains(site.latitude, site.longitude), site
    assert Organisation.objects.get(slug="enervalis").search_text.startswith("enervalis ")
    assert "houthalen-helchteren" in Organisation.objects.get(slug="enervalis").search_text


# --- helix demo generate: the database ------------------------------------------------------------


def test_generate_300_organisations_with_valid_identifiers_and_sites():
    report = generate_into_database(300, seed=11)
    generated = generated_organisations()
    assert (report.organisations, generated.count()) == (300, 300)
    assert generated.filter(is_sample=False).count() == 0
    pairs = list(generated.exclude(legal_identifier="").values_list("identifier_scheme", "legal_identifier"))
    assert len(pairs) > 250
    assert [normalise_identifier(s, v).value for s, v in pairs] == [v for _s, v in pairs]
    for site in Site.objects.filter(organisation__in=generated):
        box = vocabulary.LUXEMBOURG if site.country == "LU" else vocabulary.BELGIUM
        assert box.contains(site.latitude, site.longitude), site
    assert (
        Membership.objects.filter(organisation__in=generated)
        .exclude(cluster__slug__in=seeds.DEMO_CLUSTER_SLUGS)
        .count()
        == 0
    )
    assert Person.objects.filter(organisation__in=generated, is_sample=False).count() == 0


def test_generated_organisations_are_found_in_the_directory():
    generate_into_database(120, seed=2)
    org = generated_organisations().filter(is_published=True).order_by("pk").first()
    keyword = org.keywords.order_by("name").first().name
    city = org.sites.get(is_headquarters=True).city
    anonymous = AnonymousUser()
    assert search_organisations(anonymous, DirectoryQuery(text=org.name)).first() == org
    found = search_organisations(anonymous, DirectoryQuery(text=f"{keyword} {city}", kinds=[org.kind]))
    assert org in found
    assert all(keyword in o.search_text and normalise_search_text(city) in o.search_text for o in found)


def test_generate_is_deterministic_for_a_seed():
    generate_into_database(300, seed=5)
    first = list(generated_organisations().order_by("pk").values_list("name", "legal_identifier"))
    generate_into_database(300, seed=5, replace=True)
    again = list(generated_organisations().order_by("pk").values_list("name", "legal_identifier"))
    assert len(first) == 300
    assert again == first


def test_generate_invents_clusters_beyond_the_demo_ones():
    report = generate_into_database(200, seed=1, clusters=11)
    assert report.clusters_created == 2
    assert Cluster.objects.filter(is_sample=True).count() == 2
    assert get_user_model().objects.filter(username="staff").exists()  # the demo came first
    # Invented clusters are marked by is_sample (a "Sample data" badge), not by notes in public text.
    assert [(where, text) for where, text in public_texts() if PROVENANCE.search(text)] == []
    assert generate_into_database(10, seed=2, clusters=11).clusters_created == 0
