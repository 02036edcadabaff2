"""Demo content for the follow-up: activities tagged with the plans' goals, report texts."""


def load() -> None:
    pass
