"""Mutants of lesson 02's solutions that its checks let live, and why.

`workshop mutants` prints each mutant's label; see
workshop.authoring.mutation.allowed for what belongs here.
"""

DOCUMENTS_ONLY = (
    "a description only documents the field in /docs: no value is accepted or "
    "refused because of it"
)

EQUIVALENT = {
    "02.2": {
        'keyword removed: description="The price in cents, 0 or more." → (removed)': (
            DOCUMENTS_ONLY
        ),
        "constant: description=\"The price in cents, 0 or more.\" → description=''": (
            DOCUMENTS_ONLY
        ),
        'keyword removed: description="e.g. TEA-0001" → (removed)': DOCUMENTS_ONLY,
        "constant: description=\"e.g. TEA-0001\" → description=''": DOCUMENTS_ONLY,
    },
}
