"""Every time limit of the workshop's tools, in seconds, in one place."""

# One exercise check, run in a fresh interpreter (`check()`, `workshop check`).
CHECK = 60
# All of one notebook's checks when grading (`workshop grade --timeout`).
GRADING_PER_NOTEBOOK = 30
# One notebook cell, in `workshop execute` and the nbval suite.
NOTEBOOK_CELL = 300
