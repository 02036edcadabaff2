"""The follow-up page and the annual report (web, PDF, XLSX) against a hand-counted year
(`report_fixtures.py` says what it holds and what the numbers must be)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from bokbro.reports.models import ReportText
from bokbro.reports.report import build_report
from bokbro.reports.tests.report_fixtures import YEAR, make_year

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def year(world: Any) -> Any:
    return make_year(world)


def text_of(html: str) -> str:
    """The page's text with tags removed and spaces collapsed (no-break spaces too)."""
    text = re.sub(r"<[^>]+>", " ", html)
    return " ".join(text.replace("\xa0", " ").split())


def page(client_for: Any, user: Any, url: str) -> str:
    response = client_for(user, language="en").get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_report_numbers_match_the_hand_counted_year(world: Any, year: Any) -> None:
    report = build_report(world.agency, YEAR)
    assert report.plan == year.plan
    totals = {
        (block.source.key, str(f.label)): f.value
        for block in report.followup.total.blocks
        for f in block.figures
    }
    assert totals[("events", "Number of events")] == 3
    assert totals[("events", "Participants")] == 5
    assert totals[("events", "Attendance rate")] == 67
    assert totals[("events", "Certificates")] == 2
    assert totals[("advisory", "Number of consultations")] == 2
    assert totals[("advisory", "Hours of advice")] == 3.5
    assert totals[("projects", "Number of projects")] == 1
    assert totals[("projects", "Measures done")] == 1
    assert totals[("projects", "Funding granted")] == 400000
    assert [(source, amount.granted, amount.own) for source, amount in report.funding] == [
        ("Nasjonalbiblioteket", 300000, 0),
        ("Østfold fylkeskommune", 100000, 0),
        ("Egeninnsats", 0, 80000),
    ]
    assert report.funding_total.granted == 400000 and report.funding_total.own == 80000
    assert report.funding_total.applied == 550000 and report.funding_total.reported == 120000
    area_a, area_b = report.followup.areas
    # A: E1, E2, C1, M1; B: E2, C2, P1, M1.
    assert area_a.group.activity_count == 4
    assert area_b.group.activity_count == 4
    a1, a2 = area_a.goals
    assert a1.group.people == 4 and a1.group.activity_count == 2
    assert a2.group.activity_count == 2  # the visit and the measure
    assert [str(row.indicator) for row in a1.indicators] == ["Kommuner med gjeldende bibliotekplan"]
    assert a1.indicators[0].met is False
    assert report.followup.untagged_count == 1  # the webinar
    rows = {row.municipality.name: row for row in report.municipalities}
    assert (rows["Fredrikstad"].participants, rows["Fredrikstad"].consultations) == (2, 1)
    assert rows["Fredrikstad"].projects == 1
    assert (rows["Sarpsborg"].participants, rows["Sarpsborg"].consultations) == (2, 1)
    assert rows["Sarpsborg"].projects == 0
    assert not rows["Halden"].reached
    assert [row.municipality.name for row in report.not_reached] == ["Halden"]
    assert report.plan_counts.current == 1
    assert report.plan_counts.expired == 1
    assert report.plan_counts.missing == 1


def test_the_report_page_shows_the_numbers_per_focus_area_and_the_municipalities_not_reached(
    client_for: Any, world: Any, year: Any
) -> None:
    html = page(client_for, world.consultant, reverse("reports:report", args=[YEAR]))
    text = text_of(html)
    assert "Annual report 2025" in text
    assert "Det åpne biblioteket" in text and "Det lærende biblioteket" in text
    # Area A: E1 and E2 (4 participants), C1, M1; 2 libraries and 2 municipalities.
    area_a = "4 activities · Participants: 4 · Libraries reached: 2 · Municipalities reached: 2"
    assert area_a in text
    assert "Participants 5" in text
    assert "Attendance rate 67 %" in text
    assert "Hours of advice 3.5 h" in text
    # Source, applied for, granted, own funding, reported as spent.
    assert "Nasjonalbiblioteket 400,000 300,000 0 120,000" in text
    assert "Egeninnsats 0 0 80,000 0" in text
    assert "Total 550,000 400,000 80,000 120,000" in text
    assert "2 of the region's 3 municipalities (67 %)" in text
    assert "Not reached: Halden." in text
    assert "Halden No 0 0 0" in text
    assert "Fredrikstad Yes 2 1 1" in text
    assert "Sarpsborg Yes 2 1 0" in text
    # Charts: SVG with a name and a description, and the table with the same numbers.
    assert html.count('role="img"') == 2
    assert "<title" in html and "<desc" in html
    assert "1 activity of the year is not tagged with a goal of the plan." in text
    assert "Kommuner med gjeldende bibliotekplan 100 % 33 % No" in text
    assert "Current 1 33.3 %" in text


