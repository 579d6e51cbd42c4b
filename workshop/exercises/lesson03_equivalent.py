"""Mutants of lesson 03's solutions that its checks let live, and why.

`workshop mutants` prints each mutant's label; see
workshop.authoring.mutation.allowed for what belongs here.
"""

DOCUMENTS_ONLY = (
    "a description only documents the query parameter in /docs: no page is "
    "accepted or refused because of it"
)

EQUIVALENT = {
    "03.1": {
        'keyword removed: description="Items per page." → (removed)': DOCUMENTS_ONLY,
        "constant: description=\"Items per page.\" → description=''": DOCUMENTS_ONLY,
        'keyword removed: description="Items to skip." → (removed)': DOCUMENTS_ONLY,
        "constant: description=\"Items to skip.\" → description=''": DOCUMENTS_ONLY,
    },
}
