"""What the checks of 08 · Configuration observe where the app runs
(workshop.exercises.lesson08). Settings come in as JSON values, as a check gives
them to `t.app`; what the app did goes back as text, lists and numbers."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from workshop.checking import app_settings, is_plain, observation

WHOAMI = "/check-08-3/whoami"


@observation
def startup(settings: dict[str, Any]) -> dict[str, Any]:
    """What create_app did with these settings: the problems of the UnsafeSettings
    it raised, what else it raised, or neither when it built the app."""
    from app.config_check import UnsafeSettings
    from app.main import create_app

    try:
        create_app(app_settings(**settings))
    except UnsafeSettings as refused:
        return {"problems": [str(p) for p in refused.problems], "raised": ""}
    except Exception as error:  # an answer that raised something else
        return {"problems": [], "raised": f"{type(error).__name__}: {error}"}
    return {"problems": [], "raised": ""}


async def _whoami(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@observation
def clients_seen(settings: dict[str, Any], requests: list[list[Any]]) -> list[Any]:
    """What `request.client` held in a route added to the app, for each request
    [peer, X-Forwarded-For values] sent from the address `peer` (no header when
    the list is empty; one header line per value)."""
    from fastapi.testclient import TestClient

    from app.main import create_app

    app = create_app(app_settings(**settings))
    app.add_api_route(WHOAMI, _whoami)
    seen = []
    for peer, values in requests:
        api = TestClient(app, client=(peer, 40000))
        headers = [("X-Forwarded-For", value) for value in values]
        seen.append(api.get(WHOAMI, headers=headers).json())
    return seen


@observation
def sign_in_statuses(
    settings: dict[str, Any], peer: str, attempts: list[list[str]]
) -> list[int]:
    """The status of each sign-in [X-Forwarded-For, email, password], sent in
    turn from the address `peer` to one app."""
    from fastapi.testclient import TestClient

    from app.main import create_app

    app = create_app(app_settings(**settings))
    statuses = []
    with TestClient(app, client=(peer, 40000), raise_server_exceptions=False) as api:
        for forwarded_for, email, password in attempts:
            answer = api.post(
                "/api/v1/auth/token",
                data={"username": email, "password": password},
                headers={"X-Forwarded-For": forwarded_for},
            )
            statuses.append(answer.status_code)
    return statuses


@observation
def client_addresses(proxies: list[str], chains: list[list[Any]]) -> list[Any]:
    """What client_address returned for each chain [peer, hops], the trusted
    networks given as text: {"returned": value}, {"type": ...} for a value that
    is not plain data, or {"raised": "Type: message"}."""
    from ipaddress import ip_network

    from app.middleware.proxies import client_address

    networks = [ip_network(text) for text in proxies]
    answers: list[Any] = []
    for peer, hops in chains:
        try:
            value = client_address(peer, list(hops), networks)
        except Exception as error:  # the answer's own mistake, shown as its result
            answers.append({"raised": f"{type(error).__name__}: {error}"})
            continue
        plain = is_plain(value)
        answers.append({"returned": value} if plain else {"type": type(value).__name__})
    return answers
