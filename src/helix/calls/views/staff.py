"""The pages of the staff who run a call: the call's lifecycle moves and its applications (status, lead,
co-applicants, amount asked, when submitted, eligibility), judging an application's eligibility with a
reason per rule, and creating a draft call from a seed definition or a JSON one (every problem of it
listed by its path)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helix.calls import convert, explain, services
from helix.calls.models import Applicant, ApplicationStatus, Submission
from helix.calls.views.applications import names_of
from helix.calls.views.shared import (
    moment,
    object_id,
    text_in,
    visible_application,
    visible_call,
    visitor_zone,
)
from helix.core.calls import definition as core_definition
from helix.funds.models import Instrument
from helix.market.models import Visibility
from helix.registry.models import Cluster
from helix.registry.permissions import can, scope

MAX_DEFINITION_BYTES = 500_000  # a call's definition as JSON: the largest seed is ~15 kB


def manage(request: HttpRequest, pk: int) -> HttpResponse:
    call = visible_call(request, pk)
    if not can(request.user, "view_applications", call):
        raise PermissionDenied
    zone, _chosen = visitor_zone(request)
    status = request.GET.get("status", "")
    # in the order of the lifecycle (drafts, submitted, eligible, ..., withdrawn), then by title
    in_order = Case(
        *(When(status=state, then=Value(i)) for i, state in enumerate(ApplicationStatus.values)),
        output_field=IntegerField(),
    )
    applications = call.applications.prefetch_related(
        Prefetch("applicants", queryset=Applicant.objects.select_related("organisation")),
        Prefetch("submissions", queryset=Submission.objects.order_by("-submitted_at", "-pk")),
    ).order_by(in_order, "title", "pk")
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    shown = Paginator(applications, settings.HELIX_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for application in shown:
        applicants = list(application.applicants.all())
        submissions = list(application.submissions.all())
        judged = application.eligibility or []
        rows.append(
            {
                "application": application,
                "status": explain.application_state(application.status),
                "lead": next((a.organisation for a in applicants if a.lead), None),
                "co_applicants": [a.organisation for a in applicants if not a.lead],
                "submitted_at": moment(submissions[0].submitted_at, zone) if submissions else "",
                "judged": {"passed": sum(1 for o in judged if o.get("passed")), "total": len(judged)}
                if judged
                else None,
                "judge": application.status == ApplicationStatus.SUBMITTED,
            }
        )
    return render(
        request,
        "calls/manage.html",
        {
            "call": call,
            "title": text_in(convert.definition(call).title) or call.title,
            "moves": [
                {"target": m.target, "label": explain.call_move_label(call.status, m.target)}
                for m in services.call_moves(request.user, call)
            ],
            "rows": rows,
            "page_obj": shown,
            "statuses": ApplicationStatus.choices,
            "chosen": status,
            "history": [
                {
                    "at": moment(c.changed_at, zone),
                    "source": explain.call_state(c.from_status) if c.from_status else "",
                    "target": explain.call_state(c.to_status),
                    "note": c.note,
                }
                for c in call.changes.order_by("changed_at", "pk")
            ],
            "app": "calls",
        },
    )


@login_required
@require_POST
def call_move(request: HttpRequest, pk: int) -> HttpResponse:
    call = visible_call(request, pk)
    target = request.POST.get("target", "")
    try:
        services.move_call(request.user, call, target, request.POST.get("note", "")[:300])
    except services.CallRefused as refused:
        messages.error(request, explain.refusal_text(refused))
    else:
        messages.success(request, _("The call is now “%(state)s”.") % {"state": explain.call_state(target)})
    return redirect("calls:manage", pk=call.pk)


@login_required
@require_POST
def judge(request: HttpRequest, pk: int) -> HttpResponse:
    """Judge a submitted application by the call's rules; its page then shows each rule's outcome."""
    application = visible_application(request, pk)
    try:
        judged = services.judge_eligibility(request.user, application)
    except services.CallRefused as refused:
        messages.error(request, explain.refusal_text(refused))
    else:
        if judged.eligible:
            messages.success(request, _("The application is eligible: every rule is met."))
        else:
            names = names_of(application)
            messages.warning(
                request,
                _("The application is not eligible: %(reasons)s")
                % {"reasons": " ".join(explain.outcome_text(o, names) for o in judged.failed)},
            )
    return redirect("calls:application", pk=application.pk)


# -- creating a call ----------------------------------------------------------------------------------------


def _seed(name: str) -> dict[str, Any]:
    folder = resources.files(core_definition.__package__) / "data"
    data: dict[str, Any] = json.loads((folder / name).read_text(encoding="utf-8"))
    return data


def _definition(request: HttpRequest) -> tuple[Any, list[str]]:
    """The definition posted: an uploaded file, else pasted JSON, else a seed (with the key given)."""
    upload = request.FILES.get("file")
    pasted = request.POST.get("json", "").strip()
    seed = request.POST.get("seed", "")
    if upload is not None:
        if (upload.size or 0) > MAX_DEFINITION_BYTES:
            return None, [_("The file is too large for a call's definition.")]
        raw = upload.read().decode("utf-8", errors="replace")
    elif pasted:
        if len(pasted) > MAX_DEFINITION_BYTES:
            return None, [_("The text is too long for a call's definition.")]
        raw = pasted
    elif seed in core_definition.SEED_FILES:
        data = _seed(seed)
        key = request.POST.get("key", "").strip()
        if key:
            data["id"] = key
        return data, []
    else:
        return None, [_("Choose a seed call, paste a definition or upload one.")]
    try:
        return json.loads(raw), []
    except json.JSONDecodeError as exc:
        return None, [
            _("The definition is not valid JSON (line %(line)d, column %(column)d).")
            % {"line": exc.lineno, "column": exc.colno}
        ]


def _instrument(user: Any, cluster: Cluster, chosen: str, definition: Any) -> Instrument | None:
    """The instrument chosen (of the cluster, or programme-wide), else the one the definition names."""
    usable = scope(user, "view", Instrument.objects.filter(Q(cluster=cluster) | Q(cluster__isnull=True)))
    if object_id(chosen) is not None:
        return usable.filter(pk=object_id(chosen)).first()
    named = (
        definition.get("instrument", {}).get("id") if isinstance(definition.get("instrument"), dict) else None
    )
    return usable.filter(key=named).first() if isinstance(named, str) else None


@login_required
def create_call(request: HttpRequest) -> HttpResponse:
    clusters = scope(request.user, "manage", Cluster.objects.prefetch_related("names"))
    if not clusters.exists():
        raise PermissionDenied
    problems: list[dict[str, str]] = []
    posted = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        cluster = clusters.filter(pk=object_id(posted.get("cluster")) or 0).first()
        definition, errors = _definition(request)
        visibility = posted.get("visibility", "")
        if cluster is None:
            errors.append(_("Choose the cluster the call belongs to."))
        if visibility not in Visibility.values:
            errors.append(_("Choose who may see the call."))
        problems = [{"where": "", "text": e} for e in errors]
        if not problems and isinstance(definition, dict) and cluster is not None:
            try:
                call = services.create_call(
                    request.user,
                    cluster,
                    definition,
                    instrument=_instrument(request.user, cluster, posted.get("instrument", ""), definition),
                    visibility=visibility,
                    summary=posted.get("summary", "").strip()[:5000],
                )
            except ValidationError as exc:
                problems = [
                    # a definition's problems name their own path in the text
                    {"where": "" if name in ("__all__", "definition") else name, "text": message}
                    for name, found in exc.message_dict.items()
                    for message in found
                ]
            else:
                messages.success(request, _("The call is created as a draft: open it when it is ready."))
                return redirect("calls:manage", pk=call.pk)
        elif not problems:
            problems = [{"where": "", "text": _("A call's definition is a JSON object.")}]
    return render(
        request,
        "calls/call_form.html",
        {
            "clusters": clusters,
            "seeds": core_definition.SEED_FILES,
            "instruments": scope(request.user, "view", Instrument.objects.order_by("name")),
            "visibilities": Visibility.choices,
            "posted": posted,
            "problems": problems,
            "app": "calls",
        },
        status=400 if problems else 200,
    )
