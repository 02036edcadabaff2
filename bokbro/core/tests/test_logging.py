"""The console log: a refused request is one line with the user, the page and the reason."""

from __future__ import annotations

import io
import logging

from django.urls import reverse


def console_output(client, url: str) -> str:
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler))
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        response = client.get(url)
    finally:
        handler.setStream(previous)
    assert response.status_code == 403
    return stream.getvalue()


def test_a_refused_request_is_logged_as_one_line_without_a_traceback(world, client_for):
    url = reverse("agency:audit_log")
    output = console_output(client_for(world.staff), url)

    assert output.count("\n") == 1, output
    assert "Traceback" not in output
    assert f"Refused (403): user {world.staff.pk} GET {url} (view agency:audit_log)" in output
    assert world.staff.email not in output  # no personal data in the log
