"""The networks' pages: public and members-only (public.py), the coordinators' and staff's
work (manage.py), meetings (meetings.py)."""
