"""Mutants of lesson 09's solutions that its checks let live, and why.

`workshop mutants` prints each mutant's label; see
workshop.authoring.mutation.allowed for what belongs here.
"""

EQUIVALENT = {
    "09.1": {
        "constant: \"SELECT 1\" → ''": (
            "readiness asks whether the database answers, not what: an empty "
            "statement goes over the connection like SELECT 1 (SQLite, which the "
            "checks run on, executes it) and fails the same way when the "
            "connection is broken"
        ),
    },
}
