"""``{% load pages %}``: page links for long result lists."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.paginator import Page

register = template.Library()


@register.filter
def elided_pages(page: Page) -> list[Any]:
    """The first and last page, two on each side of the current one, and the paginator's ellipsis for
    the gaps: a handful of links at any size (iterating every page number of 20,000 organisations cost
    more than the rest of the page)."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
