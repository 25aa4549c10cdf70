from django.urls import path

from helix.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.entries, name="entries"),
]
