"""Every write to projects (STYLE.md §2), one file per feature: projects with their partners and
measures (projects), the agency's funders with a project's funding lines and status reports
(funding), documents (documents); `common.py` holds what they share. Import each from its own
module; nothing is re-exported here.

Keyword-only, atomic, validated by the models' own rules (`full_clean`, which also checks the
CHECK and UNIQUE constraints with their messages), and audit-logged against the project, so the
project page shows one history of everything. Each takes its input as a frozen dataclass on
`core.inputs.Input` (`ProjectFields`, `PartnerFields`, …), whose defaults are the models'.

Rules that fail raise `django.core.exceptions.ValidationError` with messages in the user's
language; views put them on the form.
"""
