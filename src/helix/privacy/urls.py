from django.urls import path

app_name = "privacy"
urlpatterns: list = []  # type: ignore[type-arg]
