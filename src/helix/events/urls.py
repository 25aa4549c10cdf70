from django.urls import path, re_path

from helix.events.views import (
    answer_link,
    attendance_pages,
    event_pages,
    participant_pages,
    request_pages,
    schedule_pages,
)

app_name = "events"

urlpatterns = [
    path("events/", event_pages.event_list, name="list"),
    path("events/new/", event_pages.event_create, name="create"),
    path("events/<int:pk>/", event_pages.event_detail, name="detail"),
    path("events/<int:pk>/register/", event_pages.register, name="register"),
    path("events/<int:pk>/signup/", participant_pages.signup, name="signup"),
    path("events/signups/<int:pk>/decide/", participant_pages.decide_signup, name="decide_signup"),
    path("events/<int:pk>/participants/add/", participant_pages.add_participant, name="add_participant"),
    path(
        "events/<int:pk>/participants/import/",
        participant_pages.import_participants,
        name="import_participants",
    ),
    path(
        "events/<int:pk>/participants/bulk/",
        attendance_pages.bulk_registrations,
        name="bulk_registrations",
    ),
    path("events/<int:pk>/requests/bulk/", attendance_pages.bulk_requests, name="bulk_requests"),
    path("events/<int:pk>/statistics/", attendance_pages.statistics, name="statistics"),
    path("events/registrations/<int:pk>/", participant_pages.participant, name="participant"),
    path(
        "events/registrations/<int:pk>/profile/",
        participant_pages.participant_edit,
        name="participant_edit",
    ),
    path("events/registrations/<int:pk>/check-in/", attendance_pages.check_in, name="check_in"),
    path("events/requests/<int:pk>/outcome/", attendance_pages.record_outcome, name="outcome"),
    path("events/requests/<int:pk>/rate/", attendance_pages.rate_meeting, name="rate"),
    path("events/<int:pk>/status/", event_pages.change_status, name="status"),
    path("events/<int:pk>/request/", request_pages.request_meeting, name="request"),
    path("events/<int:pk>/request-from-match/", request_pages.request_from_match, name="request_from_match"),
    path("events/<int:pk>/schedule/", schedule_pages.run_schedule, name="run_schedule"),
    path("events/<int:pk>/grid/", schedule_pages.grid, name="grid"),
    re_path(
        r"^events/(?P<pk>[0-9]+)/grid\.(?P<fmt>csv|xlsx)$",
        schedule_pages.grid_export,
        name="grid_export",
    ),
    path("events/<int:pk>/table-cards.pdf", schedule_pages.table_cards, name="table_cards"),
    path("events/registrations/<int:pk>/agenda.pdf", schedule_pages.agenda_pdf, name="agenda_pdf"),
    path("events/requests/<int:pk>/answer/", request_pages.answer_request, name="answer"),
    # the signed link of a meeting request's e-mail: answers without an account (helix.events.notices)
    path("events/answer/<str:token>/", answer_link.answer_link, name="answer_link"),
    path("events/requests/<int:pk>/cancel/", request_pages.cancel_request, name="cancel_request"),
    path("events/requests/<int:pk>/update/", request_pages.update_request, name="update_request"),
    path("events/registrations/<int:pk>/availability/", request_pages.availability, name="availability"),
    path("events/schedules/<int:pk>/", schedule_pages.schedule_status, name="schedule_status"),
    path("events/schedules/<int:pk>/publish/", schedule_pages.publish, name="publish"),
    path("events/schedules/<int:pk>/cancel/", schedule_pages.cancel, name="cancel"),
    path("events/registrations/<int:pk>/agenda/", schedule_pages.agenda, name="agenda"),
    path("events/registrations/<int:pk>/agenda.ics", schedule_pages.agenda_ical, name="agenda_ics"),
]