def test_the_follow_up_page_lists_activities_per_goal_and_what_is_not_tagged(
    client_for: Any, world: Any, year: Any
) -> None:
    html = page(client_for, world.consultant, reverse("reports:followup") + f"?year={YEAR}")
    text = text_of(html)
    assert "Follow-up of the plan 2025" in text
    assert "1 of the year's 7 activities is not tagged with any goal of the plan." in text
    e1 = year.events["e1"]
    assert reverse("events_staff:detail", args=[e1.pk]) in html
    assert "1 municipality not reached: Halden." in text
    # Goal B1 reached only Sarpsborg (E2 and C2) and Fredrikstad (the project's partner).
    assert "Digital kompetanse" in text  # listed under "Not tagged with a goal"
    assert "Avlyst kurs" not in text and "Fjorårets kurs" not in text
    # The year and the plan chosen together.
    html = page(client_for, world.consultant, f"/plans/followup/?year={YEAR}&plan={year.plan.pk}")
    assert "Follow-up of the plan 2025" in text_of(html)
    assert "Bokprat for barn" in html


def test_staff_write_an_introduction_per_section_in_markdown(
    client_for: Any, world: Any, year: Any
) -> None:
    client = client_for(world.consultant, language="en")
    url = reverse("reports:report_texts", args=[YEAR])
    form = client.get(url)
    assert form.status_code == 200
    labels = [str(field.label) for field in form.context["form"]]
    assert labels == [
        "Introduction",
        "A Det åpne biblioteket",
        "B Det lærende biblioteket",
        "Libraries and municipalities reached",
        "Municipal library plans",
        "The year in numbers",
    ]
    response = client.post(
        url,
        {
            "section_0": "Året var **godt**. <script>alert(1)</script>",
            "section_1": "Åpne bibliotek i hele fylket.",
        },
    )
    assert response.status_code == 302
    assert ReportText.objects.get(section="intro").text.startswith("Året var")
    assert ReportText.objects.get(section=f"focus:{year.area_a.pk}").updated_by == world.consultant
    html = client.get(reverse("reports:report", args=[YEAR])).content.decode()
    assert "Året var <strong>godt</strong>." in html
    assert "<script>alert(1)</script>" not in html
    assert "Åpne bibliotek i hele fylket." in html


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.replace("\xa0", " ").split())


def test_the_pdf_has_the_headings_and_numbers_in_the_agencys_language(
    client_for: Any, world: Any, year: Any
) -> None:
    ReportText.objects.create(
        agency=world.agency, year=YEAR, section="intro", text="Et år med **mange** kurs."
    )
    world.agency.language = "en"
    world.agency.save()
    # The reader has chosen Swedish; the report is written in the agency's language.
    response = client_for(world.consultant, language="sv").get(
        reverse("reports:report_pdf", args=[YEAR])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert text.startswith("Annual report 2025 Bibliotekutvikling Østfold")
    for heading in [
        "Introduction",
        "The year 2025 in numbers",
        "A Det åpne biblioteket",
        "A1 Alle skal nå biblioteket",
        "B1 Lesing for alle",
        "Libraries and municipalities reached",
        "Municipal library plans",
    ]:
        assert heading in text
    assert "Et år med mange kurs." in text
    assert (
        "Number of events 3 Participants 5 Attended 2 Attendance rate 67 % Certificates 2" in text
    )
    assert "Hours of advice 3.5 h" in text
    # Source, applied for, granted, own funding, reported as spent (the table may run over a
    # page, its header and totals repeated).
    for row in [
        "Nasjonalbiblioteket 400,000 300,000 0 120,000",
        "Østfold fylkeskommune 150,000 100,000 0 0",
        "Egeninnsats 0 0 80,000 0",
        "Total 550,000 400,000 80,000 120,000",
    ]:
        assert row in text
    assert "Not reached: Halden." in text


def test_the_report_names_the_years_courses_and_projects_with_their_dates(
    client_for: Any, world: Any, year: Any
) -> None:
    text = text_of(page(client_for, world.consultant, reverse("reports:report", args=[YEAR])))
    assert "What the year 2025 held" in text
    # Courses and events by date (not the cancelled one, nor last year's), then the projects
    # (not their measures).
    assert (
        "Courses and events 03/12/2025 – Bokprat for barn 09/04/2025 – Lesesirkelnettverk "
        "11/20/2025 – Digital kompetanse Projects 01/01/2024 – Meråpne bibliotek"
    ) in text
    assert "Avlyst kurs" not in text and "Fjorårets kurs" not in text


def test_the_pdf_has_bookmarks_and_no_heading_ends_a_page(
    client_for: Any, world: Any, year: Any
) -> None:
    from pypdf import PdfReader

    from bokbro.reports.tests.report_fixtures import _event

    world.agency.language = "en"  # the PDF is written in the agency's language
    world.agency.save()
    # Enough courses for the named list and the tables to run over several pages.
    for n in range(40):
        _event(world, f"Kurs nummer {n}", "course", year.events["e1"].starts_at.date())
    response = client_for(world.consultant, language="en").get(
        reverse("reports:report_pdf", args=[YEAR])
    )
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) > 3

    def titles(items: list[Any], depth: int = 1) -> list[tuple[int, str]]:
        found: list[tuple[int, str]] = []
        for item in items:
            if isinstance(item, list):
                found += titles(item, depth + 1)
            else:
                found.append((depth, item.title))
        return found

    bookmarks = titles(reader.outline)
    assert (1, "Annual report 2025") in bookmarks
    for heading in ["Introduction", "What the year 2025 held", "A Det åpne biblioteket"]:
        assert (2, heading) in bookmarks
    assert (3, "A1 Alle skal nå biblioteket") in bookmarks
    headings = {
        "Introduction",
        "The year 2025 in numbers",
        "What the year 2025 held",
        "Courses and events",
        "Projects",
        "A Det åpne biblioteket",
        "A1 Alle skal nå biblioteket",
        "A2 Sterke fagmiljø",
        "B Det lærende biblioteket",
        "B1 Lesing for alle",
        "Libraries and municipalities reached",
        "Municipal library plans",
        "Funding by source",
    }
    # Move everything down a line at a time: wherever a page break falls, it never falls right
    # after a heading.
    from bokbro.reports.pdf import report_pdf

    report = build_report(world.agency, YEAR)
    for shift in range(0, 48, 2):
        report.texts["intro"] = "\n\n".join(["Et avsnitt."] * (shift + 1))
        pages = PdfReader(io.BytesIO(report_pdf(report))).pages
        for number, pdf_page in enumerate(pages[:-1], start=1):
            lines = [
                line.strip()
                for line in pdf_page.extract_text().splitlines()
                if line.strip() and not re.fullmatch(r"\d+ / \d+", line.strip())
            ]
            assert lines[-1] not in headings, (
                f"{shift} lines down, page {number} ends with the heading {lines[-1]!r}"
            )


