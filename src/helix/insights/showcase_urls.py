from django.urls import path

from helix.insights import showcase

app_name = "showcase"

urlpatterns = [
    path("showcase/", showcase.index, name="index"),
    path("showcase/feed.atom", showcase.StoryFeed(), name="feed"),
    path("showcase/<int:pk>/", showcase.story, name="story"),
    path("agenda/", showcase.agenda, name="agenda"),
    path("agenda/feed.atom", showcase.AgendaFeed(), name="agenda_feed"),
    path("agenda.ics", showcase.agenda_ics, name="agenda_ics"),
]
