"""Insights pages for a cluster's staff: the clusters one works for, a cluster's indicators for a period
(and a domain), one indicator with the records it was computed from (and, for the figures Helix cannot
compute, their entries and the form to add one), the label self-assessment, and the indicators as CSV or
JSON. Views parse, ask the permission table (helix.insights.permissions), call the services and render;
a refusal is a 404, as for anything one may not see."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helix.core.insights import BY_CODE, Area, Label, Standing, Unit, Value, assess, indicator
from helix.insights import exports, labels
from helix.insights.explain import explain
from helix.insights.formatting import shown
from helix.insights.models import StaffValue
from helix.insights.services import (
    InsightsError,
    allowed,
    dashboard_ecosystem,
    enter_value,
    indicator_values,
    parse_period,
    record_links,
    year_period,
)
from helix.registry.models import Cluster, Domain
from helix.registry.permissions import can, scope


def _cluster(request: HttpRequest, slug: str, action: str = "view") -> Cluster:
    cluster = Cluster.objects.select_related("operator").prefetch_related("names").filter(slug=slug).first()
    if cluster is None or not allowed(request.user, action, cluster):
        raise Http404
    return cluster


def _query(request: HttpRequest, cluster: Cluster) -> tuple[Any, Domain | None, dict[str, str]]:
    """The period and domain asked in the query string, and the errors found in it (per field)."""
    errors: dict[str, str] = {}
    try:
        period = parse_period(request.GET.get("from"), request.GET.get("to"))
    except InsightsError as error:
        errors[error.field] = explain(error)
        period = parse_period(None, None)
    domain = None
    if request.GET.get("domain"):
        domain = Domain.objects.filter(cluster=cluster, slug=request.GET["domain"]).first()
        if domain is None:
            errors["domain"] = _("That domain belongs to another cluster.")
    return period, domain, errors


def _row(value: Value) -> dict[str, Any]:
    ind = indicator(value.code)
    return {
        "code": value.code,
        "label": labels.label(ind),
        "definition": labels.definition(ind),
        "shown": shown(value.value, ind.unit),
        "value": value,
        "records": len(value.records),
        "missing": str(labels.MISSING.get(value.missing, "")) if value.value is None else "",
        "staff": ind.kind.value == "staff",
        "criteria": [str(labels.CRITERIA[c.text]) for c in ind.criteria],
    }


@login_required
def cluster_list(request: HttpRequest) -> HttpResponse:
    """The clusters whose indicators the user may see."""
    clusters = [
        c
        for c in Cluster.objects.select_related("operator").prefetch_related("names").order_by("slug")
        if allowed(request.user, "view", c)
    ]
    if not clusters:
        raise Http404
    return render(request, "insights/cluster_list.html", {"clusters": clusters, "app": "insights"})


@login_required
def indicators(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = _cluster(request, slug)
    period, domain, errors = _query(request, cluster)
    values = indicator_values(request.user, cluster, period, domain)
    by_area: dict[Area, list[dict[str, Any]]] = {}
    for value in values:
        by_area.setdefault(indicator(value.code).area, []).append(_row(value))
    areas = [
        {"area": area, "label": labels.AREAS[area], "rows": by_area[area]} for area in Area if area in by_area
    ]
    context = {
        "cluster": cluster,
        "period": period,
        "domain": domain,
        "domains": Domain.objects.filter(cluster=cluster).order_by("name"),
        "errors": errors,
        "areas": areas,
        "query": request.GET.urlencode(),
        "may_export": allowed(request.user, "export", cluster),
        "may_assess": allowed(request.user, "assess", cluster),
        "may_report": allowed(request.user, "report", cluster),
        "report_languages": [("en", "English"), ("nl", "Nederlands"), ("fr", "Français"), ("de", "Deutsch")],
        "app": "insights",
    }
    status = 400 if errors else 200
    return render(request, "insights/indicators.html", context, status=status)


def _indicator_page(
    request: HttpRequest,
    cluster: Cluster,
    code: str,
    period: Any,
    domain: Domain | None,
    *,
    errors: dict[str, str],
    form: dict[str, str],
    form_errors: dict[str, str] | None = None,
) -> HttpResponse:
    """One indicator: its value and the records behind it, or, for a figure staff enter, its entries and
    the form to add one (with what was typed and its errors after a refused entry)."""
    ind = BY_CODE[code]
    value = indicator_values(request.user, cluster, period, domain, [code])[0]
    entries = []
    if ind.kind.value == "staff":
        entries = list(
            scope(request.user, "view", StaffValue.objects.filter(cluster=cluster, code=code)).select_related(
                "entered_by"
            )
        )
    context = {
        "cluster": cluster,
        "indicator": ind,
        "row": _row(value),
        "period": period,
        "domain": domain,
        "errors": errors,
        "form_errors": form_errors or {},
        "links": record_links(request.user, value.records),
        "detail": [(labels_key(k), shown(v, Unit.COUNT)) for k, v in value.detail],
        "entries": entries,
        "may_enter": ind.kind.value == "staff" and allowed(request.user, "enter_values", cluster),
        "unit_label": labels.UNITS[ind.unit],
        "query": request.GET.urlencode(),
        "form": form,
        "app": "insights",
    }
    status = 400 if errors or form_errors else 200
    return render(request, "insights/indicator.html", context, status=status)


@login_required
def indicator_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    cluster = _cluster(request, slug)
    if code not in BY_CODE:
        raise Http404
    period, domain, errors = _query(request, cluster)
    # a figure is entered for a whole year unless the period asked says otherwise
    until = period.end if request.GET.get("to") else period.start.replace(month=12, day=31)
    form = {"from": period.start.isoformat(), "to": until.isoformat()}
    return _indicator_page(request, cluster, code, period, domain, errors=errors, form=form)


def labels_key(key: str) -> str:
    """A breakdown's key in words (the helices of the triple helix)."""
    from helix.registry.models.organisations import Helix

    try:
        return str(Helix(key).label)
    except ValueError:
        return key


