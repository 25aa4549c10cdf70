"""Page-number pagination sized by the HELIX_PAGE_SIZE setting, as the directory pages are."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field
from ninja.pagination import PaginationBase

from helix.api.schemas.base import Input as RequestInput

MAX_PAGE_SIZE = 200
# Far beyond any list Helix holds; the bound keeps the row offset within what a database accepts (a page
# number of 10**35 made an offset SQLite refused: 500).
MAX_PAGE = 1_000_000


class HelixPagination(PaginationBase):
    """``?page=2&page_size=50``: ``count`` is the number of results on all pages together."""

    class Input(RequestInput):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(
            None,
            ge=1,
            description=f"Results per page; the default is the site's page size, at most {MAX_PAGE_SIZE}",
        )

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        # The setting is read per request (not at import) so that it follows the site's configuration.
        size = min(pagination.page_size or int(settings.HELIX_PAGE_SIZE), MAX_PAGE_SIZE)
        offset = (pagination.page - 1) * size
        return {"items": queryset[offset : offset + size], "count": queryset.count()}
