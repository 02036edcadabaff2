"""The JSON API: one NinjaAPI; each module adds its router (the `api` of its contract, see
bokbro.core.modules). OpenAPI 3.1 at /api/openapi.json.

Every error is answered in one shape, and the description lists every status each operation can
answer (bokbro/core/apierrors.py; docs/architecture.md, "The API's errors")."""

from typing import Any

from ninja import NinjaAPI

from bokbro.api_reference import Reference
from bokbro.core import apierrors
from bokbro.core.modules import declared


class BokbroAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return apierrors.document(super().get_openapi_schema(**kwargs))


api = BokbroAPI(
    title="Bokbro API",
    version="1",
    description=(
        "Public data: the national directory, and the site's agency's events (with "
        "registration). The agency is the one the host name belongs to. The competence "
        "operations are for the agency's own team, signed in (401 without a session, 403 for "
        "anyone else). Every error is answered "
        "as an ErrorOut: a `code` for programs, a `detail` in the visitor's language, and the "
        "fields that were refused (`errors`)."
    ),
    docs_url="/docs",
    docs=Reference(),  # the reference page in the site's layout (bokbro/api_reference.py)
    urls_namespace="api",
)
apierrors.install(api)
for module, mount in declared("api"):
    api.add_router(mount.prefix, module.resolve(mount.target))
