"""Demo content: the agencies' plans, municipal library plans and dialogues."""


def load() -> None:
    pass
