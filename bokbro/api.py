"""The JSON API: one NinjaAPI; each module adds its router (the `api` of its contract, see
bokbro.core.modules). OpenAPI 3.1 at /api/openapi.json."""

from ninja import NinjaAPI

from bokbro.api_reference import Reference
from bokbro.core.modules import declared

api = NinjaAPI(
    title="Bokbro API",
    version="1",
    description=(
        "Public data: the national directory, and the site's agency's events (with "
        "registration). The agency is the one the host name belongs to."
    ),
    docs_url="/docs",
    docs=Reference(),  # the reference page in the site's layout (bokbro/api_reference.py)
    urls_namespace="api",
)
for module, mount in declared("api"):
    api.add_router(mount.prefix, module.resolve(mount.target))
