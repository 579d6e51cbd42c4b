"""Checks for 08 · Configuration.

Settings are given explicitly, with origins, addresses and networks chosen at
random for each run; production apps are built from a configuration that passes
everything else, so that only the rule of the exercise can refuse them.

Properties, each with the cases that exercise it:

08.1 (production_problems, CORS)
- Production starts with named https:// origins, and refuses every other:
  '*', an http:// origin, 'null', and an origin that holds https:// only later,
  each at every place in the list (first, between, last).
- A refusal is one problem that starts with APP_CORS_ORIGINS, listed with the
  other problems (a SQLite URL here), never raised on its own; it holds when a
  first administrator is set up too (a rule chained after another still runs).
- Development still accepts '*'.

08.2 (documentation_urls)
- In production /docs, /redoc and /openapi.json all answer 404 unless the
  setting turns them on; elsewhere they are served unless it turns them off.

08.3 (client_address)
- The client is the first address, from the right, that no trusted proxy
  vouches for: a direct request; a peer that is not a proxy (its header
  ignored); one, two and three trusted hops (a network and a single address);
  zero to two addresses forged on the left, and three; IPv4 and IPv6; a peer
  trusted or not; all compared with the rule written in the check.
- Text that is not an address ends the walk, at every place in the header.
- The login throttle counts each client behind the balancer apart.
"""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import Request

from workshop.checking import Checker, exercise

DOCS = ("/docs", "/redoc", "/openapi.json")
TOKEN = "/api/v1/auth/token"
SQLITE = "sqlite+aiosqlite:///var/app.db"  # refused in production, never opened


def _production(t: Checker, **values: Any) -> Any:
    """Production settings that pass every rule but the one being checked."""
    safe = {
        "environment": "production",
        "secret_key": secrets.token_urlsafe(32),
        "database_url": f"postgresql+asyncpg://app:{secrets.token_hex(4)}@db.internal/app",
    }
    return t.settings(**{**safe, **values})


def _refusal(t: Checker, settings: Any) -> list[str] | str:
    """The problems create_app refuses `settings` with ([] when it starts), or
    what it raised instead of UnsafeSettings."""
    from app.config_check import UnsafeSettings
    from app.main import create_app

    try:
        create_app(settings)
    except UnsafeSettings as refused:
        return list(refused.problems)
    except Exception as error:  # an answer that raised something else
        return f"{type(error).__name__}: {error}"
    return []


def _host() -> str:
    return f"{secrets.token_hex(3)}.example"


@exercise(
    "08.1",
    "Production accepts only named https origins",
    hints=(
        "Which origins may production trust? Name what is allowed, not what is "
        "forbidden: there are more bad origins than the two you think of first.",
        "Collect the origins of settings.cors_origins that do not start with "
        "https:// and, when there is at least one, append a single sentence to "
        "`problems` that starts with APP_CORS_ORIGINS. Append, do not raise: "
        "production_problems returns every problem at once.",
    ),
    steps=7,
)
def cors_origins_in_production(t: Checker) -> None:
    safe = [f"https://{_host()}" for _ in range(2)]
    got = _refusal(t, _production(t, cors_origins=safe))
    t.expect(
        got == [],
        "production starts with https:// origins, each named",
        got=f"{safe}: {got}",
    )
    host = _host()
    unsafe = {
        "*": "the wildcard '*' is refused",
        f"http://{host}": "an http:// origin is refused",
        "null": "the origin 'null' (sandboxed frames, local files) is refused",
        f"http://{host}/https://{host}": "an origin that only holds https:// later "
        "is refused",
    }
    for origin, text in unsafe.items():
        found = []
        for place in range(len(safe) + 1):  # first, between, last
            origins = [*safe[:place], origin, *safe[place:]]
            settings = _production(t, cors_origins=origins, database_url=SQLITE)
            problems = _refusal(t, settings)
            cors = [p for p in problems if p.startswith("APP_CORS_ORIGINS")]
            if not (
                isinstance(problems, list)
                and len(cors) == 1
                and any(p.startswith("APP_DATABASE_URL") for p in problems)
            ):
                found.append(f"{origins}: {problems}")
        t.expect(
            not found,
            f"{text}, wherever it stands: one problem starting with APP_CORS_ORIGINS, "
            "listed with the others (SQLite here)",
            got="; ".join(found),
        )
    admin = _production(
        t,
        cors_origins=[*safe, f"http://{host}"],
        first_admin_email=f"admin@{host}",
        first_admin_password=secrets.token_urlsafe(24),
    )
    problems = _refusal(t, admin)
    t.expect(
        isinstance(problems, list)
        and any(p.startswith("APP_CORS_ORIGINS") for p in problems),
        "an http:// origin is refused when a first administrator is set up too",
        got=problems,
    )
    development = t.settings(environment="development", cors_origins=["*"])
    got = _refusal(t, development)
    t.expect(got == [], "development still starts with '*'", got=got)


