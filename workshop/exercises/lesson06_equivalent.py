"""Mutants of lesson 06's solutions that its checks let live, and why.

`workshop mutants` prints each mutant's label; see
workshop.authoring.mutation.allowed for what belongs here.
"""

EQUIVALENT = {
    "06.1": {
        "constant: 0 → -1": (
            "no path, query, header or cookie parameter of the service is a list "
            "or a model: the path to it is its name alone, so its first item is "
            "its last"
        ),
    },
    "06.3": {
        'condition removed: message["type"] == "http.request" → True': (
            "the only other message receive() returns is http.disconnect, which "
            "carries no body: counting it adds 0"
        ),
        "constant: b\"\" → b'mutant'": (
            "the default is used only when a server leaves out an http.request's "
            "body, which the ASGI spec allows but Uvicorn and httpx's ASGITransport "
            "never do: no client can send a request that reaches it"
        ),
    },
}
