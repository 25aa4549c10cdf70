"""``helix api``: API tokens for scripts and other systems that call the REST API."""

from __future__ import annotations

import click

from helix.cli import setup_django


@click.group()
def api() -> None:
    """The REST API (/api/, docs at /api/docs)."""


@api.group()
def token() -> None:
    """Create, list and revoke API tokens."""


@token.command("create")
@click.argument("username")
@click.option("--name", default="", help="What the token is for, e.g. 'CRM sync'.")
def create_token(username: str, name: str) -> None:
    """Create a token that acts as USERNAME, and print it. It is shown this once only."""
    setup_django()
    from django.contrib.auth import get_user_model

    from helix.api.models import ApiToken

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    if not user.is_active:
        raise click.ClickException(f"user {username!r} is not active")
    _token, secret = ApiToken.objects.issue(user, name=name)
    click.echo(secret)
    click.echo(
        f"Token for {username} created. Copy it now: Helix keeps only its hash and cannot show it again.\n"
        f"Use it as the header  Authorization: Bearer <token>",
        err=True,
    )


@token.command("list")
@click.option("--user", "username", default=None, help="Only the tokens of this user.")
def list_tokens(username: str | None) -> None:
    """List tokens (prefix, user, name, last use), newest first."""
    setup_django()
    from helix.api.models import ApiToken

    tokens = ApiToken.objects.select_related("user")
    if username:
        tokens = tokens.filter(user__username=username)
    for t in tokens:
        used = t.last_used_at.isoformat(timespec="minutes") if t.last_used_at else "never used"
        state = "revoked" if t.revoked else "active"
        click.echo(f"{t.prefix}…\t{t.user.get_username()}\t{t.name or '-'}\t{used}\t{state}")
    click.echo(f"{len(tokens)} token(s)", err=True)


@token.command("revoke")
@click.argument("token_or_prefix")
def revoke_token(token_or_prefix: str) -> None:
    """Revoke a token, given whole or by the prefix that ``helix api token list`` shows."""
    setup_django()
    from helix.api.models import PREFIX_LENGTH, ApiToken, hash_token

    text = token_or_prefix.strip().rstrip("…")
    live = ApiToken.objects.filter(revoked=False).select_related("user")
    matches = list(
        live.filter(token_hash=hash_token(text)) if len(text) > PREFIX_LENGTH else live.filter(prefix=text)
    )
    if len(matches) != 1:
        raise click.ClickException(f"{len(matches)} active tokens match {text!r}; give the whole token")
    ApiToken.objects.filter(pk=matches[0].pk).update(revoked=True)
    click.echo(f"Revoked {matches[0].prefix}… of {matches[0].user.get_username()}.")
