from django.urls import path

from helix.market import views

app_name = "market"

urlpatterns = [
    path("needs-offers/", views.browse, name="browse"),
    path("needs-offers/new/", views.listing_create, name="listing_create"),
    path("needs-offers/<int:pk>/", views.listing_detail, name="listing"),
    path("needs-offers/<int:pk>/edit/", views.listing_edit, name="listing_edit"),
    path("needs-offers/<int:pk>/status/", views.listing_status, name="listing_status"),
    path("needs-offers/<int:pk>/feedback/", views.listing_feedback, name="listing_feedback"),
    path("needs-offers/<int:pk>/meeting/", views.listing_meeting, name="listing_meeting"),
    path("organisations/<slug:slug>/matches/", views.organisation_matches, name="organisation_matches"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:pk>/answer/", views.meeting_answer, name="meeting_answer"),
    path("staff/who-meets-whom/", views.who_meets_whom, name="who_meets_whom"),
    path("staff/who-meets-whom/learn-weights/", views.learn_weights, name="learn_weights"),
    path("staff/who-meets-whom/reindex/", views.reindex, name="reindex"),
]
