"""The inbox (list, open, mark read, mark all read) and the notification preferences: each person's own."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helix.notifications import services
from helix.notifications.forms import PreferencesForm
from helix.notifications.messages import render as render_message
from helix.notifications.models import Notification
from helix.registry.permissions import can


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(services.inbox(request.user), settings.HELIX_PAGE_SIZE).get_page(request.GET.get("page"))
    items = [{"note": note, "shown": render_message(note.message, note.params)} for note in page]
    # the unread count: the menu's {% unread_notifications %}, counted once per request
    return render(request, "notifications/inbox.html", {"page": page, "items": items})


def _own(request: HttpRequest, pk: int, action: str) -> Notification:
    note = get_object_or_404(services.inbox(request.user), pk=pk)
    if not can(request.user, action, note):
        raise PermissionDenied
    return note


@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link, marking it read (one's own only; the link stays on this site)."""
    note = _own(request, pk, "view")
    services.mark_read(request.user, [note.pk])
    target = note.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect("notifications:inbox")
    return redirect(target)


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    note = _own(request, pk, "mark_read")
    services.mark_read(request.user, [note.pk])
    return _back(request)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.mark_read(request.user)
    if count:
        messages.success(request, _("All notifications marked read."))
    return _back(request)


def _back(request: HttpRequest) -> HttpResponse:
    page = request.POST.get("page", "")
    url = redirect("notifications:inbox").url
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    current = services.settings_for(request.user)
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        services.save_preferences(
            request.user, language=form.cleaned_data["language"], deliveries=form.deliveries()
        )
        messages.success(request, _("Preferences saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "digest_hour": settings.HELIX_DIGEST_HOUR, "email": services.email_of(request.user)},
    )
