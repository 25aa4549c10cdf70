"""The POST data a browser sends back for a rendered form left as it is: tests change a field or two and
post it (the admin's change forms, the organisation editor)."""

from __future__ import annotations

from typing import Any


def form_data(form: Any) -> dict[str, Any]:
    """POST data that re-submits a rendered form unchanged."""
    data = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue
        data[bound.html_name] = (
            "on" if value is True else ([str(v) for v in value] if isinstance(value, list | tuple) else value)
        )
    return data


def editor_payload(response: Any) -> dict[str, Any]:
    """The POST data a browser sends for the organisation editor as rendered in ``response`` (form and
    sites)."""
    data: dict[str, Any] = {}
    forms = [response.context["form"], response.context["sites"].management_form, *response.context["sites"]]
    for form in forms:
        for field in form:
            value = field.value()
            if isinstance(value, bool):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(v) for v in value]
            else:
                data[field.html_name] = "" if value is None else str(value)
    return data
