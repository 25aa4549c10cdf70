from django.urls import path, re_path

from helix.events import views

app_name = "events"

urlpatterns = [
    path("events/", views.event_list, name="list"),
    path("events/new/", views.event_create, name="create"),
    path("events/<int:pk>/", views.event_detail, name="detail"),
    path("events/<int:pk>/register/", views.register, name="register"),
    path("events/<int:pk>/status/", views.change_status, name="status"),
    path("events/<int:pk>/request/", views.request_meeting, name="request"),
    path("events/<int:pk>/request-from-match/", views.request_from_match, name="request_from_match"),
    path("events/<int:pk>/schedule/", views.run_schedule, name="run_schedule"),
    path("events/<int:pk>/grid/", views.grid, name="grid"),
    re_path(r"^events/(?P<pk>[0-9]+)/grid\.(?P<fmt>csv|xlsx)$", views.grid_export, name="grid_export"),
    path("events/<int:pk>/table-cards.pdf", views.table_cards, name="table_cards"),
    path("events/registrations/<int:pk>/agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("events/requests/<int:pk>/answer/", views.answer_request, name="answer"),
    path("events/requests/<int:pk>/cancel/", views.cancel_request, name="cancel_request"),
    path("events/requests/<int:pk>/update/", views.update_request, name="update_request"),
    path("events/registrations/<int:pk>/availability/", views.availability, name="availability"),
    path("events/schedules/<int:pk>/", views.schedule_status, name="schedule_status"),
    path("events/schedules/<int:pk>/publish/", views.publish, name="publish"),
    path("events/schedules/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("events/registrations/<int:pk>/agenda/", views.agenda, name="agenda"),
    path("events/registrations/<int:pk>/agenda.ics", views.agenda_ical, name="agenda_ics"),
]
