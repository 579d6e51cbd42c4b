"""For the attendee: what a notebook cell or a terminal command calls during the day.

lab (the `%load_ext workshop` magics and helpers), feedback (an exercise check
in a fresh interpreter, in plain words), catchup (a lesson's checkpoint,
without losing the attendee's work) and doctor (is this machine ready).
"""
