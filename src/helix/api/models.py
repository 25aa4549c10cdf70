"""API tokens: a long random secret shown once; only its SHA-256 hash and a short prefix are stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_MARK = "hx_"  # noqa: S105 - not a secret: the mark that lets people and secret scanners spot a token
PREFIX_LENGTH = len(TOKEN_MARK) + 8
LAST_USED_GRAIN = dt.timedelta(minutes=1)  # write last_used_at at most once a minute per token


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def issue(self, user: Any, name: str = "") -> tuple[ApiToken, str]:
        """Create a token for ``user``. Returns the stored row and the secret, which is not kept anywhere."""
        raw = f"{TOKEN_MARK}{secrets.token_urlsafe(32)}"
        token = self.create(user=user, name=name, prefix=raw[:PREFIX_LENGTH], token_hash=hash_token(raw))
        return token, raw

    def authenticate(self, raw: str) -> Any | None:
        """The active user holding the live token ``raw``, or None; records when the token was last used."""
        token = (
            self.select_related("user__person")
            .filter(token_hash=hash_token(raw.strip()), revoked=False, user__is_active=True)
            .first()
        )
        if token is None:
            return None
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRAIN:
            type(token).objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("What the token is for."))
    prefix = models.CharField(
        _("prefix"),
        max_length=PREFIX_LENGTH,
        editable=False,
        help_text=_("The first characters of the token."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked = models.BooleanField(_("revoked"), default=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or self.user})"
