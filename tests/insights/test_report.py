"""Integration: a cluster's annual report, built from its indicators, in the language asked: its
figures are in the HTML and in the PDF's text (read back with pdftotext); staff start it as a background
job from the indicators page and download it; others cannot; `helix insights report` writes it."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from django.test import Client

from helix.cli import main
from helix.core.insights import Period
from helix.insights import reports
from tests.insights.world import build

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

YEAR = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(
    PDFTOTEXT is None, reason="pdftotext (Debian's poppler-utils) is not installed; .ci/run installs it"
)


def pdf_text(data: bytes, tmp_path) -> str:  # type: ignore[no-untyped-def]
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(
        [PDFTOTEXT, "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return build()


def test_the_report_holds_the_figures_of_the_year(world):
    report = reports.build(world.cluster, YEAR, "en")
    assert report.title == "Cluster energy: annual report 2026"
    key = {f.label: f.shown for f in report.sections[0].figures}
    assert key["Committed members"] == "4"
    assert key["Member growth"] == "33.3\u00a0%"
    assert key["Funding raised"] == "100,000\u00a0EUR"
    projects = next(s for s in report.sections if s.key == "projects")
    assert projects.tables[0].rows == (("Heat grid", "Flagship project", "Running"),)
    html = reports.as_html(report)
    assert "<h1>Cluster energy: annual report 2026</h1>" in html
    assert "Heat grid" in html
    assert "<svg" in html  # members over time, drawn in the page
    assert "<script" not in html


@needs_pdftotext
def test_the_pdf_in_dutch_reads_back_with_its_figures(world, tmp_path):
    report = reports.build(world.cluster, YEAR, "nl")
    text = pdf_text(reports.as_pdf(report), tmp_path)
    assert "jaarverslag 2026" in text
    assert "Van 1 januari 2026 tot 31 december 2026" in text
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "Geëngageerde leden 4" in lines
    assert "Opgehaalde financiering 100.000 EUR" in lines
    assert any(line.startswith("Heat grid") for line in lines)
    assert "Vermeden CO2e 12,5 t CO2e" in lines


def test_staff_generate_it_as_a_job_and_download_it(world):
    staff = Client()
    staff.force_login(world.staff)
    started = staff.post("/insights/energy/report/", {"year": "2026", "language": "fr"})
    assert started.status_code == 302
    job_page = staff.get(started["Location"])
    assert job_page.status_code == 200
    link = job_page.content.decode().split('href="/insights/reports/')[1].split('"')[0]
    download = staff.get(f"/insights/reports/{link}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    html = staff.get(f"/insights/reports/{link.replace('.pdf', '.html')}")
    assert "rapport annuel 2026" in b"".join(html.streaming_content).decode()
    other = Client()
    other.force_login(world.other_staff)
    assert other.get(f"/insights/reports/{link}").status_code == 404


def test_a_bad_year_is_refused_and_nothing_is_queued(world):
    from helix.jobs.models import Job

    staff = Client()
    staff.force_login(world.staff)
    answer = staff.post("/insights/energy/report/", {"year": "twenty", "language": "nl"})
    assert answer.status_code == 302
    assert answer["Location"] == "/insights/energy/"
    assert not Job.objects.filter(kind__startswith="insights.report").exists()


@needs_pdftotext
def test_the_command_writes_the_report(world, tmp_path):
    out = tmp_path / "report.pdf"
    args = ["insights", "report", "--cluster", "energy", "--year", "2026", "--language", "de"]
    result = CliRunner().invoke(main, [*args, "--output", str(out), "--as", "energy_staff"])
    assert result.exit_code == 0, result.output
    text = pdf_text(out.read_bytes(), tmp_path)
    assert "Jahresbericht 2026" in text
    refused = CliRunner().invoke(
        main,
        [
            "insights",
            "report",
            "--cluster",
            "energy",
            "--output",
            str(tmp_path / "x.pdf"),
            "--as",
            "wood_staff",
        ],
    )
    assert refused.exit_code == 1
    assert not (tmp_path / "x.pdf").exists()


def test_the_command_names_a_bad_year(world, tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "insights",
            "report",
            "--cluster",
            "energy",
            "--year",
            "12345",
            "--output",
            str(tmp_path / "r.pdf"),
            "--as",
            "energy_staff",
        ],
    )
    assert result.exit_code == 2
    assert "--year" in result.output
    assert not (tmp_path / "r.pdf").exists()
