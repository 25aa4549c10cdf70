"""The pages where a project's editors (its consortium's people, its cluster's staff) shape its parts: the
budget grid, funding sources, milestones and deliverables, reports, and the consortium's members. Each
page lists the part and takes its form; a refusal is shown on the form with what was typed, and nothing
is written. Views parse, ask the permission tables, call the services (helix.projects.parts,
helix.projects.services) and render."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from helix.params import object_id
from helix.projects import explain, forms, parts, services
from helix.projects.models import BudgetLine, CostCategory, Milestone, Project
from helix.projects.views import visible_project
from helix.registry.models import Organisation
from helix.registry.permissions import can, scope

SEARCH_RESULTS = 20


def _editable(request: HttpRequest, pk: int) -> Project:
    """The project, if the visitor may see it (404 otherwise) and edit it (403 otherwise)."""
    project = visible_project(request, pk)
    if not can(request.user, "edit", project):
        raise PermissionDenied
    return project


def _members(project: Project) -> Any:
    return project.members.select_related("organisation").order_by("pk")


def _page(request: HttpRequest, template: str, project: Project, **context: Any) -> HttpResponse:
    return render(
        request,
        f"projects/{template}",
        {"project": project, "type_name": explain.type_name(project.kind), "app": "projects", **context},
    )


def _done(request: HttpRequest, text: str, to: str, project: Project) -> HttpResponse:
    messages.success(request, text)
    return redirect(to, pk=project.pk)


# -- the budget grid -----------------------------------------------------------------------------------------


@login_required
def budget(request: HttpRequest, pk: int) -> HttpResponse:
    """The budget grid: a row per member and year, a column per cost category; saved whole."""
    project = _editable(request, pk)
    members = list(_members(project))
    lines = list(BudgetLine.objects.filter(member__project=project))
    years = parts.grid_years(project, lines)
    grid = forms.Grid(typed={forms.cell_name(b.member_id, b.year, b.category): str(b.amount) for b in lines})
    problems: list[str] = []
    version = parts.budget_version(project)
    if request.method == "POST":
        grid = forms.read_grid(request.POST, [m.pk for m in members], years)
        if not grid.errors:
            try:
                count = parts.save_budget(
                    request.user, project, grid.cells, version=request.POST.get("version", "")
                )
            except services.ProjectRefused as refused:
                problems = [
                    explain.say(refused.code, refused.params),
                    *map(explain.problem_text, refused.problems),
                ]
                if refused.code == "budget.stale":  # show the budget as it is now
                    lines = list(BudgetLine.objects.filter(member__project=project))
                    years = parts.grid_years(project, lines)
                    grid = forms.Grid(
                        typed={forms.cell_name(b.member_id, b.year, b.category): str(b.amount) for b in lines}
                    )
                    version = parts.budget_version(project)
            else:
                return _done(
                    request,
                    _("The budget is saved: %(count)d lines.") % {"count": count},
                    "projects:budget",
                    project,
                )
        else:
            problems = [_("Some amounts are not euros and cents: see the marked cells.")]
    rows = [
        {
            "member": m,
            "year": y,
            "cells": [
                {
                    "name": (name := forms.cell_name(m.pk, y, c.value)),
                    "label": c.label,
                    "value": grid.typed.get(name, ""),
                    "error": grid.errors.get(name, ""),
                }
                for c in CostCategory
            ],
        }
        for m in members
        for y in years
    ]
    new_rows = [
        {
            "prefix": f"new-{i}-",
            "member": grid.typed.get(f"new-{i}-member", ""),
            "year": grid.typed.get(f"new-{i}-year", ""),
            "member_error": grid.errors.get(f"new-{i}-member", ""),
            "year_error": grid.errors.get(f"new-{i}-year", ""),
            "cells": [
                {
                    "name": f"new-{i}-{c.value}",
                    "label": c.label,
                    "value": grid.typed.get(f"new-{i}-{c.value}", ""),
                    "error": grid.errors.get(f"new-{i}-{c.value}", ""),
                }
                for c in CostCategory
            ],
        }
        for i in range(forms.NEW_ROWS)
    ]
    return _page(
        request,
        "budget.html",
        project,
        members=members,
        rows=rows,
        new_rows=new_rows,
        categories=CostCategory.choices,
        version=version,
        problems=problems,
        table=(table := parts.budget_table(project, members)),
        advice=[explain.problem_text(p) for p in table.advice],
    )


# -- funding sources -----------------------------------------------------------------------------------------


@login_required
def funding(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's funding sources; add one, or remove one (``remove``: its id)."""
    project = _editable(request, pk)
    members = _members(project)
    form = forms.FundingSourceForm(members=members)
    if request.method == "POST":
        if "remove" in request.POST:
            source = project.funding_sources.filter(pk=object_id(request.POST["remove"])).first()
            if source is None:
                raise Http404
            parts.remove_funding_source(request.user, source)
            return _done(request, _("The funding source is removed."), "projects:funding", project)
        form = forms.FundingSourceForm(request.POST, members=members)
        if form.is_valid():
            data = form.cleaned_data
            try:
                parts.add_funding_source(
                    request.user,
                    project,
                    kind=data["kind"],
                    amount=data["amount"],
                    member=data["member"],
                    instrument=data["instrument"],
                )
            except services.ProjectRefused as refused:
                forms.add_refusal(form, refused)
            else:
                return _done(request, _("The funding source is added."), "projects:funding", project)
    sources = project.funding_sources.select_related("member__organisation").order_by("kind", "pk")
    return _page(request, "funding.html", project, sources=sources, form=form)


