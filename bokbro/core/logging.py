"""Log filters for Bokbro's console log (settings.LOGGING)."""

from __future__ import annotations

import logging


class RefusedOneLine(logging.Filter):
    """A refused request (403) is one line — who, which page, why — not a traceback.

    Django logs `PermissionDenied` on the `django.request` logger with the exception's traceback,
    which buries the few lines an operator needs among refusals that are the access rules working
    as meant. This keeps the record, drops the traceback and names the user (by id: no personal
    data in the log), the method, path and view, and the reason the code gave, if any."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != 403:
            return True
        request = getattr(record, "request", None)
        reason = ""
        if record.exc_info and record.exc_info[1] is not None:
            reason = str(record.exc_info[1])
        record.exc_info = None
        record.exc_text = None
        if request is None:
            return True
        user = getattr(request, "user", None)
        who = f"user {user.pk}" if user is not None and user.is_authenticated else "anonymous"
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else "-"
        record.msg = "Refused (403): %s %s %s (view %s): %s"
        record.args = (who, request.method, request.path, view, reason or "permission denied")
        return True
