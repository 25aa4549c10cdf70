"""Decision letters as PDF (reportlab), in the application's language of correspondence.

A letter exists once the application is decided: selected (and funded) or not selected. It names the
call and the application in that language, says the decision, for a selected one the amount (awarded,
with each beneficiary's share, the instrument and the project it became; or asked, while the award is
not yet recorded), then the scores per criterion (the criteria labelled in the language, with the
application's overall score) and the reviewers' comments for the applicants, numbered in a fixed order:
never a reviewer's name, never the note for the staff. Dates and amounts are written in the language's
formats. Vera (shipped inside reportlab) prints accents and most European letters.
"""

from __future__ import annotations

import io
import os
from xml.sax.saxutils import escape

import reportlab
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from helix.calls import convert
from helix.calls.models import Application, ApplicationStatus, Award, Review, Submission
from helix.calls.review_scoring import score_call
from helix.calls.services import CallRefused
from helix.core.specs import translated

_FONTS = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
FONT, BOLD = "HelixVera", "HelixVeraBold"  # the names helix.events.pdf registers too

DECIDED = (ApplicationStatus.SELECTED, ApplicationStatus.FUNDED, ApplicationStatus.REJECTED)


def _fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, os.path.join(_FONTS, "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, os.path.join(_FONTS, "VeraBd.ttf")))


def has_letter(application: Application) -> bool:
    return application.status in DECIDED


def _eur(value: object) -> str:
    return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def _score(value: float) -> str:
    return number_format(round(value, 1), decimal_pos=1, use_l10n=True)


class _Styles:
    def __init__(self) -> None:
        self.body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, spaceAfter=4)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=9, leading=12)
        self.title = ParagraphStyle("title", parent=self.body, fontName=BOLD, fontSize=15, leading=19)
        self.heading = ParagraphStyle(
            "heading", parent=self.body, fontName=BOLD, fontSize=11, leading=15, spaceBefore=8
        )


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def letter_story(application: Application) -> list[object]:
    """The letter's flowables, in the active language."""
    s = _Styles()
    call = application.call
    definition = convert.definition(call)
    language = translation.get_language() or "en"
    call_title = translated(definition.title, language) or call.title
    applicants = list(application.applicants.select_related("organisation").order_by("-lead", "pk"))
    lead = next((a.organisation for a in applicants if a.lead), None)
    story: list[object] = [
        _p(call.cluster.current_name, s.small),
        _p(date_format(timezone.localdate(), "DATE_FORMAT"), s.small),
        Spacer(1, 6 * mm),
        _p(_("Decision on your application"), s.title),
        Spacer(1, 3 * mm),
    ]
    if lead is not None:
        story.append(_p(_("To: %(organisation)s") % {"organisation": lead.name}, s.body))
    others = [a.organisation.name for a in applicants if not a.lead]
    if others:
        story.append(_p(_("With: %(organisations)s") % {"organisations": ", ".join(others)}, s.body))
    story.append(_p(_("Application: %(title)s") % {"title": application.title}, s.body))
    story.append(_p(_("Call: %(call)s") % {"call": call_title}, s.body))
    receipt = Submission.objects.filter(application=application).order_by("-submitted_at", "-pk").first()
    if receipt is not None:
        story.append(_p(_("Receipt: %(receipt)s") % {"receipt": receipt.receipt}, s.body))
    story.append(Spacer(1, 4 * mm))
    story += _decision(application, call_title, s)
    story += _scores(application, language, s)
    story += _comments(application, s)
    story += [Spacer(1, 6 * mm), _p(_("Kind regards,"), s.body), _p(call.cluster.current_name, s.body)]
    return story


