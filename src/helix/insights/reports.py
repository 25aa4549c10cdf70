"""A cluster's report for a year (or any period), in any of the four languages: built from the indicators
and dashboards of helix.core.insights and the records they name, then written as HTML (a page to print or
publish) or PDF (reportlab, fonts shipped with it).

:func:`build` reads the database once and returns a :class:`Report` of plain, translated strings;
:func:`as_html` and :func:`as_pdf` only lay it out, so both say exactly the same.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import escape

import reportlab
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from helix.core.insights import INDICATORS, Period, Unit, compute, dashboards
from helix.core.insights import charts as core_charts
from helix.insights import labels
from helix.insights.formatting import shown
from helix.insights.services import ecosystem
from helix.registry.models import Cluster

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Figure:
    label: str
    shown: str


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()  # relative column widths in the PDF (equal when empty)


@dataclass
class Section:
    key: str
    title: str
    text: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    chart: str = ""  # SVG, for the HTML version


@dataclass
class Report:
    cluster: str
    title: str
    subtitle: str
    language: str
    generated_on: date
    sections: list[Section]


KEY_FIGURES = (
    "committed_members",
    "member_growth",
    "new_commitments",
    "helices_represented",
    "sme_share",
    "events_held",
    "meetings_held",
    "projects_started",
    "funding_raised",
    "synergies_realised",
    "co2e_avoided",
    "roadmap_adopted",
)


def build(
    cluster: Cluster,
    period: Period,
    language: str,
    *,
    progress: Progress | None = None,
    cycle_id: int | None = None,
) -> Report:
    """The report of ``cluster`` for ``period`` in ``language`` (nl, fr, de or en); with ``cycle_id``,
    the report of that programme cycle of the cluster: its work domains, phases and outputs first,
    then the cluster's figures over the cycle's period."""
    from helix.projects.explain import type_name
    from helix.projects.models import Project
    from helix.symbiosis.models import Synergy

    def step(done: int, message: str) -> None:
        if progress is not None:
            progress(done, 6, message)

    with translation.override(language):
        step(0, "reading the ecosystem")
        eco = ecosystem(cluster)
        step(1, "computing the indicators")
        values = {v.code: v for v in compute(eco, period)}
        by_code = {i.code: i for i in INDICATORS}

        def figure(code: str) -> Figure:
            ind = by_code[code]
            return Figure(labels.label(ind), shown(values[code].value, ind.unit))

        name = cluster.name_on(period.end)
        whole_year = period.start == date(period.start.year, 1, 1) and period.end == date(
            period.start.year, 12, 31
        )
        title = (
            _("%(cluster)s: annual report %(year)s") % {"cluster": name, "year": period.start.year}
            if whole_year
            else _("%(cluster)s: report") % {"cluster": name}
        )
        subtitle = _("From %(start)s to %(end)s") % {
            "start": date_format(period.start, "DATE_FORMAT"),
            "end": date_format(period.end, "DATE_FORMAT"),
        }
        sections: list[Section] = []
        if cycle_id is not None:
            cycle_section, title = _cycle_section(cluster, cycle_id)
            sections.append(cycle_section)

        sections.append(Section("key", _("Key figures"), figures=[figure(c) for c in KEY_FIGURES]))

        step(2, "members and engagement")
        first = dashboards.first_year(eco) or period.start.year
        years = dashboards.growth_per_year(eco, max(first, period.end.year - 4), period.end.year)
        funnel = dashboards.engagement_funnel(eco, period)
        from helix.registry.models.memberships import engagement_label

        members = Section(
            "members",
            _("Members and engagement"),
            text=[
                _("%(n)s organisations were committed to the cluster at the end of the period.")
                % {"n": values["committed_members"].value}
            ],
            tables=[
                Table(
                    (_("Year"), _("Committed members"), _("Came"), _("Left"), _("Growth")),
                    tuple(
                        (
                            str(y.year),
                            str(y.members),
                            str(y.joined),
                            str(y.left),
                            shown(y.growth, Unit.PERCENT) if y.growth is not None else "–",
                        )
                        for y in years
                    ),
                ),
                Table(
                    (_("Rung"), _("Reached"), _("Conversion"), _("Median days on it")),
                    tuple(
                        (
                            engagement_label(s.level),
                            str(s.reached),
                            shown(s.conversion, Unit.PERCENT) if s.conversion is not None else "–",
                            str(s.median_days) if s.median_days is not None else "–",
                        )
                        for s in funnel
                    ),
                ),
            ],
            chart=core_charts.line_svg(
                dashboards.members_series(eco, period), _("Committed members over time")
            ),
        )
        sections.append(members)

        step(3, "activity")
        outcomes = dashboards.outcome_funnel(eco, period)
        sections.append(
            Section(
                "activity",
                _("Activity"),
                figures=[
                    figure(c)
                    for c in (
                        "contacts_logged",
                        "members_contacted",
                        "events_held",
                        "meetings_held",
                        "services_used",
                    )
                ],
                tables=[
                    Table(
                        (_("From a match to its impact"), _("Number")),
                        tuple((str(labels.OUTCOMES[s.stage]), str(s.count)) for s in outcomes),
                    )
                ],
            )
        )

        step(4, "projects and symbiosis")
        started = [r.id for r in values["projects_started"].records if r.kind == "project"]
        projects = Project.objects.filter(pk__in=started).order_by("title")
        sections.append(
            Section(
                "projects",
                _("Projects and funding"),
                figures=[
                    figure(c)
                    for c in ("projects_started", "projects_from_matches", "funding_raised", "private_share")
                ],
                tables=[
                    Table(
                        (_("Project"), _("Kind"), _("Status")),
                        tuple((p.title, type_name(p.kind), p.get_status_display()) for p in projects),
                    )
                ]
                if projects
                else [],
            )
        )
        realised = [r.id for r in values["synergies_realised"].records if r.kind == "synergy"]
        synergies = Synergy.objects.filter(pk__in=realised).select_related(
            "have__organisation", "want__organisation"
        )
        sections.append(
            Section(
                "symbiosis",
                _("Industrial symbiosis"),
                figures=[
                    figure(c)
                    for c in ("agreements", "synergies_realised", "tonnes_exchanged", "co2e_avoided")
                ],
                tables=[
                    Table(
                        (_("Synergy"), _("From"), _("To")),
                        tuple(
                            (s.have.title, s.have.organisation.name, s.want.organisation.name)
                            for s in synergies
                        ),
                    )
                ]
                if synergies
                else [],
            )
        )
        sections.append(
            Section(
                "strategy",
                _("Strategy"),
                figures=[
                    figure(c) for c in ("roadmap_adopted", "roadmap_coverage", "roadmap_milestones_owned")
                ],
            )
        )

        step(5, "all indicators")
        sections.append(
            Section(
                "indicators",
                _("All indicators"),
                tables=[
                    Table(
                        (_("Indicator"), _("Value")),
                        tuple(
                            (labels.label(ind), shown(values[ind.code].value, ind.unit)) for ind in INDICATORS
                        ),
                    )
                ],
            )
        )
        step(6, "done")
        return Report(cluster.slug, title, subtitle, language, timezone.localdate(), sections)


def _cycle_section(cluster: Cluster, cycle_id: int) -> tuple[Section, str]:
    """The cycle's own section, and the report's title. The report is for dissemination: it names only
    public records (the needs, events, projects and outputs anyone may see); its counts hold them all."""
    from helix.insights.labels import PHASES
    from helix.insights.models import Cycle
    from helix.insights.programmes import holdings, phase_dates

    cycle = (
        Cycle.objects.select_related("programme")
        .prefetch_related("work_domains", "steps")
        .get(pk=cycle_id, programme__cluster=cluster)
    )
    title = _("%(programme)s: report of cycle %(n)s") % {"programme": cycle.programme.name, "n": cycle.number}
    dates = phase_dates(cycle)
    rows = []
    for code, (start, end) in dates.items():
        held = holdings(cycle, code)
        rows.append(
            (
                str(PHASES[code]),
                date_format(start, "SHORT_DATE_FORMAT"),
                date_format(end, "SHORT_DATE_FORMAT") if end else "",
                str(held.needs),
                str(held.events),
                str(held.projects),
                str(held.outputs),
            )
        )
    outputs = cycle.outputs.filter(visibility="public").prefetch_related("reuses__organisation")
    output_rows = tuple(
        (
            o.title,
            str(o.get_kind_display()),
            str(PHASES[o.phase]),
            ", ".join(r.organisation.name for r in o.reuses.all()),
        )
        for o in outputs
    )
    text = [
        _("Cycle %(n)s ran from %(start)s to %(end)s.")
        % {
            "n": cycle.number,
            "start": date_format(cycle.starts_on, "DATE_FORMAT"),
            "end": date_format(cycle.ends_on, "DATE_FORMAT"),
        },
        _("Work domains: %(domains)s.")
        % {"domains": ", ".join(d.name for d in cycle.work_domains.all()) or "-"},
    ]
    if cycle.domains_note:
        text.append(cycle.domains_note)
    tables = [
        Table(
            (_("Phase"), _("From"), _("To"), _("Needs"), _("Events"), _("Projects"), _("Outputs")),
            tuple(rows),
            widths=(2.8, 1.4, 1.4, 1.3, 1.5, 1.3, 1.3),
        )
    ]
    if output_rows:
        tables.append(
            Table((_("Output"), _("Kind"), _("Phase"), _("Reused by")), output_rows, widths=(3, 2, 2, 2))
        )
    return Section("cycle", _("The cycle"), text=text, tables=tables), title


def as_html(report: Report) -> str:
    with translation.override(report.language):
        charts = {s.key: mark_safe(s.chart) for s in report.sections if s.chart}
        return render_to_string("insights/report.html", {"report": report, "charts": charts})


_FONTS = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
FONT, BOLD = "HelixVera", "HelixVeraBold"  # the names the other PDF writers register


def as_pdf(report: Report) -> bytes:
    """The report as an A4 PDF: title, then each section's figures, text and tables."""
    with translation.override(report.language):
        return _pdf(report)


