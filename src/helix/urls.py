from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from helix.api.urls import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("jobs/", include("helix.jobs.urls")),
    path("audit/", include("helix.audit.urls")),
    path("privacy/", include("helix.privacy.urls")),
    path("", include("helix.market.urls")),
    path("", include("helix.events.urls")),
    path("", include("helix.symbiosis.urls")),
    path("", include("helix.registry.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
