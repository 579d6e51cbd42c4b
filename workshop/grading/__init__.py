"""For the instructor after the day: grade a class's notebooks.

submissions (find each attendee's notebooks, never running them), grade (one
fenced sandbox per notebook), worker (the process that runs the checks in
there) and gradebook (the table, CSV, JSON and code beside the solution's).
"""
