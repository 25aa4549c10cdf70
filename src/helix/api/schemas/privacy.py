"""Request and response bodies of the privacy API (``/api/privacy/``): consent history and erasure."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema

from helix.api.schemas.base import Input
from helix.privacy.models import ConsentRecord


class ConsentRecordOut(Schema):
    consent: str
    given: bool
    at: datetime
    by: str | None
    how: str
    note: str

    @staticmethod
    def resolve_by(obj: ConsentRecord) -> str | None:
        return obj.by.get_username() if obj.by else None


class ErasureIn(Input):
    reschedule: bool = False


class RemovedItem(Schema):
    code: str
    count: int | None = None
    label: str


class ErasureOut(Schema):
    person_id: int
    removed: list[RemovedItem]
    kept: dict[str, int]
    kept_text: list[str]


class ErasureRefusal(Schema):
    detail: str
    code: str
