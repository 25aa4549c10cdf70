from django.urls import path

from helix.insights import opendata

app_name = "opendata"

urlpatterns = [
    path("open-data/", opendata.index, name="index"),
    path("open-data/catalog.jsonld", opendata.catalog, name="catalog"),
    path("open-data/<slug:name>.<str:fmt>", opendata.dataset, name="dataset"),
]
