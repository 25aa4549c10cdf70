from django.urls import path

from helix.market.views import listings, matches, meetings, staff

app_name = "market"

urlpatterns = [
    path("needs-offers/", listings.browse, name="browse"),
    path("needs-offers/new/", listings.listing_create, name="listing_create"),
    path("needs-offers/<int:pk>/", matches.listing_detail, name="listing"),
    path("needs-offers/<int:pk>/edit/", listings.listing_edit, name="listing_edit"),
    path("needs-offers/<int:pk>/status/", listings.listing_status, name="listing_status"),
    path("needs-offers/<int:pk>/feedback/", matches.listing_feedback, name="listing_feedback"),
    path("needs-offers/<int:pk>/meeting/", meetings.listing_meeting, name="listing_meeting"),
    path("organisations/<slug:slug>/matches/", matches.organisation_matches, name="organisation_matches"),
    path("meetings/", meetings.meetings, name="meetings"),
    path("meetings/<int:pk>/answer/", meetings.meeting_answer, name="meeting_answer"),
    path("staff/who-meets-whom/", staff.who_meets_whom, name="who_meets_whom"),
    path("staff/who-meets-whom/learn-weights/", staff.learn_weights, name="learn_weights"),
    path("staff/who-meets-whom/reindex/", staff.reindex, name="reindex"),
]
