"""Mutants of lesson 04's solutions that its checks let live, and why.

`workshop mutants` prints each mutant's label; see
workshop.authoring.mutation.allowed for what belongs here.
"""

EQUIVALENT = {
    "04.1": {
        "constant: f\"type {claims['type']!r} where {expected!r} was expected\" → ''": (
            "every caller of read() answers InvalidToken with a 401 of its own words "
            "(or ignores it, on logout): this message never leaves the service"
        ),
    },
}
