from django.contrib import admin

from bokbro.core.admin import ReadOnlyAdmin
from bokbro.directory import models


@admin.register(models.County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "country"]
    list_filter = ["country"]
    search_fields = ["name", "code"]


@admin.register(models.Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "county", "population"]
    list_filter = ["country", "county"]
    search_fields = ["name", "code"]


@admin.register(models.MunicipalityChange)
class MunicipalityChangeAdmin(admin.ModelAdmin):
    list_display = ["old_code", "old_name", "new_code", "new_name", "changed_on"]
    search_fields = ["old_code", "new_code", "old_name", "new_name"]


@admin.register(models.Library)
class LibraryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "sigel", "is_derived"]
    list_filter = ["kind", "is_derived", "source"]
    search_fields = ["name", "sigel"]
    raw_id_fields = ["municipality", "county"]


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name"]
    raw_id_fields = ["municipality"]


class LibraryRoleInline(admin.TabularInline):
    model = models.LibraryRole
    raw_id_fields = ["library"]
    extra = 0


@admin.register(models.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "title"]
    search_fields = ["name", "email"]
    raw_id_fields = ["organisation", "user"]
    inlines = [LibraryRoleInline]


class TeamMemberInline(admin.TabularInline):
    model = models.TeamMember
    raw_id_fields = ["user"]
    extra = 0


@admin.register(models.Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "country", "language", "hosts", "is_default"]
    filter_horizontal = ["counties"]
    inlines = [TeamMemberInline]


@admin.register(models.PendingColleague)
class PendingColleagueAdmin(ReadOnlyAdmin):
    """Confirmed or turned down by the library's manager or the agency (directory/colleagues.py)."""

    list_display = ["name", "email", "library", "created_at"]
    search_fields = ["name", "email", "library__name"]
