"""Integration: every model of the audited apps is followed or left out on purpose, and each followed
model's admin history shows its audit trail."""

from __future__ import annotations

import functools

import pytest
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib import admin

from helix.audit.admin import audit_history_view
from helix.audit.registration import AUDITED_APPS, EXCLUDED, audited_models
from helix.audit.scope import RULES

pytestmark = [pytest.mark.integration]


def test_every_model_of_the_audited_apps_has_a_decision():
    models = {m._meta.label for app in AUDITED_APPS for m in apps.get_app_config(app).get_models()}
    assert (set(RULES) | set(EXCLUDED), set(RULES) & set(EXCLUDED)) == (models, set())


def test_followed_models_are_registered_and_the_others_are_not():
    assert [m._meta.label for m in audited_models() if not auditlog.contains(m)] == []
    assert [label for label in EXCLUDED if auditlog.contains(apps.get_model(label))] == []


def test_derived_fields_and_reverse_relations_are_not_followed():
    from helix.market.models import Listing

    fields = auditlog.get_model_fields(Listing)["include_fields"]
    assert {"search_text", "index_seq", "revision", "updated_at", "id"} & set(fields) == set()
    assert {"title", "status", "visibility", "organisation"} <= set(fields)


def test_the_admin_history_of_every_followed_model_is_its_audit_trail():
    admins = [admin.site._registry[m] for m in audited_models() if m in admin.site._registry]
    assert len(admins) >= 15
    for model_admin in admins:
        view = model_admin.history_view
        assert isinstance(view, functools.partial)
        assert (view.func, view.args) == (audit_history_view, (model_admin,))
