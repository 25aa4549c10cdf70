"""Browsable API docs (Swagger UI) served entirely from this site: Helix never loads assets from a CDN.

django-ninja ships Swagger UI in its package (ninja/static/ninja), but renders its local template only
when "ninja" is in INSTALLED_APPS and otherwise falls back to a page that loads Swagger UI from a CDN.
Helix renders its own page instead, and the API serves the few files that page needs straight from the
installed ninja package, so the docs work offline and need no settings.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from ninja.openapi.docs import Swagger

if TYPE_CHECKING:
    from ninja import NinjaAPI

NINJA_STATIC = Path(ninja.__file__).parent / "static" / "ninja"
ASSETS = frozenset(
    {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js", "favicon.svg", "favicon.png"}
)
ASSET_MAX_AGE = 24 * 3600


class LocalSwagger(Swagger):
    """Swagger UI from local files; no validator badge (it would fetch from validator.swagger.io)."""

    template = "helix_api/docs.html"
    default_settings = {**Swagger.default_settings, "validatorUrl": None}

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        def asset(name: str) -> str:
            url = reverse(f"{api.urls_namespace}:docs_asset", kwargs={"name": name})
            return f"{url}?v={ninja.__version__}"

        return render(
            request,
            self.template,
            {
                "api": api,
                "swagger_settings": {**self.settings, "url": self.get_openapi_url(api, kwargs)},
                "css": asset("swagger-ui.css"),
                "bundle": asset("swagger-ui-bundle.js"),
                "init": asset("swagger-ui-init.js"),
                "favicon_svg": asset("favicon.svg"),
                "favicon_png": asset("favicon.png"),
            },
        )


def docs_asset(request: HttpRequest, name: str) -> FileResponse:
    """One of Swagger UI's files, from the installed django-ninja."""
    if name not in ASSETS:
        raise Http404(name)
    content_type, _encoding = mimetypes.guess_type(name)
    response = FileResponse((NINJA_STATIC / name).open("rb"), content_type=content_type)
    response["Cache-Control"] = f"public, max-age={ASSET_MAX_AGE}"
    return response