@login_required
@require_POST
def enter(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    cluster = _cluster(request, slug, "enter_values")
    if code not in BY_CODE:
        raise Http404
    data = request.POST
    try:
        period = parse_period(data.get("from"), data.get("to"))
        enter_value(
            request.user,
            cluster,
            code,
            data.get("value", ""),
            period,
            data.get("source", ""),
            data.get("evidence_url", ""),
        )
    except InsightsError as error:
        typed = {k: data.get(k, "") for k in ("value", "from", "to", "source", "evidence_url")}
        return _indicator_page(
            request,
            cluster,
            code,
            parse_period(None, None),
            None,
            errors={},
            form=typed,
            form_errors={error.field or "value": explain(error)},
        )
    messages.success(request, _("The figure is recorded with its source."))
    url = reverse("insights:indicator", args=[cluster.slug, code])
    return redirect(f"{url}?from={period.start.isoformat()}&to={period.end.isoformat()}")


@login_required
def assessment(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = _cluster(request, slug, "assess")
    period, domain, errors = _query(request, cluster)
    try:
        label = Label(request.GET.get("label", Label.ECCP.value))
    except ValueError:
        label = Label.ECCP
        errors["label"] = _("Choose one of the labels listed.")
    values = indicator_values(request.user, cluster, period, domain)
    result = assess(values, label)
    rows = [
        {
            "area": labels.AREAS[r.criterion.area],
            "criterion": labels.CRITERIA[r.criterion.text],
            "indicator": labels.label(r.indicator),
            "code": r.indicator.code,
            "shown": shown(r.value.value, r.indicator.unit),
            "standing": r.standing.value,
            "standing_label": labels.STANDINGS[r.standing],
        }
        for r in sorted(result.rows, key=lambda r: list(Area).index(r.criterion.area))
    ]
    counts = [(labels.STANDINGS[s], s.value, result.count(s)) for s in Standing]
    context = {
        "cluster": cluster,
        "period": period,
        "domain": domain,
        "errors": errors,
        "label": label,
        "label_name": labels.LABELS[label],
        "labels": [(lab.value, labels.LABELS[lab]) for lab in Label],
        "rows": rows,
        "counts": counts,
        "query": request.GET.urlencode(),
        "app": "insights",
    }
    return render(request, "insights/assessment.html", context, status=400 if errors else 200)


@login_required
def export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "json"):
        raise Http404
    cluster = _cluster(request, slug, "export")
    period, domain, errors = _query(request, cluster)
    if errors:
        return HttpResponse(
            "; ".join(f"{k}: {v}" for k, v in errors.items()), status=400, content_type="text/plain"
        )
    values = indicator_values(request.user, cluster, period, domain)
    table = exports.rows(values, period)
    name = f"{cluster.slug}-indicators-{period.start.isoformat()}-{period.end.isoformat()}"
    if fmt == "json":
        body = exports.as_json(cluster.slug, domain.slug if domain else None, period, table)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(exports.as_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# A dashboard's figures are computed once and kept this long for the same cluster, domain, period and
# language: on a cluster of thousands of members the network alone takes about half a second, and staff
# open the page again and again. The page says when its figures were computed.
DASHBOARD_CACHE_SECONDS = 300


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Members over time, the engagement and outcome funnels, activity per domain and the collaboration
    network of a cluster, for a period (and a domain), drawn as SVG on the server."""
    import hashlib

    from django.core.cache import cache
    from django.utils import timezone
    from django.utils.translation import get_language

    cluster = _cluster(request, slug)
    period, domain, errors = _query(request, cluster)
    domains = list(Domain.objects.filter(cluster=cluster).order_by("name"))
    raw = f"{cluster.pk}|{domain.pk if domain else ''}|{period}|{get_language()}"
    key = "insights:dashboard:" + hashlib.sha256(raw.encode()).hexdigest()
    figures = cache.get(key)
    if figures is None:
        figures = _dashboard_figures(cluster, period, domain, domains)
        figures["computed_at"] = timezone.now()
        cache.set(key, figures, DASHBOARD_CACHE_SECONDS)
    context = {
        **figures,
        "cluster": cluster,
        "period": period,
        "domain": domain,
        "domains": domains,
        "errors": errors,
        "query": request.GET.urlencode(),
        "app": "insights",
    }
    return render(request, "insights/dashboard.html", context, status=400 if errors else 200)


def _dashboard_figures(
    cluster: Cluster, period: Any, domain: Domain | None, domains: list[Domain]
) -> dict[str, Any]:
    from helix.core.insights import charts, dashboards
    from helix.registry.models.memberships import engagement_label
    from helix.registry.models.organisations import Helix

    eco = dashboard_ecosystem(cluster, period, domain)
    series = dashboards.members_series(eco, period)
    first = dashboards.first_year(eco) or period.start.year
    years = dashboards.growth_per_year(eco, max(first, period.end.year - 9), period.end.year)
    funnel = dashboards.engagement_funnel(eco, period)
    outcomes = dashboards.outcome_funnel(eco, period)
    activity = dashboards.activity_per_domain(eco, period, [d.pk for d in domains])
    names = {d.pk: d.name for d in domains}
    net = dashboards.network(eco, period)
    helix_names = {h.value: str(h.label) for h in Helix if h.value != "intermediary"}

    def pct(value: Decimal | None) -> str:
        return shown(value, Unit.PERCENT) if value is not None else ""

    funnel_rows = [(engagement_label(s.level), s.reached, pct(s.conversion)) for s in funnel]
    outcome_rows = [(str(labels.OUTCOMES[s.stage]), s.count, "") for s in outcomes]
    return {
        "members_chart": mark_safe(charts.line_svg(series, _("Committed members over time"))),
        "years": years,
        "funnel": [
            {"label": engagement_label(s.level), "step": s, "conversion": pct(s.conversion)} for s in funnel
        ],
        "funnel_chart": mark_safe(charts.bars_svg(funnel_rows, _("Engagement funnel"))),
        "outcome_chart": mark_safe(charts.bars_svg(outcome_rows, _("From a match to its impact"))),
        "activity": [{"name": names[a.domain], "row": a} for a in activity],
        "network": net,
        "brokers": net.brokers[:10],
        "helix_names": helix_names,
        "network_chart": mark_safe(charts.network_svg(net, _("Who works with whom"), helix_names)),
    }


# ---- the report -------------------------------------------------------------------------------------

LANGUAGES = ("en", "nl", "fr", "de")


@login_required
@require_POST
def report_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Queue the cluster's report for a year (or the period asked) in a language; the job page shows its
    progress and ends on the download."""
    from helix.insights.tasks import JOB_KIND, build_report
    from helix.jobs.services import create_job

    cluster = _cluster(request, slug, "report")
    language = request.POST.get("language", "en")
    if language not in LANGUAGES:
        language = "en"
    try:
        if request.POST.get("year"):
            period = year_period(request.POST["year"])
        else:
            period = parse_period(request.POST.get("from"), request.POST.get("to"))
    except InsightsError:
        messages.error(request, _("Choose a year (four digits) for the report."))
        return redirect("insights:indicators", slug=cluster.slug)
    title = _("Report of %(cluster)s, %(start)s to %(end)s (%(language)s)") % {
        "cluster": cluster,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "language": language,
    }
    job = create_job(f"{JOB_KIND}:{cluster.pk}", str(title), request.user)
    build_report.enqueue(job.pk, cluster.pk, period.start.isoformat(), period.end.isoformat(), language)
    return redirect("jobs:detail", job.pk)


def _report_job(request: HttpRequest, job_id: int) -> Any:
    from helix.jobs.models import Job, JobStatus
    from helix.jobs.permissions import can_download_job_files

    job = Job.objects.filter(
        pk=job_id, kind__startswith="insights.report:", status=JobStatus.SUCCEEDED
    ).first()
    if job is None or not can_download_job_files(request.user, job):
        raise Http404
    cluster = Cluster.objects.filter(pk=int(job.kind.split(":", 1)[1])).first()
    if cluster is None or not allowed(request.user, "report", cluster):
        raise Http404
    return job


@login_required
def report_download(request: HttpRequest, job_id: int, fmt: str) -> HttpResponse:
    from helix.insights.tasks import report_path
    from helix.private_files import send_private_file

    if fmt not in ("pdf", "html"):
        raise Http404
    job = _report_job(request, job_id)
    name = f"{job.result.get('cluster', 'helix')}-report.{fmt}"
    return send_private_file(report_path(job.pk, fmt), name)


# ---- stories (staff and the organisations they feature) -------------------------------------------


def _story(request: HttpRequest, pk: int, action: str = "view") -> Any:
    from helix.insights.models import Story

    story = (
        Story.objects.select_related("cluster", "project", "synergy__have")
        .prefetch_related("featured__organisation", "domains")
        .filter(pk=pk)
        .first()
    )
    if story is None or not can(request.user, action, story):
        raise Http404
    return story


@login_required
def story_list(request: HttpRequest, slug: str) -> HttpResponse:
    from helix.insights.models import Story
    from helix.insights.services import showing

    cluster = _cluster(request, slug)
    rows = [
        {"story": s, "showing": showing(s)}
        for s in Story.objects.filter(cluster=cluster).prefetch_related("featured__organisation")
    ]
    from helix.insights.models import PartnerLink

    context = {
        "cluster": cluster,
        "rows": rows,
        "may_create": can(request.user, "create", Story(cluster=cluster)),
        "partners": PartnerLink.objects.filter(cluster=cluster),
        "may_link": can(request.user, "edit", PartnerLink(cluster=cluster)),
        "app": "insights",
    }
    return render(request, "insights/story_list.html", context)


def _story_form(request: HttpRequest, cluster: Cluster, story: Any = None) -> HttpResponse:
    from helix.insights.forms import StoryForm
    from helix.insights.services import save_story

    form = StoryForm(request.POST or None, instance=story, cluster=cluster)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_story(request.user, cluster, form.cleaned_data, story=story)
        except InsightsError as error:
            form.add_error(error.field or None, explain(error))
        else:
            messages.success(request, _("The story is saved."))
            return redirect("insights:story", saved.pk)
    status = 400 if request.method == "POST" else 200
    context = {"cluster": cluster, "form": form, "story": story, "app": "insights"}
    return render(request, "insights/story_form.html", context, status=status)


@login_required
def story_new(request: HttpRequest, slug: str) -> HttpResponse:
    from helix.insights.models import Story

    cluster = _cluster(request, slug)
    if not can(request.user, "create", Story(cluster=cluster)):
        raise Http404
    return _story_form(request, cluster)


@login_required
def story_edit(request: HttpRequest, pk: int) -> HttpResponse:
    story = _story(request, pk, "edit")
    return _story_form(request, story.cluster, story)


def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A story with its approvals and the staff's actions; anyone may read a public one here too."""
    from helix.core.insights.stories import STAFF, STORY_WORKFLOW
    from helix.insights.services import showing
    from helix.registry.permissions import own_organisation_id

    story = _story(request, pk)
    own = own_organisation_id(request.user)
    mine = next((f for f in story.featured.all() if f.organisation_id == own), None)
    moves = STORY_WORKFLOW.available(story.status, {STAFF}) if can(request.user, "publish", story) else []
    shows = showing(story)
    context = {
        "story": story,
        "showing": shows,
        "showing_text": explain(InsightsError(shows.reason)) if shows.reason else "",
        "mine": mine,
        "may_approve": mine is not None and mine.approved_on is None and can(request.user, "approve", story),
        "may_edit": can(request.user, "edit", story),
        "moves": [(t.target, story_move_label(t.target)) for t in moves],
        "app": "insights",
    }
    return render(request, "insights/story_detail.html", context)


def story_move_label(target: str) -> str:
    return {
        "published": _("Publish"),
        "withdrawn": _("Withdraw from the showcase"),
        "draft": _("Back to draft"),
    }.get(target, target)


@login_required
@require_POST
def story_move(request: HttpRequest, pk: int) -> HttpResponse:
    from helix.insights.services import move_story

    story = _story(request, pk)
    try:
        move_story(request.user, story, request.POST.get("target", ""))
    except InsightsError as error:
        messages.error(request, explain(error))
    else:
        messages.success(request, _("The story's status is changed."))
    return redirect("insights:story", story.pk)


@login_required
@require_POST
def story_approve(request: HttpRequest, pk: int) -> HttpResponse:
    from helix.insights.services import approve_story

    story = _story(request, pk)
    try:
        approve_story(request.user, story)
    except InsightsError as error:
        messages.error(request, explain(error))
    else:
        messages.success(request, _("Your organisation approves the story."))
    return redirect("insights:story", story.pk)


# ---- partner initiatives (the showcase's links) ----------------------------------------------------


@login_required
@require_POST
def partner_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Add a link to a partner initiative to the cluster's showcase; a bad address is named."""
    from django.core.exceptions import ValidationError

    from helix.insights.models import PartnerLink

    cluster = _cluster(request, slug)
    link = PartnerLink(
        cluster=cluster,
        name=request.POST.get("name", "").strip(),
        url=request.POST.get("url", "").strip(),
        description=request.POST.get("description", "").strip(),
    )
    if not can(request.user, "edit", link):
        raise Http404
    try:
        link.full_clean()
    except ValidationError as error:
        fields = ", ".join(str(PartnerLink._meta.get_field(f).verbose_name) for f in error.message_dict)
        messages.error(request, _("The link is not added: check %(fields)s.") % {"fields": fields})
        return redirect("insights:stories", slug=cluster.slug)
    link.save()
    messages.success(request, _("The link is on the showcase."))
    return redirect("insights:stories", slug=cluster.slug)


@login_required
@require_POST
def partner_remove(request: HttpRequest, pk: int) -> HttpResponse:
    from helix.insights.models import PartnerLink

    link = PartnerLink.objects.select_related("cluster").filter(pk=pk).first()
    if link is None or not can(request.user, "edit", link):
        raise Http404
    slug = link.cluster.slug
    link.delete()
    messages.success(request, _("The link is removed from the showcase."))
    return redirect("insights:stories", slug=slug)
