"""Checks for 01 · Project structure."""

from workshop.checking import Checker, exercise

VERSION, NAME = "9.8.7-check", "Checked Service"


@exercise(
    "01.1",
    "Report the version in the health check",
    hint="return {'status': 'ok', 'version': request.app.state.settings.version}",
    env={"APP_VERSION": VERSION},
)
def health_reports_version(t: Checker) -> None:
    with t.client() as client:
        response = client.get("/health")
    t.expect(response.status_code == 200, "GET /health answers 200")
    body = response.json() if response.status_code == 200 else {}
    t.expect(body.get("status") == "ok", 'the body still says "status": "ok"')
    t.expect("version" in body, 'the body has a "version" field')
    t.expect(
        body.get("version") == VERSION,
        "the version comes from settings (the check set APP_VERSION)",
    )


@exercise(
    "01.2",
    "Describe the service at /api/v1/info",
    hint="In routers/meta.py: @router.get('/info', summary='Describe this service') "
    "on a function that returns name, version and environment from "
    "request.app.state.settings.",
    env={"APP_NAME": NAME, "APP_VERSION": VERSION, "APP_ENVIRONMENT": "test"},
)
def info_describes_service(t: Checker) -> None:
    with t.client() as client:
        response = client.get("/api/v1/info")
        spec = client.get("/openapi.json").json()
    t.expect(response.status_code == 200, "GET /api/v1/info answers 200")
    body = response.json() if response.status_code == 200 else {}
    expected = {"name": NAME, "version": VERSION, "environment": "test"}
    t.expect(body == expected, f"the body is {expected} (values from settings)")
    operation = spec.get("paths", {}).get("/api/v1/info", {}).get("get", {})
    t.expect(operation.get("tags") == ["meta"], "the route is tagged meta in /docs")
    t.expect(
        operation.get("summary") == "Describe this service",
        'its summary in /docs is "Describe this service"',
    )


@exercise(
    "01.3",
    "The title in /docs comes from settings",
    hint="In create_app: FastAPI(title=settings.name, ...)",
    env={"APP_NAME": NAME},
)
def title_from_settings(t: Checker) -> None:
    spec = t.app().openapi()
    t.expect(
        spec["info"]["title"] == NAME,
        "the OpenAPI title follows APP_NAME (the check set it)",
    )
