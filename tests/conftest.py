"""Shared test set-up: media files under a temporary folder, factories for the registry."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_ROOT = tmp_path / "private"


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
