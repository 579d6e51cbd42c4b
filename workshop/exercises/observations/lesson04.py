"""What the checks of 04 · Authentication and authorization observe where the app runs."""

from typing import Any

from workshop.checking import app_settings, observation
from workshop.exercises.observations.lesson03 import probing
from workshop.exercises.observed import answer


async def _probe() -> dict[str, bool]:
    return {"ok": True}


@observation
def role_probes(
    settings: dict[str, Any], admin: str, user: str, password: str
) -> dict[str, Any]:
    """The answers of two probe routes added to the app built with `settings`,
    one behind `require_role("user")` ("users"), one behind
    `require_role("user", "admin")` ("all"), each asked by the first
    administrator `admin` and by `user`, signed up for the occasion, both with
    `password`; an answer that is not a token stops the observation."""
    from fastapi import Depends

    from app.dependencies import require_role
    from app.main import create_app
    from workshop import answers

    app = create_app(app_settings(**settings))
    probes = {
        "users": require_role("user"),
        "all": require_role("user", "admin"),
    }
    for name, dependency in probes.items():
        app.add_api_route(f"/check/{name}", _probe, dependencies=[Depends(dependency)])
    with probing(app) as (client, errors):
        signed_up = client.post(
            "/api/v1/users",
            json={"email": user, "full_name": "Probe", "password": password},
        )
        answers.json_of(signed_up, errors)
        tokens = {}
        for who, email in (("admin", admin), ("user", user)):
            signed_in = client.post(
                "/api/v1/auth/token", data={"username": email, "password": password}
            )
            tokens[who] = answers.json_of(signed_in, errors)["access_token"]
        return {
            name: {
                who: answer(
                    client.get(
                        f"/check/{name}",
                        headers={"Authorization": f"Bearer {token}"},
                    ),
                    errors,
                )
                for who, token in tokens.items()
            }
            for name in probes
        }
