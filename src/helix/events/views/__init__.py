"""The events app's pages, one module per part of the app: the event and its list (``event_pages``),
meeting requests (``request_pages``), schedule runs, agendas and exports (``schedule_pages``), bringing
people in and a participant's page (``participant_pages``), the organiser's tables on the day
(``attendance_pages``), and answering a request from its e-mail's link (``answer_link``). What they
share is in ``shared``. Thin: every change goes through services."""
