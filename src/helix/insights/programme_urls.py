from django.urls import path

from helix.insights import programme_views as views

app_name = "programmes"

urlpatterns = [
    path("programmes/", views.programme_list, name="list"),
    path("programmes/new/<slug:slug>/", views.programme_new, name="new"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme"),
    path("programmes/<int:pk>/cycles/new/", views.cycle_new, name="cycle_new"),
    path("programmes/cycles/<int:pk>/", views.cycle_detail, name="cycle"),
    path("programmes/cycles/<int:pk>/move/", views.cycle_move, name="cycle_move"),
    path("programmes/cycles/<int:pk>/link/", views.cycle_link, name="cycle_link"),
    path("programmes/cycles/<int:pk>/outputs/new/", views.output_new, name="output_new"),
    path("programmes/cycles/<int:pk>/report/", views.cycle_report, name="cycle_report"),
    path("programmes/links/<int:pk>/remove/", views.link_remove, name="link_remove"),
    path("programmes/outputs/<int:pk>/", views.output_detail, name="output"),
    path("programmes/outputs/<int:pk>/reuse/", views.output_reuse, name="output_reuse"),
]
