from django.urls import path

from helix.registry import cluster_views, documents, organisation_views, transfer_views, views

app_name = "registry"

urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("organisations/<slug:slug>/", organisation_views.organisation_detail, name="organisation"),
    path("organisations/<slug:slug>/edit/", organisation_views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<slug:slug>/interactions/",
        organisation_views.interaction_create,
        name="interaction_create",
    ),
    path("registry/import/", transfer_views.import_registry, name="import"),
    path("registry/export/", transfer_views.export_registry_view, name="export"),
    path("registry/export/<int:job_id>/download/", transfer_views.download_export, name="export_download"),
    path("letters-of-intent/<int:pk>/document/", documents.letter_document, name="letter_document"),
    path("clusters/", cluster_views.cluster_list, name="cluster_list"),
    path("clusters/<slug:slug>/", cluster_views.cluster_detail, name="cluster"),
    path("clusters/<slug:slug>/pipeline/", cluster_views.pipeline, name="pipeline"),
    path(
        "clusters/<slug:slug>/follow-ups/<int:interaction_id>/done/",
        cluster_views.follow_up_done,
        name="follow_up_done",
    ),
    path(
        "clusters/<slug:slug>/pipeline/<int:membership_id>/move/",
        cluster_views.pipeline_move,
        name="pipeline_move",
    ),
]
