"""The projects module's pages, one file per feature: the public project pages (public), the
staff's project list, form and page (projects), a project's parts (parts), its documents
(documents) and the agency's funders (funders). Staff pages are for the agency's own team and,
read-only, partner agencies' staff (`@staff_required` plus access.py). Every change is a service
call (services/)."""
