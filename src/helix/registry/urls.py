from django.urls import path

from helix.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("clusters/<slug:slug>/", views.cluster_detail, name="cluster"),
    path("clusters/<slug:slug>/pipeline/", views.pipeline, name="pipeline"),
]
