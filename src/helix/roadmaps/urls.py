from django.urls import path

from helix.roadmaps import edit_views, export_views, views

app_name = "roadmaps"

urlpatterns = [
    path("roadmaps/", views.roadmap_list, name="list"),
    path("roadmaps/new/", edit_views.roadmap_new, name="new"),
    path("roadmaps/<slug:key>/", views.roadmap_detail, name="detail"),
    path("roadmaps/<slug:key>/move/", views.roadmap_move, name="move"),
    path("roadmaps/<slug:key>/what-if/", views.whatif, name="whatif"),
    path("roadmaps/<slug:key>/items/<slug:item>/accept/", views.accept, name="accept"),
    path("roadmaps/<slug:key>/items/<slug:item>/progress/", views.progress, name="progress"),
    # its content, for its editors (the cluster's staff)
    path("roadmaps/<slug:key>/items/new/", edit_views.item_edit, name="item_new"),
    path("roadmaps/<slug:key>/items/<slug:item>/edit/", edit_views.item_edit, name="item_edit"),
    path("roadmaps/<slug:key>/items/<slug:item>/delete/", edit_views.item_delete, name="item_delete"),
    path("roadmaps/<slug:key>/participants/", edit_views.participants, name="participants"),
    path("roadmaps/<slug:key>/dependencies/", edit_views.dependencies, name="dependencies"),
    path("roadmaps/<slug:key>/import/", export_views.import_items, name="import"),
    path("roadmaps/<slug:key>/level/", export_views.level, name="level"),
    # drawings and files
    path("roadmaps/<slug:key>/gantt.svg", export_views.gantt, name="gantt"),
    path("roadmaps/<slug:key>/trl.svg", export_views.trl_ladder, name="trl"),
    path("roadmaps/<slug:key>/interplay.svg", export_views.interplay, name="interplay"),
    path("roadmaps/<slug:key>/export.<str:fmt>", export_views.export, name="export"),
]
