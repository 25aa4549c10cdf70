from django.urls import path

from helix.symbiosis.views import dashboard, flows, map_page, synergies

app_name = "symbiosis"

urlpatterns = [
    path("symbiosis/", flows.flow_list, name="flows"),
    path("symbiosis/flows.csv", flows.flow_csv, name="flows_csv"),
    path("symbiosis/flows/new/", flows.flow_create, name="flow_create"),
    path("symbiosis/flows/<int:pk>/", flows.flow_detail, name="flow"),
    path("symbiosis/flows/<int:pk>/edit/", flows.flow_edit, name="flow_edit"),
    path("symbiosis/waste-codes/", flows.ewc_browser, name="ewc"),
    path("symbiosis/waste-codes/suggest/", flows.ewc_suggest, name="ewc_suggest"),
    path("symbiosis/map/", map_page.map_view, name="map"),
    path("symbiosis/synergies/", synergies.synergy_list, name="synergies"),
    path("symbiosis/synergies/<int:pk>/", synergies.synergy_detail, name="synergy"),
    path("symbiosis/synergies/<int:pk>/accept/", synergies.synergy_accept, name="synergy_accept"),
    path("symbiosis/synergies/<int:pk>/move/", synergies.synergy_move, name="synergy_move"),
    path("symbiosis/synergies/<int:pk>/report/", synergies.synergy_report, name="synergy_report"),
    path("symbiosis/dashboard/", dashboard.dashboard, name="dashboard"),
    path("symbiosis/impact-factors/", dashboard.factors, name="factors"),
    path("symbiosis/match/", dashboard.run_matching, name="run_matching"),
    path("symbiosis/allocate/", dashboard.run_allocation, name="run_allocation"),
    path("symbiosis/allocations/<int:pk>/", dashboard.allocation_detail, name="allocation"),
]
