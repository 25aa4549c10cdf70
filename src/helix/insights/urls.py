from django.urls import path

from helix.insights import views

app_name = "insights"

urlpatterns = [
    path("insights/", views.cluster_list, name="clusters"),
    path("insights/reports/<int:job_id>.<str:fmt>", views.report_download, name="report_download"),
    path("insights/<slug:slug>/", views.indicators, name="indicators"),
    path("insights/<slug:slug>/report/", views.report_start, name="report"),
    path("insights/<slug:slug>/self-assessment/", views.assessment, name="assessment"),
    path("insights/<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("insights/<slug:slug>/indicators.<str:fmt>", views.export, name="export"),
    path("insights/<slug:slug>/<slug:code>/", views.indicator_detail, name="indicator"),
    path("insights/<slug:slug>/<slug:code>/enter/", views.enter, name="enter"),
]
