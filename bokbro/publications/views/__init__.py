"""The publications' pages: the public archive, a publication, its PDF and the Atom feed
(public.py); the agency team's list and forms (staff.py)."""
