"""Where an agency's site is: one install serves several agencies, each on its own host."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def base_url(hosts: list[str]) -> str:
    """An agency's site: its first host name, with the scheme and port of `SITE_ROOT` (one
    install serves several agencies, each on its own host); `SITE_ROOT` itself for an agency
    without a host name."""
    root = urlsplit(settings.SITE_ROOT)
    if not hosts:
        return settings.SITE_ROOT.rstrip("/")
    port = f":{root.port}" if root.port else ""
    return f"{root.scheme}://{hosts[0]}{port}"
