"""Background jobs with visible progress.

Work that takes more than a moment (imports, re-indexing, optimisation, reports) is enqueued as a
django-tasks task on the database backend (run by ``helix worker``). Each run has a :class:`Job` row that
the task updates with its progress, so pages, the API and the CLI can show how far it is.
"""
