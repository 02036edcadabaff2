"""Handing prepared messages to a mail server (see transport.py)."""
