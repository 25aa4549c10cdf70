"""Registry pages (placeholder until the page work lands)."""

from django.http import HttpRequest, HttpResponse


def directory(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Helix directory")


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(slug)


def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(slug)


def cluster_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(slug)


def pipeline(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(slug)
