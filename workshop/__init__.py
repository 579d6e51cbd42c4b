"""The workshop's own tools: build, verify, check, catch up, grade.

In a notebook, `%load_ext workshop` adds the `%%save_file` and `%delete_file`
magics and the room's calls (`join`, `leave`, `submit`), and `from workshop import check, checkpoint, fresh_client, run_tests,
show, start` (and `doctor`, `show_course`, and `join`/`leave` for the room's board) gives the
helpers. They live in
`workshop.attendee.lab`, imported on first use, so `import workshop` (the CLI, a
grading worker) stays cheap; so do `submit` (workshop.handin), which packs
the notebooks to hand in, and `save_progress`/`restore` (workshop.attendee.keep
and .restore), which carry one's progress to a new session.

The package, by who uses it:

- authoring/: from `solutions/` to notebooks/, the managed files and outputs;
- attendee/: what a notebook cell or an attendee's terminal calls;
- grading/: grading a class's notebooks;
- room/: the live board an instructor runs in the room (`workshop board`);
- at the top, what all of them share: where things are (project), changing
  managed files safely (disk), child interpreters (child), time limits
  (timeouts), the package sets and their pins (pins), how a check is written
  (checking, with the checks themselves in exercises/; answers and syntax,
  what a check reports), and the CLI.
"""

_NOTEBOOK_FACE = {
    "check",
    "checkpoint",
    "doctor",
    "fresh_client",
    "join",
    "leave",
    "load_ipython_extension",
    "run_tests",
    "show",
    "show_course",
    "start",
}
# Helpers of their own modules, by name: {name: module}.
_ELSEWHERE = {
    "submit": "workshop.handin",
    "save_progress": "workshop.attendee.keep",
    "restore": "workshop.attendee.restore",
}
__all__ = sorted({*_NOTEBOOK_FACE, *_ELSEWHERE})


def __getattr__(name: str) -> object:  # PEP 562: looked up on first use
    if name in _ELSEWHERE:
        import importlib

        return getattr(importlib.import_module(_ELSEWHERE[name]), name)
    if name in _NOTEBOOK_FACE:
        from workshop.attendee import lab

        return getattr(lab, name)
    raise AttributeError(f"module 'workshop' has no attribute {name!r}")
