"""System checks: a malformed agency relay (`BOKBRO_SMTP_<SLUG>`) stops `manage.py check` and
every command (the sending worker's included) at start with a clear message, instead of failing
while a newsletter is being sent."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from bokbro.newsletter.relays import PREFIX, relay_parse, relays_configured, variable_for


@register()
def relays_parse(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    for variable, url in sorted(relays_configured().items()):
        try:
            relay_parse(variable, url)
        except ImproperlyConfigured as error:
            errors.append(
                Error(
                    str(error),
                    hint="Example: smtp+starttls://user:password@smtp.example.org:587"
                    "?from=newsletter@example.org (user and password URL-encoded).",
                    id="newsletter.E001",
                )
            )
    return errors


@register(Tags.database)
def relays_name_agencies(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list:
    """`manage.py check --database default`: every relay variable names an agency."""
    configured = relays_configured()
    if not configured or not databases:
        return []
    from bokbro.directory.models import Agency

    known = {variable_for(slug) for slug in Agency.objects.values_list("slug", flat=True)}
    return [
        Warning(
            f"{variable} names no agency: no agency's slug is "
            f"“{variable.removeprefix(PREFIX).lower().replace('_', '-')}”.",
            hint="The variable is BOKBRO_SMTP_ and the agency's slug in upper case, - as _.",
            id="newsletter.W002",
        )
        for variable in sorted(configured)
        if variable not in known
    ]