def test_the_pdf_writes_numbers_the_norwegian_way_for_a_norwegian_agency(
    client_for: Any, world: Any, year: Any
) -> None:
    response = client_for(world.consultant, language="en").get(
        reverse("reports:report_pdf", args=[YEAR])
    )
    text = pdf_text(response.content)
    assert "3,5" in text and "300 000" in text  # the unit is translated too
    assert "3.5" not in text and "300,000" not in text


def test_the_tables_download_as_a_workbook_with_one_sheet_per_table(
    client_for: Any, world: Any, year: Any
) -> None:
    from openpyxl import load_workbook

    world.agency.language = "en"
    world.agency.save()
    response = client_for(world.consultant).get(reverse("reports:report_xlsx", args=[YEAR]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 7
    municipalities = [list(row) for row in book.worksheets[2].iter_rows(values_only=True)]
    assert municipalities[1:] == [
        ["Fredrikstad", "Yes", 2, 1, 1],
        ["Halden", "No", 0, 0, 0],
        ["Sarpsborg", "Yes", 2, 1, 0],
    ]
    funding = [list(row) for row in book.worksheets[3].iter_rows(values_only=True)]
    assert funding == [
        ["Source", "Applied for", "Granted", "Own funding", "Reported as spent"],
        ["Nasjonalbiblioteket", 400000, 300000, 0, 120000],
        ["Østfold fylkeskommune", 150000, 100000, 0, 0],
        ["Egeninnsats", 0, 0, 80000, 0],
    ]
    activities = list(book.worksheets[6].iter_rows(values_only=True))
    assert len(activities) == 1 + 3 + 2 + 2  # 3 events, 2 consultations, a project, a measure


def test_the_report_costs_the_same_queries_for_twice_the_data(
    client_for: Any, world: Any, year: Any
) -> None:
    from bokbro.reports.tests.test_sources import _grow

    client = client_for(world.consultant)
    url = reverse("reports:report", args=[YEAR])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(world, year)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)


def test_another_agencys_staff_see_only_their_own_agencys_report(
    client_for: Any, world: Any, year: Any
) -> None:
    response = client_for(world.outsider, host="jonkoping.testserver").get(
        reverse("reports:report", args=[YEAR])
    )
    assert response.status_code == 200
    text = text_of(response.content.decode())
    assert "Bokprat for barn" not in text and "Halden" not in text
    assert "Nasjonalbiblioteket" not in text


def test_the_pdf_carries_the_agencys_logo_name_and_colour(
    client_for: Any, world: Any, year: Any, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.base import ContentFile

    from bokbro.directory.models import Agency
    from bokbro.reports.pdf import report_html

    settings.MEDIA_ROOT = tmp_path
    Agency.objects.filter(pk=world.agency.pk).update(
        display_name="Bibliotekutvikling i Østfold", accent_colour="#8a1538"
    )
    agency = Agency.objects.get(pk=world.agency.pk)
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4">'
        b'<rect width="4" height="4"/></svg>'
    )
    agency.logo.save("logo.svg", ContentFile(svg), save=True)
    html = report_html(build_report(agency, YEAR))
    assert "data:image/svg+xml;base64," in html and "solid #8a1538" in html
    response = client_for(world.consultant).get(reverse("reports:report_pdf", args=[YEAR]))
    assert "Bibliotekutvikling i Østfold" in pdf_text(response.content)
