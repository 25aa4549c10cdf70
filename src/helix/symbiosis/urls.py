from django.urls import path

from helix.symbiosis import views

app_name = "symbiosis"

urlpatterns = [
    path("symbiosis/", views.flow_list, name="flows"),
    path("symbiosis/flows.csv", views.flow_csv, name="flows_csv"),
    path("symbiosis/flows/new/", views.flow_create, name="flow_create"),
    path("symbiosis/flows/<int:pk>/", views.flow_detail, name="flow"),
    path("symbiosis/flows/<int:pk>/edit/", views.flow_edit, name="flow_edit"),
    path("symbiosis/waste-codes/", views.ewc_browser, name="ewc"),
    path("symbiosis/waste-codes/suggest/", views.ewc_suggest, name="ewc_suggest"),
    path("symbiosis/map/", views.map_view, name="map"),
    path("symbiosis/synergies/", views.synergy_list, name="synergies"),
    path("symbiosis/synergies/<int:pk>/", views.synergy_detail, name="synergy"),
    path("symbiosis/synergies/<int:pk>/accept/", views.synergy_accept, name="synergy_accept"),
    path("symbiosis/synergies/<int:pk>/move/", views.synergy_move, name="synergy_move"),
    path("symbiosis/synergies/<int:pk>/report/", views.synergy_report, name="synergy_report"),
    path("symbiosis/dashboard/", views.dashboard, name="dashboard"),
    path("symbiosis/impact-factors/", views.factors, name="factors"),
    path("symbiosis/match/", views.run_matching, name="run_matching"),
    path("symbiosis/allocate/", views.run_allocation, name="run_allocation"),
    path("symbiosis/allocations/<int:pk>/", views.allocation_detail, name="allocation"),
]
