from django.urls import path

from helix.privacy import views

app_name = "privacy"
urlpatterns = [
    path("me/", views.mine, name="mine"),
    path("people/<int:person_id>/", views.person_page, name="person"),
    path("people/<int:person_id>/consents/", views.consents, name="consents"),
    path("people/<int:person_id>/export/", views.export_page, name="export"),
    path("people/<int:person_id>/export.json", views.export_json, name="export_json"),
    path("people/<int:person_id>/erase/", views.erase, name="erase"),
]
