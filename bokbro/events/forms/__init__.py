"""The forms of events, by feature: `public.py` (the calendar's filters, registering, a
manager's colleagues), `staff.py` (the event with its sessions and questions, the staff's list,
copy and cancel), `participants.py`, `material.py` and `economy.py`. They validate input; the
services (`events/services/`) write."""
