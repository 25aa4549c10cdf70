from django.urls import path

from helix.funds import views

app_name = "funds"

urlpatterns = [
    path("funds/", views.instrument_list, name="list"),
    path("funds/<slug:key>/", views.instrument_detail, name="instrument"),
    path("funds/<slug:key>/book/", views.book, name="book"),
]
