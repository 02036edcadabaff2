"""Publications in the admin, read-only: they change through the services (the check digits,
the plan goals, the audit log) on the staff pages."""

from django.contrib import admin

from bokbro.core.admin import ReadOnlyAdmin
from bokbro.publications import models


@admin.register(models.Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ["title", "year", "kind", "published_at", "agency"]
    list_filter = ["agency", "kind", "language", "year"]
    search_fields = ["title", "authors", "isbn", "issn"]


@admin.register(models.ScanItem)
class ScanItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "published_on", "source", "agency"]
    list_filter = ["agency"]
    search_fields = ["title", "url", "summary"]


@admin.register(models.ScanTag)
class ScanTagAdmin(ReadOnlyAdmin):
    list_display = ["name", "agency"]
    list_filter = ["agency"]


@admin.register(models.MagazineIssue)
class MagazineIssueAdmin(ReadOnlyAdmin):
    list_display = ["title", "published_at", "agency"]
    list_filter = ["agency"]


@admin.register(models.Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ["title", "author", "issue"]
    list_select_related = ["issue"]


@admin.register(models.ArticlePicture)
class ArticlePictureAdmin(ReadOnlyAdmin):
    list_display = ["description", "credit", "article"]
    list_select_related = ["article"]
