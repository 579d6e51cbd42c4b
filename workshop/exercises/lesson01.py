"""Checks for 01 · Project structure.

Each check builds the app with settings of its own, with values chosen at random
for the run (workshop.exercises.chance), and puts other values in the
environment: only an answer that reads the settings given to `create_app` passes.

Properties, each with the cases that exercise it:

01.1 (GET /health)
- It still says "status": "ok", and its "version" is the version of the settings
  given to create_app, never APP_VERSION's: a random version, a decoy in the
  environment.

01.2 (GET /api/v1/info)
- Its body is exactly the name, version and environment of the settings given
  to create_app (random values, decoys in the environment).
- It is documented under the tag meta with the summary "Describe this service".

01.3 (the OpenAPI title)
- The title is the settings' name, for each app built: two apps with different
  names, decoys in the environment.
"""

from __future__ import annotations

from workshop.checking import Checker, exercise
from workshop.exercises.chance import draw, hex_token

DECOYS = {
    "APP_NAME": "Name From The Environment",
    "APP_VERSION": "0.0.0-environment",
    "APP_ENVIRONMENT": "development",
}


def _values() -> dict[str, str]:
    token = hex_token(draw())
    return {
        "name": f"Checked Service {token}",
        "version": f"9.{int(token, 16) % 97}.{token}",
        "environment": "test",
    }


@exercise(
    "01.1",
    "Report the version in the health check",
    hints=(
        "The app factory keeps the settings it was given on app.state; a route "
        "reaches the app through request.app.",
        "health() already receives the request. Follow it to the app, then to the "
        "state the factory filled in: the settings kept there have a version. Add "
        'it to the dictionary the route returns, under the key "version". Do not '
        "import the settings or read the environment in the route.",
    ),
    steps=4,
    env=DECOYS,
)
def health_reports_version(t: Checker) -> None:
    values = _values()
    with t.client(t.app(**values)) as client:
        response = client.get("/health")
    if not t.status(response, 200, "GET /health answers"):
        return
    body = t.json(response)
    t.expect(body.get("status") == "ok", 'the body still says "status": "ok"', body)
    t.expect("version" in body, 'the body has a "version" field', body)
    t.expect(
        body.get("version") == values["version"],
        "the version is the one in the settings given to create_app",
        got=f"{body.get('version')!r}, expected {values['version']!r}"
        + (
            " — that is APP_VERSION's"
            if body.get("version") == DECOYS["APP_VERSION"]
            else ""
        ),
    )


@exercise(
    "01.2",
    "Describe the service at /api/v1/info",
    hints=(
        "In routers/meta.py, decorate a function with @router.get('/info', "
        "summary=...); it can read the settings the same way /health does.",
        "The route function takes the request, finds the settings as /health "
        "does, and returns a dictionary with three keys: name, version and "
        "environment. The summary is the sentence the exercise gives, word for "
        "word. The tag comes from the router and /api/v1 from main.py, so the "
        "path in the decorator is only /info.",
    ),
    steps=4,
    env=DECOYS,
)
def info_describes_service(t: Checker) -> None:
    values = _values()
    with t.client(t.app(**values)) as client:
        response = client.get("/api/v1/info")
        spec = t.json(client.get("/openapi.json"))
    if not t.status(response, 200, "GET /api/v1/info answers"):
        return
    body = t.json(response)
    t.expect(
        body == values,
        "the body is the name, version and environment of the app's settings",
        got=f"{body}, expected {values}",
    )
    operation = spec.get("paths", {}).get("/api/v1/info", {}).get("get", {})
    t.expect(
        operation.get("tags") == ["meta"],
        "the route is tagged meta in /docs",
        got=operation.get("tags"),
    )
    t.expect(
        operation.get("summary") == "Describe this service",
        'its summary in /docs is "Describe this service"',
        got=repr(operation.get("summary")),
    )


@exercise(
    "01.3",
    "The title in /docs comes from settings",
    hints=(
        "Look at the arguments create_app passes to FastAPI(...): which of them "
        "still ignores the settings?",
        "FastAPI(title=...) is given a fixed string. create_app already holds the "
        "settings in a variable, and the version= argument just below shows how "
        "an argument uses them; the setting for the title is the service's name.",
    ),
    steps=2,
    env=DECOYS,
)
def title_from_settings(t: Checker) -> None:
    values = _values()
    title = t.app(**values).openapi()["info"]["title"]
    t.expect(
        title == values["name"],
        "the OpenAPI title is the name in the settings given to create_app",
        got=f"{title!r}, expected {values['name']!r}",
    )
    other = t.app(name="Another Deployment").openapi()["info"]["title"]
    t.expect(
        other == "Another Deployment",
        "a second app, built with another name, shows that name",
        got=repr(other),
    )
