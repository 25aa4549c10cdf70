from django.urls import path

from helix.projects import parts_views, views

app_name = "projects"

urlpatterns = [
    path("projects/", views.project_list, name="list"),
    path("projects/<int:pk>/", views.project_detail, name="detail"),
    path("projects/<int:pk>/move/", views.project_move, name="move"),
    # its parts, for its editors
    path("projects/<int:pk>/budget/", parts_views.budget, name="budget"),
    path("projects/<int:pk>/funding/", parts_views.funding, name="funding"),
    path("projects/<int:pk>/milestones/", parts_views.milestones, name="milestones"),
    path("projects/<int:pk>/reports/", parts_views.reports, name="reports"),
    path("projects/<int:pk>/consortium/", parts_views.consortium, name="consortium"),
]
