from django.urls import path

from helix.people import signup_views, views

app_name = "people"

urlpatterns = [
    path("invite/", views.invite, name="invite"),
    path("invite/file/", views.invite_file, name="invite_file"),
    path("invite/colleague/", views.colleague, name="colleague"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<int:pk>/resend/", views.resend, name="invitation_resend"),
    path("invitations/<int:pk>/revoke/", views.revoke, name="invitation_revoke"),
    path("invitation/<str:token>/", views.accept, name="accept"),
    path("sign-up/", signup_views.signup, name="signup"),
    path("sign-up/sent/", signup_views.signup_sent, name="signup_sent"),
    path("sign-up/confirm/<str:token>/", signup_views.signup_confirm, name="signup_confirm"),
    path("sign-ups/", signup_views.signups, name="signups"),
    path("sign-ups/<int:pk>/", signup_views.signup_decide, name="signup_decide"),
]
