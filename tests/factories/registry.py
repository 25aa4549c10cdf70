"""Factories of the registry (organisations, people, sites, clusters, memberships and their history) and
of users, with boring defaults; ``staff_user`` and ``member_user`` give a user a role."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from helix.core.registry.identifiers import belgian_enterprise_number
from helix.registry import models


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = models.OrganisationKind.COMPANY
    size_class = models.SizeClass.SME
    identifier_scheme = models.IdentifierScheme.BE_ENTERPRISE
    legal_identifier = factory.Sequence(lambda n: belgian_enterprise_number(n + 1))
    working_languages = "nl,en"
    description_en = "Builds things."
    is_published = True

    @factory.post_generation
    def refresh(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            from helix.registry.services import refresh_search_text

            refresh_search_text(obj)


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Site

    organisation = factory.SubFactory(OrganisationFactory)
    name = "Head office"
    city = "Gent"
    postcode = "9000"
    country = "BE"
    region = models.Region.OOST_VLAANDEREN
    latitude = 51.05
    longitude = 3.72
    is_headquarters = True


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = "An"
    last_name = factory.Sequence(lambda n: f"Peeters{n}")
    email = factory.LazyAttribute(lambda p: f"{p.last_name.lower()}@example.org")


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Cluster
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"cluster-{n}")
    operator = factory.SubFactory(
        OrganisationFactory, kind=models.OrganisationKind.CLUSTER_ORGANISATION, size_class=""
    )
    founded_on = dt.date(2017, 5, 10)

    @factory.post_generation
    def name(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            models.ClusterName.objects.create(
                cluster=obj,
                name=extracted or f"Cluster {obj.slug}",
                valid_from=obj.founded_on or dt.date(2000, 1, 1),
            )


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Domain

    cluster = factory.SubFactory(ClusterFactory)
    kind = models.DomainKind.INNOVATOR_ZONE
    name = factory.Sequence(lambda n: f"Domain {n}")
    slug = factory.Sequence(lambda n: f"domain-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Membership

    organisation = factory.SubFactory(OrganisationFactory)
    cluster = factory.SubFactory(ClusterFactory)
    level = "member"
    since = dt.date(2020, 1, 1)


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Sector
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"X{n:04d}")  # no NACE code looks like this
    level = 3
    label = factory.Sequence(lambda n: f"Sector {n}")


class KeywordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Keyword
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"keyword {n}")


class ClusterNameFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ClusterName

    cluster = factory.SubFactory(ClusterFactory)
    name = factory.Sequence(lambda n: f"Renamed cluster {n}")
    valid_from = factory.Sequence(lambda n: dt.date(2021, 1, 1) + dt.timedelta(days=n))


class MembershipChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MembershipChange

    membership = factory.SubFactory(MembershipFactory)
    from_level = "interested"
    to_level = "member"
    changed_on = dt.date(2020, 1, 1)


class LetterOfIntentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.LetterOfIntent

    organisation = factory.SubFactory(OrganisationFactory)
    cluster = factory.SubFactory(ClusterFactory)
    signed_on = dt.date(2019, 6, 1)
    signatory_name = "An Peeters"


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Interaction

    organisation = factory.SubFactory(OrganisationFactory)
    cluster = factory.SubFactory(ClusterFactory)
    kind = models.InteractionKind.MEETING
    happened_on = dt.date(2024, 3, 1)
    summary = "Talked about their plans."


class AdvisoryGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AdvisoryGroup

    cluster = factory.SubFactory(ClusterFactory)
    name = factory.Sequence(lambda n: f"Advisory group {n}")


class AdvisorySeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AdvisorySeat

    group = factory.SubFactory(AdvisoryGroupFactory)
    person = factory.SubFactory(PersonFactory)


class StaffAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.StaffAssignment

    user = factory.SubFactory(UserFactory, is_staff=True)
    cluster = factory.SubFactory(ClusterFactory)


def staff_user(cluster: models.Cluster, username: str = "staff") -> object:
    user = UserFactory(username=username, is_staff=True)
    models.StaffAssignment.objects.get_or_create(user=user, cluster=cluster)
    return user


def member_user(organisation: models.Organisation, username: str = "member") -> object:
    user = UserFactory(username=username)
    PersonFactory(organisation=organisation, user=user, first_name="Mia", last_name=username.title())
    return user
