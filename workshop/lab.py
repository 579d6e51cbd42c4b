"""The old home of `workshop.attendee.lab`: notebook 00 still imports `root` from here."""

from workshop.attendee.lab import root

__all__ = ["root"]