def _pdf(report: Report) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, os.path.join(_FONTS, "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, os.path.join(_FONTS, "VeraBd.ttf")))
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11)
    h1 = ParagraphStyle("h1", fontName=BOLD, fontSize=18, leading=22, spaceAfter=4)
    h2 = ParagraphStyle("h2", fontName=BOLD, fontSize=13, leading=17, spaceBefore=10, spaceAfter=4)
    muted = ParagraphStyle("muted", parent=body, textColor=colors.HexColor("#616e7c"))

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(text), style)

    story: list[object] = [p(report.title, h1), p(report.subtitle, muted), Spacer(1, 4 * mm)]
    width = A4[0] - 36 * mm
    grid = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, 0), BOLD),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#1f2933")),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#d9dee4")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    for section in report.sections:
        story.append(p(section.title, h2))
        for line in section.text:
            story.append(p(line))
        if section.figures:
            rows = [[p(f.label, small), p(f.shown, small)] for f in section.figures]
            table = PdfTable(rows, colWidths=[width * 0.7, width * 0.3])
            table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d9dee4"))]))
            story.append(table)
            story.append(Spacer(1, 3 * mm))
        for t in section.tables:
            rows = [[p(h, small) for h in t.header]] + [[p(c, small) for c in row] for row in t.rows]
            shares = t.widths or (1.0,) * len(t.header)
            table = PdfTable(rows, colWidths=[width * w / sum(shares) for w in shares], repeatRows=1)
            table.setStyle(grid)
            story.append(table)
            story.append(Spacer(1, 3 * mm))
    story.append(
        p(_("Made with Helix on %(day)s.") % {"day": date_format(report.generated_on, "DATE_FORMAT")}, muted)
    )
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=report.title,
        author="Helix",
    )
    doc.build(story)
    return buffer.getvalue()
