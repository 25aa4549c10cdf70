from django.contrib import admin
from django.urls import include, path

from helix.accounts import PasswordResetView
from helix.api.urls import api

urlpatterns = [
    path("admin/", admin.site.urls),
    # Django's password reset with a rate limit (helix.accounts); the other account pages are Django's.
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("jobs/", include("helix.jobs.urls")),
    path("audit/", include("helix.audit.urls")),
    path("privacy/", include("helix.privacy.urls")),
    path("notifications/", include("helix.notifications.urls")),
    path("people/", include("helix.people.urls")),
    path("", include("helix.market.urls")),
    path("", include("helix.events.urls")),
    path("", include("helix.symbiosis.urls")),
    path("", include("helix.projects.urls")),
    path("", include("helix.calls.urls")),
    path("", include("helix.roadmaps.urls")),
    path("", include("helix.funds.urls")),
    path("", include("helix.insights.urls")),
    path("", include("helix.insights.showcase_urls")),
    path("", include("helix.insights.opendata_urls")),
    path("", include("helix.insights.programme_urls")),
    path("", include("helix.registry.urls")),
    path("", include("helix.home.urls")),
]
# No /media/ route in any mode: Helix has no public uploads. Private files (letters of intent, exports,
# uploads) live under PRIVATE_ROOT and are sent only by permission-checked views (helix.private_files).
