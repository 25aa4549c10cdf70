"""Integration: ``helix api token`` creates, lists and revokes tokens."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from helix.api.models import ApiToken, hash_token
from helix.cli.api import api
from tests.factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def run(*args: str):
    return CliRunner().invoke(api, ["token", *args], catch_exceptions=False)


def test_create_prints_a_token_once_and_stores_only_its_hash():
    user = UserFactory(username="crm")
    result = run("create", "crm", "--name", "CRM sync")
    secret = result.stdout.strip()
    token = ApiToken.objects.get()
    assert result.exit_code == 0
    assert (token.user, token.name, token.token_hash, token.prefix) == (
        user,
        "CRM sync",
        hash_token(secret),
        secret[:11],
    )
    assert ApiToken.objects.authenticate(secret) == user


def test_create_refuses_an_unknown_user():
    result = run("create", "nobody")
    assert (result.exit_code, ApiToken.objects.count()) == (1, 0)
    assert "no user 'nobody'" in result.output


def test_list_and_revoke_by_prefix():
    user = UserFactory(username="crm")
    token, secret = ApiToken.objects.issue(user, name="CRM sync")
    listed = run("list")
    revoked = run("revoke", f"{token.prefix}…")
    assert listed.stdout == f"{token.prefix}…\tcrm\tCRM sync\tnever used\tactive\n"
    assert revoked.stdout == f"Revoked {token.prefix}… of crm.\n"
    assert ApiToken.objects.authenticate(secret) is None


def test_revoke_by_the_whole_token():
    _token, secret = ApiToken.objects.issue(UserFactory(username="crm"))
    assert run("revoke", secret).exit_code == 0
    assert ApiToken.objects.get().revoked is True
