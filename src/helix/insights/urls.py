from django.urls import path

from helix.insights import views

app_name = "insights"

urlpatterns = [
    path("insights/", views.cluster_list, name="clusters"),
    path("insights/reports/<int:job_id>.<str:fmt>", views.report_download, name="report_download"),
    path("insights/stories/<int:pk>/", views.story_detail, name="story"),
    path("insights/stories/<int:pk>/edit/", views.story_edit, name="story_edit"),
    path("insights/stories/<int:pk>/move/", views.story_move, name="story_move"),
    path("insights/stories/<int:pk>/approve/", views.story_approve, name="story_approve"),
    path("insights/partners/<int:pk>/remove/", views.partner_remove, name="partner_remove"),
    path("insights/<slug:slug>/", views.indicators, name="indicators"),
    path("insights/<slug:slug>/report/", views.report_start, name="report"),
    path("insights/<slug:slug>/stories/", views.story_list, name="stories"),
    path("insights/<slug:slug>/stories/new/", views.story_new, name="story_new"),
    path("insights/<slug:slug>/partners/", views.partner_add, name="partner_add"),
    path("insights/<slug:slug>/self-assessment/", views.assessment, name="assessment"),
    path("insights/<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("insights/<slug:slug>/indicators.<str:fmt>", views.export, name="export"),
    path("insights/<slug:slug>/<slug:code>/", views.indicator_detail, name="indicator"),
    path("insights/<slug:slug>/<slug:code>/enter/", views.enter, name="enter"),
]
