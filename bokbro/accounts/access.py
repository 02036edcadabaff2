"""Access to accounts: a page of this app acts on the signed-in user's own account, and on no
other (its URLs name no account)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from bokbro.accounts.models import User


def own_account(request: HttpRequest) -> User:
    """The signed-in user's account (call from a `login_required` view).

    A request without a signed-in user is refused here too, so a view that lost its decorator
    fails closed instead of handing an anonymous user to the export or the erasure."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user