# -- milestones and deliverables -----------------------------------------------------------------------------


@login_required
def milestones(request: HttpRequest, pk: int) -> HttpResponse:
    """Milestones and deliverables: add one; mark one reached (``reached``: its id, ``on``: the day) or
    not (``reopen``), or remove one (``remove``)."""
    project = _editable(request, pk)
    members = _members(project)
    form = forms.MilestoneForm(members=members)
    if request.method == "POST":
        for action in ("reached", "reopen", "remove"):
            if action in request.POST:
                item = project.milestones.filter(pk=object_id(request.POST[action])).first()
                if item is None:
                    raise Http404
                return _milestone_action(request, project, item, action)
        form = forms.MilestoneForm(request.POST, members=members)
        if form.is_valid():
            data = form.cleaned_data
            try:
                parts.add_milestone(
                    request.user,
                    project,
                    kind=data["kind"],
                    title=data["title"],
                    due_month=data["due_month"],
                    lead=data["lead"],
                )
            except services.ProjectRefused as refused:
                forms.add_refusal(form, refused)
            else:
                return _done(
                    request,
                    _("“%(title)s” is added.") % {"title": data["title"]},
                    "projects:milestones",
                    project,
                )
    items = project.milestones.select_related("lead__organisation").order_by("due_month", "title", "pk")
    return _page(request, "milestones.html", project, items=items, form=form)


def _milestone_action(request: HttpRequest, project: Project, item: Milestone, action: str) -> HttpResponse:
    if action == "remove":
        parts.remove_milestone(request.user, item)
        return _done(
            request, _("“%(title)s” is removed.") % {"title": item.title}, "projects:milestones", project
        )
    if action == "reopen":
        parts.mark_reached(request.user, item, None)
        return _done(
            request, _("“%(title)s” is open again.") % {"title": item.title}, "projects:milestones", project
        )
    try:
        day = django_forms.DateField(required=False).clean(request.POST.get("on") or None)
    except ValidationError:
        messages.error(request, _("Give the day it was reached as a date."))
        return redirect("projects:milestones", pk=project.pk)
    parts.mark_reached(request.user, item, day or timezone.localdate())
    return _done(
        request, _("“%(title)s” is reached.") % {"title": item.title}, "projects:milestones", project
    )


# -- reports -------------------------------------------------------------------------------------------------


@login_required
def reports(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's reports: write one for a period, or submit one (``submit``: its id)."""
    project = _editable(request, pk)
    form = forms.ReportForm()
    if request.method == "POST":
        if "submit" in request.POST:
            report = project.reports.filter(pk=object_id(request.POST["submit"])).first()
            if report is None:
                raise Http404
            try:
                parts.submit_report(request.user, report)
            except services.ProjectRefused as refused:
                messages.error(request, explain.refusal_text(refused))
                return redirect("projects:reports", pk=project.pk)
            return _done(
                request, _("“%(title)s” is submitted.") % {"title": report.title}, "projects:reports", project
            )
        form = forms.ReportForm(request.POST)
        if form.is_valid():
            try:
                parts.add_report(request.user, project, **form.cleaned_data)
            except services.ProjectRefused as refused:
                forms.add_refusal(form, refused)
            else:
                return _done(request, _("The report is saved."), "projects:reports", project)
    return _page(
        request, "reports.html", project, reports=project.reports.order_by("period_start", "pk"), form=form
    )


# -- the consortium ------------------------------------------------------------------------------------------


def _candidates(request: HttpRequest, project: Project, query: str, chosen: str) -> list[Organisation]:
    """Organisations the visitor may see whose name or slug holds ``query`` and that are not in the
    consortium yet (and the one chosen)."""
    visible = scope(request.user, "view", Organisation.objects.all()).exclude(project_roles__project=project)
    rows: list[Organisation] = []
    if query:
        found = visible.filter(Q(name__icontains=query) | Q(slug__icontains=query))
        rows = list(found.order_by("name", "pk").only("pk", "name", "slug")[:SEARCH_RESULTS])
    if chosen and all(o.slug != chosen for o in rows):
        rows = list(visible.filter(slug=chosen).only("pk", "name", "slug")) + rows
    return rows


@login_required
def consortium(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an organisation to the consortium: find it by name (``q``), choose its role."""
    project = _editable(request, pk)
    organisations = scope(request.user, "view", Organisation.objects.all())
    roles = sorted(role.value for role in services.type_of(project).roles)
    if request.method == "POST":
        form = forms.MemberForm(request.POST, organisations=organisations, roles=roles)
        if form.is_valid():
            try:
                services.add_member(
                    request.user, project, form.cleaned_data["organisation"], form.cleaned_data["role"]
                )
            except services.ProjectRefused as refused:
                forms.add_refusal(form, refused)
            else:
                name = form.cleaned_data["organisation"].name
                return _done(
                    request,
                    _("%(organisation)s joined the consortium.") % {"organisation": name},
                    "projects:detail",
                    project,
                )
    else:
        form = forms.MemberForm(
            initial={"organisation": request.GET.get("organisation"), "role": request.GET.get("role")},
            organisations=organisations,
            roles=roles,
        )
    query = request.GET.get("q", "").strip()[:100]
    chosen = str(form["organisation"].value() or "")
    return _page(
        request,
        "consortium.html",
        project,
        members=_members(project),
        form=form,
        query=query,
        candidates=_candidates(request, project, query, chosen),
        chosen=chosen,
    )
