"""The catalogue as a file, for the agency's team: upload a CSV or XLSX file of titles and sets,
or download the catalogue in the same format."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bokbro.classsets import catalogue_file
from bokbro.classsets.forms import CatalogueImportForm
from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required


@staff_required
def catalogue_import(request: StaffRequest) -> HttpResponse:
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    problems: list[catalogue_file.Problem] = []
    if request.method == "POST" and form.is_valid():
        name, content = form.cleaned_data["file"]
        try:
            result = catalogue_file.import_file(
                actor=request.user, agency=request.agency, name=name, content=content
            )
        except catalogue_file.ImportFailed as failed:
            problems = failed.problems
            form.add_error("file", _("Nothing was imported: the file has errors (below)."))
        else:
            made = result.created
            if result.changed_anything:
                messages.success(
                    request,
                    _(
                        "Rows read: %(rows)s. New titles: %(new)s. Titles changed: %(changed)s. "
                        "Sets added or changed: %(sets)s."
                    )
                    % {
                        "rows": result.rows,
                        "new": made.get("titles", 0),
                        "changed": made.get("titles changed", 0),
                        "sets": made.get("sets added", 0) + made.get("sets changed", 0),
                    },
                )
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(rows)s row read: the catalogue already was as the file says.",
                        "%(rows)s rows read: the catalogue already was as the file says.",
                        result.rows,
                    )
                    % {"rows": result.rows},
                )
            return redirect("classsets:staff_titles")
    return render(
        request,
        "classsets/staff/import.html",
        {"form": form, "problems": problems, "columns": catalogue_file.COLUMNS},
        status=400 if problems else 200,
    )


@staff_required
def catalogue_export(request: StaffRequest) -> HttpResponse:
    kind = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return catalogue_file.export_response(request.agency, kind)