def _served(response: Any) -> str:
    """What a documentation URL answered: 404, or which of the three it is."""
    if response.status_code != 200:
        return str(response.status_code)
    if response.headers.get("content-type", "").startswith("application/json"):
        return "OpenAPI document" if "openapi" in response.json() else "other JSON"
    if "swagger-ui" in response.text:
        return "Swagger UI"
    return "ReDoc" if "redoc" in response.text else "another page"


def _docs(t: Checker, settings: Any) -> dict[str, str]:
    from fastapi.testclient import TestClient

    from app.main import create_app

    api = TestClient(create_app(settings))
    return {path: _served(api.get(path)) for path in DOCS}


@exercise(
    "08.2",
    "No documentation in production, unless asked",
    hints=(
        "Three URLs describe the API, and one of them is the document the other "
        "two only display. And docs_enabled, when it is set, has the last word.",
        "Decide `shown`: settings.docs_enabled when it is not None, otherwise "
        "whether the environment is not production. Return the three URLs "
        "(docs_url, redoc_url, openapi_url) when shown, and None for each of "
        "them otherwise.",
    ),
    steps=4,
)
def docs_follow_settings(t: Checker) -> None:
    hidden = dict.fromkeys(DOCS, "404")
    shown = dict(zip(DOCS, ("Swagger UI", "ReDoc", "OpenAPI document"), strict=True))
    got = _docs(t, _production(t))
    t.expect(got == hidden, "production serves none of the three by default", got=got)
    got = _docs(t, _production(t, docs_enabled=True))
    t.expect(
        got == shown,
        "APP_DOCS_ENABLED=true shows all three in production, each at its own URL",
        got=got,
    )
    got = {
        env: _docs(t, t.settings(environment=env)) for env in ("development", "test")
    }
    t.expect(
        all(answers == shown for answers in got.values()),
        "development and test serve all three by default, each at its own URL",
        got=got,
    )
    got = {
        env: _docs(t, t.settings(environment=env, docs_enabled=False))
        for env in ("development", "test")
    }
    t.expect(
        all(answers == hidden for answers in got.values()),
        "APP_DOCS_ENABLED=false hides all three in development and test",
        got=got,
    )


def _address(network: Any) -> str:
    return str(network[1 + secrets.randbelow(network.num_addresses - 2)])


def _outside() -> str:
    return f"{secrets.choice(['198.51.100', '203.0.113'])}.{1 + secrets.randbelow(254)}"