def _decision(application: Application, call_title: str, s: _Styles) -> list[object]:
    names = {"title": application.title, "call": call_title}
    if application.status == ApplicationStatus.REJECTED:
        return [
            _p(
                _(
                    "We regret to inform you that your application “%(title)s” to the call “%(call)s” was "
                    "not selected for funding. The scores and the reviewers' comments below explain how it "
                    "was judged."
                )
                % names,
                s.body,
            )
        ]
    story: list[object] = [
        _p(
            _(
                "We are pleased to inform you that your application “%(title)s” to the call “%(call)s” was "
                "selected for funding."
            )
            % names,
            s.body,
        )
    ]
    award = Award.objects.filter(application=application).first()
    if award is None:
        if application.requested_eur is not None:
            story.append(
                _p(
                    _("The amount asked, EUR %(amount)s, is committed once the award is recorded.")
                    % {"amount": _eur(application.requested_eur)},
                    s.body,
                )
            )
        return story
    story.append(_p(_("Amount awarded: EUR %(amount)s") % {"amount": _eur(award.amount_eur)}, s.heading))
    entries = list(award.ledger_entries.select_related("beneficiary", "instrument").order_by("pk"))
    story.append(_p(_("Conditions"), s.heading))
    for entry in entries:
        story.append(
            _p(
                _("EUR %(amount)s committed to %(organisation)s on %(instrument)s, on %(day)s.")
                % {
                    "amount": _eur(entry.amount_eur),
                    "organisation": entry.beneficiary.name,
                    "instrument": entry.instrument.name,
                    "day": date_format(entry.on, "DATE_FORMAT"),
                },
                s.body,
            )
        )
    project = application.project
    if project is not None:
        story.append(_p(_("Your project “%(project)s” is approved.") % {"project": project.title}, s.body))
        if project.months:
            story.append(_p(_("It runs for %(months)s months.") % {"months": project.months}, s.body))
        if project.starts_on:
            story.append(
                _p(
                    _("It starts on %(day)s.") % {"day": date_format(project.starts_on, "DATE_FORMAT")},
                    s.body,
                )
            )
    return story


def _scores(application: Application, language: str, s: _Styles) -> list[object]:
    scoring = score_call(application.call)
    row = scoring.row(application.pk)
    if row is None or row.score is None:
        return []
    rubric = scoring.rubric
    _low, high = rubric.rubric.scale
    table = [[_p(_("Criterion"), s.small), _p(_("Mean score"), s.small)]]
    for criterion in rubric.rubric.criteria:
        table.append(
            [
                _p(rubric.label(criterion.id, language), s.small),
                _p(
                    _("%(score)s of %(maximum)s")
                    % {
                        "score": _score(row.score.criteria[criterion.id]),
                        "maximum": _score(criterion.maximum),
                    },
                    s.small,
                ),
            ]
        )
    table.append(
        [
            _p(_("Overall score (weighted)"), s.small),
            _p(
                _("%(score)s of %(maximum)s") % {"score": _score(row.score.mean), "maximum": _score(high)},
                s.small,
            ),
        ]
    )
    grid = Table(table, colWidths=[120 * mm, 40 * mm])
    grid.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, "#888888"),
                ("LINEABOVE", (0, -1), (-1, -1), 0.5, "#888888"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return [_p(_("Scores"), s.heading), grid]


def _comments(application: Application, s: _Styles) -> list[object]:
    reviews = Review.objects.filter(assignment__application=application, submitted_at__isnull=False).order_by(
        "submitted_at", "pk"
    )
    said = [r.comment.strip() for r in reviews if r.comment.strip()]
    if not said:
        return []
    story: list[object] = [_p(_("The reviewers' comments"), s.heading)]
    for number, comment in enumerate(said, start=1):
        story.append(_p(_("Reviewer %(number)d") % {"number": number}, s.small))
        story.append(_p(comment, s.body))
    return story


def letter_pdf(application: Application, *, compress: bool = True) -> bytes:
    """The decision letter of ``application`` in its language; ``letter.none`` before a decision."""
    if not has_letter(application):
        raise CallRefused("letter.none", {"status": application.status})
    _fonts()
    buffer = io.BytesIO()
    with translation.override(application.language):
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=22 * mm,
            rightMargin=22 * mm,
            topMargin=20 * mm,
            bottomMargin=20 * mm,
            title=_("Decision on your application"),
            pageCompression=1 if compress else 0,
        )
        document.build(letter_story(application))
    return buffer.getvalue()


__all__ = ["has_letter", "letter_pdf"]
