"""The JSON API: one NinjaAPI; each app adds its router. OpenAPI 3.1 at /api/openapi.json."""

from ninja import NinjaAPI

from bokbro.directory.api import router as directory_router
from bokbro.events.api import router as events_router
from bokbro.projects.api import router as projects_router

api = NinjaAPI(
    title="Bokbro API",
    version="1",
    description=(
        "Public data: the national directory, and the site's agency's events (with "
        "registration). The agency is the one the host name belongs to."
    ),
    docs_url="/docs",
    urls_namespace="api",
)
api.add_router("/directory/", directory_router)
api.add_router("/events/", events_router)
api.add_router("/projects/", projects_router)
