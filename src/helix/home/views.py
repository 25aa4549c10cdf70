"""The home page: what the site is about for a visitor, and what waits for a member or for staff.

Thin: ``helix.home.services`` reads each block through the permission tables; the page only puts them
together. An anonymous visitor's page is the same for everyone, so it is kept in the page cache."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from helix.home import services
from helix.pagecache import cache_anonymous


@cache_anonymous
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    now = timezone.now()
    member = staff = None
    if user.is_authenticated:
        member = services.member_tasks(user, now)
        staff = services.staff_tasks(user, now)
    context = {
        "overview": services.overview(user, now),
        "member": member,
        "staff": staff,
        "name": member.person.first_name if member else user.get_username(),
    }
    return render(request, "home/home.html", context)
