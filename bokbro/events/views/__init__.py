"""The pages of events, by feature: `public.py` (the calendar, the archive, the month, the feeds
and an event's page), `registration.py` (registering, the personal link, a manager's approvals,
a user's own events), `staff.py` (the staff's list of events, the event form and page),
`participants.py` (the participant list, its actions, exports and e-mail), `attendance.py`,
`material.py` and `economy.py`. Every change is a service call (`events/services/`)."""
