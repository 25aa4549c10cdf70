"""Integration: every concrete model of the helix apps has a factory in tests/factories, and each
factory builds a saved instance that passes the model's own validation (full_clean)."""

from __future__ import annotations

import factory
import pytest
from django.apps import apps

from tests import factories

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def helix_models() -> list[type]:
    return sorted(
        (m for m in apps.get_models() if m.__module__.startswith("helix.")),
        key=lambda m: m._meta.label,
    )


def factory_of() -> dict[type, type]:
    found = {}
    for name in factories.__all__:
        value = getattr(factories, name)
        if isinstance(value, type) and issubclass(value, factory.django.DjangoModelFactory):
            found[value._meta.model] = value
    return found


def test_every_helix_model_has_a_factory():
    assert [m._meta.label for m in helix_models() if m not in factory_of()] == []


@pytest.mark.parametrize("model", helix_models(), ids=lambda m: m._meta.label)
def test_the_factory_builds_a_saved_valid_instance(model):
    instance = factory_of()[model]()
    assert instance.pk is not None
    assert model.objects.filter(pk=instance.pk).exists()
    instance.full_clean()
