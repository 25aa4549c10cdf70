from django.urls import path, re_path

from helix.events import link_views, views

app_name = "events"

urlpatterns = [
    path("events/", views.event_list, name="list"),
    path("events/new/", views.event_create, name="create"),
    path("events/<int:pk>/", views.event_detail, name="detail"),
    path("events/<int:pk>/register/", views.register, name="register"),
    path("events/<int:pk>/signup/", views.signup, name="signup"),
    path("events/signups/<int:pk>/decide/", views.decide_signup, name="decide_signup"),
    path("events/<int:pk>/participants/add/", views.add_participant, name="add_participant"),
    path("events/<int:pk>/participants/import/", views.import_participants, name="import_participants"),
    path("events/<int:pk>/participants/bulk/", views.bulk_registrations, name="bulk_registrations"),
    path("events/<int:pk>/requests/bulk/", views.bulk_requests, name="bulk_requests"),
    path("events/<int:pk>/statistics/", views.statistics, name="statistics"),
    path("events/registrations/<int:pk>/", views.participant, name="participant"),
    path("events/registrations/<int:pk>/profile/", views.participant_edit, name="participant_edit"),
    path("events/registrations/<int:pk>/check-in/", views.check_in, name="check_in"),
    path("events/requests/<int:pk>/outcome/", views.record_outcome, name="outcome"),
    path("events/requests/<int:pk>/rate/", views.rate_meeting, name="rate"),
    path("events/<int:pk>/status/", views.change_status, name="status"),
    path("events/<int:pk>/request/", views.request_meeting, name="request"),
    path("events/<int:pk>/request-from-match/", views.request_from_match, name="request_from_match"),
    path("events/<int:pk>/schedule/", views.run_schedule, name="run_schedule"),
    path("events/<int:pk>/grid/", views.grid, name="grid"),
    re_path(r"^events/(?P<pk>[0-9]+)/grid\.(?P<fmt>csv|xlsx)$", views.grid_export, name="grid_export"),
    path("events/<int:pk>/table-cards.pdf", views.table_cards, name="table_cards"),
    path("events/registrations/<int:pk>/agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("events/requests/<int:pk>/answer/", views.answer_request, name="answer"),
    # the signed link of a meeting request's e-mail: answers without an account (helix.events.notices)
    path("events/answer/<str:token>/", link_views.answer_link, name="answer_link"),
    path("events/requests/<int:pk>/cancel/", views.cancel_request, name="cancel_request"),
    path("events/requests/<int:pk>/update/", views.update_request, name="update_request"),
    path("events/registrations/<int:pk>/availability/", views.availability, name="availability"),
    path("events/schedules/<int:pk>/", views.schedule_status, name="schedule_status"),
    path("events/schedules/<int:pk>/publish/", views.publish, name="publish"),
    path("events/schedules/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("events/registrations/<int:pk>/agenda/", views.agenda, name="agenda"),
    path("events/registrations/<int:pk>/agenda.ics", views.agenda_ical, name="agenda_ics"),
]
