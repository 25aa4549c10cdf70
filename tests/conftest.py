"""Shared test set-up: media files under a temporary folder, a fast password hasher, tasks run in-process,
a fresh match engine and cache per test, and the rule that every test carries a kind marker."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _default_language():  # type: ignore[no-untyped-def]
    """Each test starts in the site's default language: a request or a mail in German activates German
    for the thread, and a later test in the same worker would otherwise read German text."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_content_types(request):  # type: ignore[no-untyped-def]
    """A transactional test flushes the database at its end (and a serialized one restores it at its
    start): content-type ids cached in the worker before may no longer be rows, and the audit trail's
    next entry would fail on its foreign key. Such tests start and end with an empty cache."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    if transactional:
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
    yield
    if transactional:
        ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):  # type: ignore[no-untyped-def]
    """The factories and test worlds hash a password for every user; PBKDF2 would make each test take
    seconds. No test is about the hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):  # type: ignore[no-untyped-def]
    """Tests run background tasks in-process; the worker path is tested on its own."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fresh_match_engine(settings):  # type: ignore[no-untyped-def]
    """Each test starts with no cached match engine and the model-free encoder; tests that need the
    multilingual model set HELIX_TEXT_ENCODER = "use" themselves."""
    from helix.market.engine import reset_engine

    settings.HELIX_TEXT_ENCODER = "hashing"
    reset_engine()
    yield
    reset_engine()


@pytest.fixture(autouse=True)
def _empty_cache():  # type: ignore[no-untyped-def]
    """The in-memory cache (rate-limit counts) outlives a test's database: each test starts empty."""
    from django.core.cache import caches

    for name in ("default", "pages"):
        caches[name].clear()
    yield
    for name in ("default", "pages"):
        caches[name].clear()


KINDS = ("unit", "integration", "e2e")  # the kind markers declared in pyproject; every test carries one


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """Refuse a run that collects a test without a kind marker: say which files lack ``pytestmark``."""
    unmarked = sorted(
        {item.nodeid.split("::")[0] for item in items if not any(item.get_closest_marker(k) for k in KINDS)}
    )
    if unmarked:
        raise pytest.UsageError(
            "Every test file carries a kind marker (pytestmark = pytest.mark.unit, integration or e2e); "
            "these do not: " + ", ".join(unmarked)
        )
