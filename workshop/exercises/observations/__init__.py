"""What checks observe where the app runs, one module per lesson (`@observation`).

A function here imports the attendee's app, does what a check cannot do through
a request or a call (build a probe route on one of the app's dependencies, drive
a middleware with raw ASGI messages) and returns plain data. When a lesson is
graded, these run in its sandbox and the check judges what they return in the
grader's process (workshop.grading.judge); importing this registers them all.
"""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
