"""The newsletter module's pages, one file per feature: subscribing, preferences and the archive
for everyone (public), the staff's lists and imports (lists) and issues (issues). Staff pages
are for the agency's own team (`@staff_required` plus access.py)."""
