from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.utils import translation

from bokbro.core.tasks import queue_message
from bokbro.core.types import Actor
from bokbro.directory.services import user_link_directory


class AccountAdapter(DefaultAccountAdapter):
    """allauth's hooks: sign-in links the user to the directory, and its mails go through
    Bokbro's mail queue like every other mail."""

    def login(self, request: HttpRequest, user: Actor) -> Any:
        response = super().login(request, user)
        user_link_directory(user=user)
        if not user.language:
            user.language = translation.get_language() or ""
            user.save(update_fields=["language"])
        return response

    def confirm_email(self, request: HttpRequest, email_address: Any) -> Any:
        result = super().confirm_email(request, email_address)
        user_link_directory(user=email_address.user)
        return result

    def recipient_language(self, email: str) -> str:
        """The language the recipient chose, else the page's (the agency's by default)."""
        from bokbro.accounts.models import User

        saved = User.objects.filter(email__iexact=email).values_list("language", flat=True).first()
        return saved or translation.get_language() or settings.LANGUAGE_CODE

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        from allauth.core import context as allauth_context

        request = allauth_context.request
        ctx = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            "agency": getattr(request, "agency", None),
            **context,
        }
        with translation.override(self.recipient_language(email)):
            message = self.render_mail(template_prefix, email, ctx)
        alternatives = getattr(message, "alternatives", [])
        html = next((body for body, mimetype in alternatives if mimetype == "text/html"), None)
        queue_message(
            to=list(message.to),
            subject=message.subject,
            text=message.body,
            html=html,
            from_email=message.from_email,
        )
