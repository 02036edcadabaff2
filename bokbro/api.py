"""The JSON API: one NinjaAPI; each app adds its router. OpenAPI 3.1 at /api/openapi.json."""

from ninja import NinjaAPI

from bokbro.directory.api import router as directory_router

api = NinjaAPI(
    title="Bokbro API",
    version="1",
    description="Public data of the directory; agency data comes with each module.",
    docs_url="/docs",
    urls_namespace="api",
)
api.add_router("/directory/", directory_router)
