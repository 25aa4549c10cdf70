"""Factories of the platform around the apps: background jobs, API tokens, and the audit trail's
cluster scopes (with the django-auditlog entry they belong to)."""

from __future__ import annotations

import factory
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from helix.api.models import ApiToken, hash_token
from helix.audit.models import AuditScope
from helix.jobs.models import Job, JobStatus
from helix.registry.models import Organisation
from tests.factories.registry import UserFactory


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    kind = "export"
    title = factory.Sequence(lambda n: f"Export {n}")
    status = JobStatus.SUCCEEDED


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """A stored token row; ``ApiToken.objects.issue`` when the test must call with its secret."""

    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    name = "tests"
    prefix = factory.Sequence(lambda n: f"hx_{n:08d}")
    token_hash = factory.Sequence(lambda n: hash_token(f"hx_token-{n}"))


class LogEntryFactory(factory.django.DjangoModelFactory):
    """An audit entry: an organisation created."""

    class Meta:
        model = LogEntry

    content_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Organisation))
    object_pk = factory.Sequence(str)
    object_id = factory.Sequence(int)
    object_repr = factory.Sequence(lambda n: f"Organisation {n}")
    action = LogEntry.Action.CREATE


class AuditScopeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditScope

    entry = factory.SubFactory(LogEntryFactory)
    cluster_id = 1
