"""The roles and expected answers of the access matrix, shared with the modules' own rows.

A module adds its pages to the matrix in `bokbro/<module>/tests/access.py` (see
`test_access_matrix.py` and docs/adding-a-module.md) and imports its answers from here.
"""

from __future__ import annotations

ROLES = (
    "anonymous",
    "public",
    "staff",
    "manager",
    "consultant",
    "admin",
    "outsider",
    "outsider_home",
)
OWN_HOST = "testserver"
OUTSIDER_HOST = "jonkoping.testserver"

# Expected answers. LOGIN: a redirect to the sign-in page; AWAY: a redirect elsewhere (allauth
# sends signed-in users from its sign-in pages to their own page).
LOGIN = "login"
AWAY = "away"
OPEN = (200,) * 8
SIGNED_IN = (LOGIN, 200, 200, 200, 200, 200, 200, 200)
# Agency staff of the site's agency; the outsider at home is staff there, but not of the region.
TEAM_GET = (LOGIN, 403, 403, 403, 200, 200, 403, 200)
TEAM_OBJECT = (LOGIN, 403, 403, 403, 200, 200, 403, 403)
ADMIN_ONLY = (LOGIN, 403, 403, 403, 403, 200, 403, 403)
# POST-only views answer GET with 405 once the role check has passed.
TEAM_POST_ONLY = (LOGIN, 403, 403, 403, 405, 405, 403, 405)
SIGN_IN_PAGE = (200, AWAY, AWAY, AWAY, AWAY, AWAY, AWAY, AWAY)
# Public pages about one of the Norwegian agency's objects: not found on the Swedish site.
ON_OWN_SITE = (200, 200, 200, 200, 200, 200, 200, 404)
