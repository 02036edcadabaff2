"""The old dotted path of tasks now in tasks.py. django-tasks-db keeps a queued task as its dotted
path, so rows queued before the move still name this module; kept until no such row can be left
(one release after the move)."""

from bokbro.events.tasks import announce_material  # noqa: F401
