"""Every write to events and registrations (STYLE.md §2), by feature. Callers import the feature
module; nothing is re-exported here.

- `events.py`: create, change, publish, cancel and copy an event; topics
- `registrations.py`: registering, with the seat accounting it shares, and its errors;
  `registration_sql.py`: the rule itself, the batch of statements both databases run
- `places.py`: what happens to a place afterwards: cancellation, offers, a manager's approval,
  staff moving someone from the waiting list, and the promotion of the waiting list
- `notices.py`: what participants are told: the notification outbox, e-mails queued after
  commit, an organiser's e-mail to the participants
- `material.py`, `economy.py`, `attendance.py`: material, budget lines, attendance,
  certificates and the evaluation

E-mails go out as tasks (`events/tasks.py`) enqueued after commit; the tasks do their work in
`events/mails.py`, which imports no service.
"""