async def _whoami(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@exercise(
    "08.3",
    "Believe X-Forwarded-For only through trusted proxies",
    hints=(
        "Anyone can send X-Forwarded-For; only the end a trusted proxy wrote can "
        "be believed, and a proxy appends on the right.",
        "Start from the peer's address. Walk forwarded_for from its right end: "
        "while the address you hold is_trusted, take the next hop to the left (stop, keeping "
        "what you hold, at a hop that is not an IP address); the first address "
        "that is not trusted is the client. Return it.",
    ),
    steps=9,
)
def forwarded_for_through_trusted_proxies(t: Checker) -> None:
    from ipaddress import ip_network

    from fastapi.testclient import TestClient

    balancers = ip_network(f"10.{secrets.randbelow(256)}.0.0/16")
    edge = ip_network(f"172.{16 + secrets.randbelow(16)}.{secrets.randbelow(256)}.9/32")
    balancer, client, forged = _address(balancers), _outside(), _outside()
    app = t.app(trusted_proxies=[balancers, edge])
    app.add_api_route("/check-08-3/whoami", _whoami)

    def seen(peer: str, header: str | None) -> str:
        api = TestClient(app, client=(peer, 40000))
        headers = {"X-Forwarded-For": header} if header is not None else {}
        return api.get("/check-08-3/whoami", headers=headers).json()

    cases = [
        (client, None, client, "a direct request, without the header, is its peer"),
        (client, forged, client, "the header of a peer that is not a proxy is ignored"),
        (balancer, client, client, "through a trusted balancer, the client it names"),
        (
            balancer,
            f"{forged}, {client}",
            client,
            "an address the client forged on the left is not believed",
        ),
        (
            balancer,
            f"{client}, {edge.network_address}",
            client,
            "through two trusted proxies (a network and a single address)",
        ),
        (balancer, "unknown", balancer, "text that is not an address is not believed"),
    ]
    for peer, header, expected, text in cases:
        got = seen(peer, header)
        t.expect(
            got == expected,
            text,
            got=f"from {peer}, X-Forwarded-For: {header}: {got!r}, expected {expected!r}",
        )
    _walks_every_chain(t, balancers, edge)
    email = f"x-{secrets.token_hex(3)}@example.com"
    throttled = t.app(trusted_proxies=[balancers], login_attempts_per_window=2)
    with TestClient(
        throttled, client=(balancer, 40000), raise_server_exceptions=False
    ) as api:

        def sign_in(who: str) -> int:
            form = {"username": email, "password": secrets.token_hex(8)}
            answer = api.post(TOKEN, data=form, headers={"X-Forwarded-For": who})
            return answer.status_code

        first = [sign_in(client) for _ in range(3)]
        other = sign_in(forged)
    t.expect(
        first == [401, 401, 429] and other == 401,
        "the login throttle counts each client behind the balancer apart",
        got=f"3 tries from one client: {first}; then another client: {other}",
    )


def _expected_client(peer: str, hops: list[str], proxies: list[Any]) -> str:
    """The rule, written here on its own: from the peer leftwards, each address
    a trusted proxy vouches for, until one that is not a proxy or not an address."""
    from ipaddress import ip_address

    def trusted(text: str) -> bool:
        try:
            return any(ip_address(text) in network for network in proxies)
        except ValueError:
            return False

    def address(text: str) -> bool:
        try:
            ip_address(text)
        except ValueError:
            return False
        return True

    current, left = peer, list(hops)
    while left and trusted(current) and address(left[-1]):
        current = left.pop()
    return current


def _walks_every_chain(t: Checker, balancers: Any, edge: Any) -> None:
    """client_address on every shape of chain: 0-3 trusted hops, 0-2 forged
    addresses on the left, a trusted or untrusted peer, IPv4 and IPv6, and text
    that is not an address at every place."""
    from ipaddress import ip_network

    from app.middleware.proxies import client_address

    six = ip_network(f"fd{secrets.token_hex(1)}:{secrets.token_hex(2)}::/64")
    proxies = [balancers, edge, six]
    families = {
        "IPv4": (lambda: _address(balancers), _outside),
        "IPv6": (
            lambda: _address(six),
            lambda: f"2001:db8:{secrets.token_hex(2)}::{secrets.token_hex(2)}",
        ),
    }
    chains, wrong = [], []
    for family, (proxy, outsider) in families.items():
        for trusted in range(4):
            for forged in range(3):
                for peer in (proxy(), outsider()):
                    hops = [outsider() for _ in range(forged)] + [outsider()]
                    hops += [
                        proxy() if n % 2 else str(edge.network_address)
                        for n in range(trusted)
                    ]
                    chains.append((family, peer, hops))
        for place in range(4):  # text that is not an address, at every place
            hops = [outsider(), proxy(), proxy()]
            hops.insert(place, secrets.choice(["unknown", "", "1.2.3", "_hidden"]))
            chains.append((family, proxy(), hops))
    for family, peer, hops in chains:
        expected = _expected_client(peer, hops, proxies)
        try:
            got = client_address(peer, list(hops), proxies)
        except Exception as error:  # the answer's own mistake, shown as its result
            got = f"{type(error).__name__}: {error}"
        if got != expected:
            wrong.append(
                f"{family} peer {peer}, hops {hops}: {got!r}, expected {expected!r}"
            )
    t.expect(
        not wrong,
        f"client_address on {len(chains)} chains: the first address from the right "
        "that no trusted proxy vouches for, through any number of hops, IPv4 and IPv6",
        got="; ".join(wrong[:3])
        + (f" (and {len(wrong) - 3} more)" if len(wrong) > 3 else ""),
    )
    far = [_outside(), _outside(), _outside(), _address(balancers), _address(balancers)]
    got = client_address(_address(balancers), far, proxies)
    t.expect(
        got == far[2],
        "three addresses a client wrote on the left are none of them believed",
        got=f"hops {far}: {got!r}, expected {far[2]!r}",
    )
