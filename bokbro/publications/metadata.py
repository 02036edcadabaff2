"""Reading a page's own metadata for a horizon-scanning item: the title, description, site name
and publication date from `<title>`, `<meta name="description">` and the Open Graph tags.

When the server cannot reach the page — no network, a timeout, an error status, not HTML — the
answer is simply empty and the consultant writes the fields. Only http(s) on public addresses is
fetched (a pasted link must not make the server call into its own network), at most 512 KB,
within 4 seconds, following at most three redirects, each checked the same way.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser

TIMEOUT = 4
MAX_BYTES = 512 * 1024
MAX_REDIRECTS = 3
# Tests serve pages from 127.0.0.1; they turn this on (never in settings).
ALLOW_PRIVATE_HOSTS = False


@dataclass(frozen=True)
class PageMetadata:
    title: str = ""
    description: str = ""
    site_name: str = ""
    published_on: date | None = None


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "title":
            self._in_title = True
        elif tag == "meta":
            key = (values.get("property") or values.get("name") or "").lower()
            if key and key not in self.meta and values.get("content"):
                self.meta[key] = values["content"].strip()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def parse(html: str) -> PageMetadata:
    parser = _Parser()
    parser.feed(html)
    meta = parser.meta
    title = meta.get("og:title") or " ".join(parser.title.split())
    published = meta.get("article:published_time") or meta.get("date") or ""
    return PageMetadata(
        title=title[:300],
        description=(meta.get("og:description") or meta.get("description") or "")[:2000],
        site_name=(meta.get("og:site_name") or "")[:200],
        published_on=_date(published) if published else None,
    )


def _allowed(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return False
    if ALLOW_PRIVATE_HOSTS:
        return True
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(parts.hostname, None)}
    except OSError:
        return False
    return all(ipaddress.ip_address(a.split("%")[0]).is_global for a in addresses)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _fetch(url: str) -> str | None:
    opener = urllib.request.build_opener(_NoRedirect)
    for _hop in range(MAX_REDIRECTS + 1):
        if not _allowed(url):
            return None
        # The scheme is http(s) and the host public: `_allowed` above.
        request = urllib.request.Request(  # noqa: S310
            url, headers={"User-Agent": "Bokbro (horizon scanning)", "Accept": "text/html"}
        )
        try:
            with opener.open(request, timeout=TIMEOUT) as response:
                if "html" not in response.headers.get("Content-Type", ""):
                    return None
                charset = response.headers.get_content_charset() or "utf-8"
                return response.read(MAX_BYTES).decode(charset, errors="replace")
        except urllib.error.HTTPError as error:
            location = error.headers.get("Location") if 300 <= error.code < 400 else None
            if not location:
                return None
            url = urllib.parse.urljoin(url, location)
        except (urllib.error.URLError, OSError, ValueError):
            return None
    return None


def read(url: str) -> PageMetadata:
    """The page's metadata, or an empty answer when it cannot be read."""
    html = _fetch(url)
    return parse(html) if html else PageMetadata()
