"""The workshop's own tools: build, verify, check, catch up, grade.

In a notebook, `%load_ext workshop` adds the `%%save_file` cell magic, and
`from workshop import check, checkpoint, fresh_client, show` gives the helpers.
"""

from workshop.attendee.lab import (
    check,
    checkpoint,
    fresh_client,
    load_ipython_extension,
    show,
)

__all__ = ["check", "checkpoint", "fresh_client", "load_ipython_extension", "show"]
