"""Every write to the plans module (STYLE.md §2), one file per feature: the agency's plans
(plans), the parts of their trees and the indicators' values (parts), municipal library plans
(municipal) and annual dialogues with their templates (dialogues). Keyword-only, atomic,
validated by the models' own rules (`full_clean`, which checks the CHECK and UNIQUE constraints
with their messages) and by the rules the models cannot hold (a goal under a focus area of the
same plan, a municipality of the agency's region…), and audit-logged ("plans.<thing>.<verb>").

The plan's tree (focus areas, goals, strategies, measures, indicators) is logged against the
plan, so the plan page shows one history. Rules that fail raise
`django.core.exceptions.ValidationError`; views put the messages on the form.

The register's reads (status under KB's rule, counts) are in `kb.py`.
"""
