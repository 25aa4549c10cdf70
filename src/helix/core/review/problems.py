"""The coded problem every rule of review returns when it says no (or flags something).

As :class:`helix.core.symbiosis.validation.FlowProblem`: a stable ``code``, its ``params`` and an English
``text`` for logs; the app translates the code at its edge. ``subject`` names what the problem is about
(a proposal id, a reviewer id, or "" for the whole call), so a page can show it beside that row.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ReviewProblem:
    code: str
    subject: str = ""
    params: dict[str, object] = field(default_factory=dict, compare=True)
    text: str = ""  # English, for readers without a translation of ``code``


def problem(code: str, subject: str, text: str, /, **params: object) -> ReviewProblem:
    return ReviewProblem(code, subject, dict(params), text)
