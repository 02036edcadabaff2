"""Each agency's own look (issue 12): its logo (PNG, or SVG checked strictly), its name as
shown, its accent colour (refused below WCAG AA's 4.5:1 against white), its footer contact and
social links — on its pages (its own style sheet, cacheable by version), in its e-mails, its
PDFs (certificates, the annual report) and its newsletter; never on the other agency's."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string

from bokbro.core.models import AuditEntry
from bokbro.directory.look import contrast_ratio, svg_problem
from bokbro.directory.models import Agency

pytestmark = pytest.mark.django_db

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40">'
    b'<defs><linearGradient id="g"><stop offset="0" stop-color="#8a1538"/></linearGradient></defs>'
    b'<circle cx="20" cy="20" r="18" fill="url(#g)"/></svg>'
)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def client_for(client_for):
    def make(user, host="testserver"):
        return client_for(user, host=host, language="en")

    return make


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def agency_form(**values):
    return {
        "name": "Bibliotekutvikling Østfold",
        "organisation_name": "",
        "intro": "",
        "language": "nb",
        "currency": "NOK",
        "email": "post@ostfold.example",
        "phone": "",
        "street_address": "",
        "postcode": "",
        "city": "",
        "website": "",
        "display_name": "",
        "accent_colour": "",
        "footer_contact": "",
        "social_links_text": "",
        **values,
    }


def save(client, **values):
    return client.post("/staff/agency/", agency_form(**values))


def test_a_colour_too_light_for_text_is_refused_with_the_contrast_named(world, client_for):
    response = save(client_for(world.admin), accent_colour="#ffcc00")
    assert response.status_code == 200
    page = response.content.decode()
    assert "4.5:1" in page and "1.51:1" in page  # #ffcc00 on white
    world.agency.refresh_from_db()
    assert world.agency.accent_colour == ""
    assert not AuditEntry.objects.filter(action="directory.agency.updated").exists()


def test_the_accent_colour_reaches_the_pages_by_a_versioned_style_sheet(world, client_for):
    admin = client_for(world.admin)
    assert save(admin, accent_colour="#8A1538").status_code == 302
    agency = Agency.objects.get(pk=world.agency.pk)
    assert agency.accent_colour == "#8a1538" and agency.look_version == 2
    page = client_for(None).get("/").content.decode()
    assert '/agency.css?v=2"' in page
    css = client_for(None).get("/agency.css?v=2")
    assert css["Content-Type"].startswith("text/css")
    assert "--ds-color-accent-base-default: #8a1538" in css.content.decode()
    assert "immutable" in css["Cache-Control"]
    assert client_for(None).get("/agency.css?v=1")["Cache-Control"] == "no-cache"
    # The other agency keeps the default colours.
    other = client_for(None, host="jonkoping.testserver").get("/").content.decode()
    assert "/agency.css" not in other


def test_contrast_ratio_is_wcags():
    assert round(contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast_ratio("#0062ba", "#ffffff"), 2) >= 4.5
    assert contrast_ratio("#777777", "#ffffff") < 4.5  # 4.48: just below


@pytest.mark.parametrize(
    ("svg", "why"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "script"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "onload"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
            b'<image x:href="https://tracker.example/p.png"/></svg>',
            "image",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><a href="https://evil.example">'
            b"<rect/></a></svg>",
            "evil.example",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://x.example/a.css);'
            b"</style></svg>",
            "outside",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://x.example/f)"/>'
            b"</svg>",
            "outside",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
            "DOCTYPE",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>hi</p></foreignObject>'
            b"</svg>",
            "foreignobject",
        ),
        (b"<html><body>not svg</body></html>", "not a readable SVG"),
    ],
)
def test_an_svg_logo_that_could_run_or_fetch_anything_is_refused(world, client_for, svg, why):
    assert why in (svg_problem(svg) or "")
    response = client_for(world.admin).post(
        "/staff/agency/",
        {**agency_form(), "logo": SimpleUploadedFile("logo.svg", svg, "image/svg+xml")},
    )
    assert response.status_code == 200
    assert "logo" in response.content.decode().lower()
    world.agency.refresh_from_db()
    assert not world.agency.logo


def test_a_file_named_png_that_is_not_one_is_refused(world, client_for):
    response = client_for(world.admin).post(
        "/staff/agency/",
        {**agency_form(), "logo": SimpleUploadedFile("logo.png", b"GIF89a....", "image/png")},
    )
    assert response.status_code == 200
    assert "is not PNG" in response.content.decode()


def test_the_logo_name_footer_and_links_are_on_the_agencys_pages_only(world, client_for):
    admin = client_for(world.admin)
    response = admin.post(
        "/staff/agency/",
        {
            **agency_form(
                display_name="Bibliotekutvikling i Østfold",
                footer_contact="Åpent for rådgivning hverdager 8–15",
                social_links_text="Facebook https://facebook.example/bibliotekutvikling",
            ),
            "logo": SimpleUploadedFile("logo.svg", SVG, "image/svg+xml"),
        },
    )
    assert response.status_code == 302
    agency = Agency.objects.get(pk=world.agency.pk)
    page = client_for(None).get("/").content.decode()
    assert f'src="/agency-logo?v={agency.look_version}"' in page
    assert "Bibliotekutvikling i Østfold" in page
    assert "Åpent for rådgivning hverdager 8–15" in page
    assert 'href="https://facebook.example/bibliotekutvikling"' in page
    logo = client_for(None).get(f"/agency-logo?v={agency.look_version}")
    assert logo["Content-Type"] == "image/svg+xml"
    assert "sandbox" in logo["Content-Security-Policy"]
    assert logo.content == SVG
    other = client_for(None, host="jonkoping.testserver")
    assert "agency-logo" not in other.get("/").content.decode()
    assert other.get("/agency-logo").status_code == 404

    # A PNG replaces it; "Clear" removes it.
    admin.post(
        "/staff/agency/",
        {**agency_form(), "logo": SimpleUploadedFile("logo.png", PNG, "image/png")},
    )
    assert client_for(None).get("/agency-logo")["Content-Type"] == "image/png"
    admin.post("/staff/agency/", {**agency_form(), "logo-clear": "on"})
    assert not Agency.objects.get(pk=world.agency.pk).logo


def test_a_social_link_without_an_address_is_refused_with_its_line(world, client_for):
    response = save(
        client_for(world.admin), social_links_text="Facebook https://fb.example/a\nInstagram"
    )
    assert response.status_code == 200
    assert "Line 2" in response.content.decode()


def test_mails_carry_the_agencys_look(world):
    Agency.objects.filter(pk=world.agency.pk).update(
        display_name="Bibliotekutvikling i Østfold", accent_colour="#8a1538"
    )
    agency = Agency.objects.get(pk=world.agency.pk)
    agency.logo.save("logo.svg", SimpleUploadedFile("logo.svg", SVG), save=True)
    mail = render_to_string("emails/base_body.html", {"agency": agency})
    assert "Bibliotekutvikling i Østfold" in mail
    assert "border-bottom:4px solid #8a1538" in mail
    assert agency.logo_url.startswith("http") and "ostfold.testserver" in agency.logo_url
    assert f'src="{agency.logo_url}"' in mail
