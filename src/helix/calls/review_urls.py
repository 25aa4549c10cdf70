"""The review's and the decision's routes, for the calls' URL configuration to include in its namespace
``calls`` (``urlpatterns += review_urlpatterns``). Reviewers: ``reviews/``; the staff: under a call's
key (``calls/<key>/reviewers/``, ``assignments/``, ``ranking/``, ``decision/``); a decision letter
under its application."""

from __future__ import annotations

from django.urls import path

from helix.calls import decision_views as decision
from helix.calls import review_staff_views as staff
from helix.calls import review_views as reviewer

review_urlpatterns = [
    # the reviewer's
    path("calls/reviews/", reviewer.my_reviews, name="my_reviews"),
    path("calls/reviews/<int:pk>/", reviewer.review_page, name="review"),
    path("calls/reviews/<int:pk>/save/", reviewer.review_save, name="review_save"),
    path("calls/reviews/<int:pk>/conflict/", reviewer.review_conflict, name="review_conflict"),
    path(
        "calls/reviews/<int:pk>/files/<int:attachment>/",
        reviewer.review_attachment,
        name="review_attachment",
    ),
    # the staff's
    path("calls/<slug:key>/reviewers/", staff.reviewers, name="reviewers"),
    path("calls/<slug:key>/reviewers/add/", staff.reviewer_add, name="reviewer_add"),
    path("calls/reviewers/<int:pk>/", staff.reviewer_edit, name="reviewer_edit"),
    path("calls/<slug:key>/assignments/", staff.assignments, name="assignments"),
    path("calls/<slug:key>/assignments/run/", staff.assign, name="assign"),
    path("calls/<slug:key>/ranking/", staff.ranking, name="ranking"),
    path("calls/<slug:key>/decision/", decision.decision, name="decision"),
    path("calls/<slug:key>/decision/confirm/", decision.decision_confirm, name="decision_confirm"),
    path("calls/<slug:key>/award/", decision.award, name="award"),
    path("calls/applications/<int:pk>/letter/", decision.letter, name="letter"),
]
