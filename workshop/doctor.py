"""The old home of `workshop.attendee.doctor`: notebook 00 still imports `report` from here."""

from workshop.attendee.doctor import report

__all__ = ["report"]
