"""Integration: the decision letters (helix.calls.letters) as PDF in the application's language: the
decision, the amount and its commitments, the scores per criterion labelled in the language, the
reviewers' comments without their names; and the page that sends it to those who may read it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from helix.calls import award_services, decision_services, letters
from helix.calls.models import Call, CallStatus
from helix.calls.services import CallRefused
from tests.calls.review_world import build
from tests.events.helpers import pdf_text
from tests.factories import ReviewAssignmentFactory, ReviewFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    w = build(applications=4, budget="60000")
    for application, value in zip(w.applications, [4.5, 4.0, 3.5, 2.0], strict=True):
        for who in ("hugo", "tess"):
            ReviewFactory(
                assignment=ReviewAssignmentFactory(reviewer=w.reviewers[who], application=application),
                scores={"excellence": value, "impact": value, "implementation": value},
                comment=f"Remark{who.title()} on the work plan",
                staff_note="SecretNote for the staff",
                submitted_at=timezone.now(),
            )
    decision_services.confirm_decision(
        w.staff,
        w.call,
        method="rank",
        budget=None,
        severity=False,
        selected=[a.pk for a in w.applications[:2]],
    )
    funded = w.applications[0]
    funded.refresh_from_db()
    award_services.award(w.staff, funded, months=18)
    return w


# Per language: words of the call's definition (title, criteria) and formats of that language; all ASCII,
# as the PDF writes them in plain text (tests/events/helpers.pdf_text).
EXPECTED = {
    "nl": ["De Fabriek van de Toekomst: preclusterprojecten", "Excellentie en innovatie", "30.000,00", "4,5"],
    "fr": ["Excellence et innovation", "30", "000,00", "4,5"],
    "de": ["Exzellenz und Innovation", "Wirkung", "30.000,00", "4,5"],
}


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_the_acceptance_letter_is_written_in_the_applications_language(world, language):
    funded = world.applications[0]
    funded.language = language
    funded.save()
    funded.refresh_from_db()
    text = pdf_text(letters.letter_pdf(funded))
    for expected in EXPECTED[language]:
        assert expected in text, (language, expected)
    assert "RemarkHugo on the work plan" in text
    assert "RemarkTess on the work plan" in text
    assert "SecretNote" not in text
    for name in ("Hugo", "Tess", "Reviewer,"):
        assert f"{name} Reviewer" not in text  # never a reviewer's name


def test_the_rejection_letter_says_so_with_the_scores_and_comments(world):
    rejected = world.applications[3]
    rejected.refresh_from_db()
    text = pdf_text(letters.letter_pdf(rejected))
    assert "was not selected for funding" in text  # English: the application's default language
    assert "Excellence and innovation" in text
    assert "RemarkHugo on the work plan" in text


def test_there_is_no_letter_before_the_decision(world):
    application = world.applications[2]
    application.status = "in_review"
    application.save()
    with pytest.raises(CallRefused) as none:
        letters.letter_pdf(application)
    assert none.value.code == "letter.none"


def test_the_letter_page_serves_the_staff_and_the_applicants_once_the_call_is_decided(client, world):
    funded = world.applications[0]
    url = f"/calls/applications/{funded.pk}/letter/"
    client.force_login(world.users["lead0"])
    response = client.get(url)
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response.content.startswith(b"%PDF")
    client.force_login(world.users["lead1"])  # another application's applicant
    assert client.get(url).status_code == 404
    Call.objects.filter(pk=world.call.pk).update(status=CallStatus.REVIEWING)
    client.force_login(world.users["lead0"])
    assert client.get(url).status_code == 404  # not decided yet: the applicant waits
    client.force_login(world.staff)
    assert client.get(url).status_code == 200
