"""Checks for 08 · Configuration.

Settings are given explicitly, with origins, addresses and networks chosen at
random for each run; production apps are built from a configuration that passes
everything else, so that only the rule of the exercise can refuse them. When
graded, these checks are judged outside the sandbox (workshop.grading.judge):
settings go to the app as JSON values, and what create_app refused, what a route
saw in request.client and what client_address returned are observed where the
app runs (workshop.exercises.observations.lesson08); the verdict is made here.

Properties, each with the cases that exercise it:

08.1 (production_problems, CORS)
- Production starts with named https:// origins, and refuses every other:
  '*', an http:// origin, one on this machine (http://localhost), 'null', an
  origin of another scheme (a browser extension's), and an origin that holds
  https:// only later, each at every place in the list (first, between, last).
- A refusal is one problem that starts with APP_CORS_ORIGINS, listed with the
  other problems (a SQLite URL here), never raised on its own; it holds when a
  first administrator is set up too (a rule chained after another still runs).
- Development still accepts '*'.

08.2 (documentation_urls)
- In production /docs, /redoc and /openapi.json all answer 404 unless the
  setting turns them on; elsewhere they are served unless it turns them off.
  The setting, when given, decides in every environment: true and false each
  in production, development and test.

08.3 (client_address)
- The client is the first address, from the right, that no trusted proxy
  vouches for: a direct request; a peer that is not a proxy (its header
  ignored); one, two, three and sixteen trusted hops (a network and a single
  address);
  zero to two addresses forged on the left, and three; IPv4 and IPv6; a peer
  trusted or not; all compared with the rule written in the check.
- Text that is not an address ends the walk, at every place in the header.
- On chains drawn for the run (workshop.exercises.chance: 1 to 12 hops, IPv4,
  IPv6 and IPv4-mapped IPv6, up to seven trusted hops in a row, text that is not
  an address now and then, a peer trusted or not, trusted networks of every
  width drawn), client_address answers as the solution's does, run in the
  check's process (workshop.exercises.differential); so does request.client when
  the same chains come as headers with spaces and tabs around the commas, empty
  elements, over several header lines.
- The login throttle counts each client behind the balancer apart.
"""

from __future__ import annotations

import random
import secrets
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network
from typing import Any

from workshop.checking import Checker, exercise
from workshop.exercises.chance import draw, hex_token
from workshop.exercises.differential import solution_function
from workshop.exercises.observations.lesson08 import (
    client_addresses,
    clients_seen,
    sign_in_statuses,
    startup,
)

DOCS = ("/docs", "/redoc", "/openapi.json")
SQLITE = "sqlite+aiosqlite:///var/app.db"  # refused in production, never opened
Network = IPv4Network | IPv6Network


def _production(**values: Any) -> dict[str, Any]:
    """Production settings that pass every rule but the one being checked."""
    safe = {
        "environment": "production",
        "secret_key": secrets.token_urlsafe(32),
        "database_url": f"postgresql+asyncpg://app:{secrets.token_hex(4)}@db.internal/app",
    }
    return {**safe, **values}


def _refusal(t: Checker, settings: dict[str, Any]) -> list[str] | str:
    """The problems create_app refuses `settings` with ([] when it starts), or
    what it raised instead of UnsafeSettings."""
    seen = t.observe(startup, settings=settings)
    if not isinstance(seen, dict):
        return f"an answer that is not a startup's: {seen!r}"
    problems, raised = seen.get("problems"), seen.get("raised")
    if raised:
        return str(raised)
    if type(problems) is not list or not all(type(p) is str for p in problems):
        return f"an answer that is not a list of problems: {problems!r}"
    return problems


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
    steps=9,
)
def cors_origins_in_production(t: Checker) -> None:
    safe = [f"https://{_host()}" for _ in range(2)]
    got = _refusal(t, _production(cors_origins=safe))
    t.expect(
        got == [],
        "production starts with https:// origins, each named",
        got=f"{safe}: {got}",
    )
    host = _host()
    unsafe = {
        "*": "the wildcard '*' is refused",
        f"http://{host}": "an http:// origin is refused",
        f"http://localhost:{draw().randrange(1024, 65536)}": "an http:// origin on "
        "this machine (localhost) is refused",
        "null": "the origin 'null' (sandboxed frames, local files) is refused",
        f"chrome-extension://{secrets.token_hex(16)}": "an origin of another scheme "
        "(a browser extension's) is refused",
        f"http://{host}/https://{host}": "an origin that only holds https:// later "
        "is refused",
    }
    for origin, text in unsafe.items():
        found = []
        for place in range(len(safe) + 1):  # first, between, last
            origins = [*safe[:place], origin, *safe[place:]]
            settings = _production(cors_origins=origins, database_url=SQLITE)
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
    development = {"environment": "development", "cors_origins": ["*"]}
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


def _docs(t: Checker, settings: dict[str, Any]) -> dict[str, str]:
    with t.client(t.app(**settings)) as api:
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
    steps=6,
)
def docs_follow_settings(t: Checker) -> None:
    hidden = dict.fromkeys(DOCS, "404")
    shown = dict(zip(DOCS, ("Swagger UI", "ReDoc", "OpenAPI document"), strict=True))
    got = _docs(t, _production())
    t.expect(got == hidden, "production serves none of the three by default", got=got)
    got = _docs(t, _production(docs_enabled=True))
    t.expect(
        got == shown,
        "APP_DOCS_ENABLED=true shows all three in production, each at its own URL",
        got=got,
    )
    got = _docs(t, _production(docs_enabled=False))
    t.expect(
        got == hidden, "APP_DOCS_ENABLED=false hides them in production too", got=got
    )
    elsewhere = (
        (
            None,
            shown,
            "development and test serve all three by default, each at its own URL",
        ),
        (
            False,
            hidden,
            "APP_DOCS_ENABLED=false hides all three in development and test",
        ),
        (
            True,
            shown,
            "APP_DOCS_ENABLED=true serves all three in development and test too",
        ),
    )
    for setting, expected, text in elsewhere:
        by_env = {
            env: _docs(t, {"environment": env, "docs_enabled": setting})
            for env in ("development", "test")
        }
        t.expect(
            all(answers == expected for answers in by_env.values()), text, got=by_env
        )


def _address(network: Any) -> str:
    return str(network[1 + draw().randrange(network.num_addresses - 2)])


def _outside(*taken: str) -> str:
    """An address outside every trusted network, none of `taken`: two clients
    drawn the same would share the throttle's count."""
    rng = draw()
    while True:
        address = f"{rng.choice(['198.51.100', '203.0.113'])}.{rng.randrange(1, 255)}"
        if address not in taken:
            return address


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
    steps=11,
)
def forwarded_for_through_trusted_proxies(t: Checker) -> None:
    rng = draw()
    balancers = ip_network(f"10.{rng.randrange(256)}.0.0/16")
    edge = ip_network(f"172.{16 + rng.randrange(16)}.{rng.randrange(256)}.9/32")
    balancer, client = _address(balancers), _outside()
    forged = _outside(client)
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
    seen = t.observe(
        clients_seen,
        settings={"trusted_proxies": [str(balancers), str(edge)]},
        requests=[
            [peer, [] if header is None else [header]] for peer, header, _, _ in cases
        ],
    )
    for (peer, header, expected, text), got in zip(cases, seen, strict=True):
        t.expect(
            got == expected,
            text,
            got=f"from {peer}, X-Forwarded-For: {header}: {got!r}, expected {expected!r}",
        )
    _walks_every_chain(t, balancers, edge)
    _agrees_on_drawn_chains(t, draw())
    email = f"x-{secrets.token_hex(3)}@example.com"
    statuses = t.observe(
        sign_in_statuses,
        settings={"trusted_proxies": [str(balancers)], "login_attempts_per_window": 2},
        peer=balancer,
        attempts=[
            [who, email, secrets.token_hex(8)] for who in [client] * 3 + [forged]
        ],
    )
    first, other = statuses[:3], statuses[3:]
    t.expect(
        first == [401, 401, 429] and other == [401],
        "the login throttle counts each client behind the balancer apart",
        got=f"3 tries from one client: {first}; then another client: {other}",
    )


def _expected_client(peer: str, hops: list[str], proxies: list[Any]) -> str:
    """The rule, written here on its own: from the peer leftwards, each address
    a trusted proxy vouches for, until one that is not a proxy or not an address."""

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


def _answered(seen: Any) -> str:
    """What client_address did, as an observation reports it."""
    if isinstance(seen, dict) and "returned" in seen:
        return repr(seen["returned"])
    if isinstance(seen, dict) and "raised" in seen:
        return f"raised {seen['raised']}"
    return f"a {seen.get('type') if isinstance(seen, dict) else seen!r}"


def _walks_every_chain(t: Checker, balancers: Any, edge: Any) -> None:
    """client_address on every shape of chain: 0-3 and 16 trusted hops, 0-2 forged
    addresses on the left, a trusted or untrusted peer, IPv4 and IPv6, and text
    that is not an address at every place."""
    rng = draw()
    six = ip_network(f"fd{hex_token(rng, 1)}:{hex_token(rng, 2)}::/64")
    proxies = [balancers, edge, six]
    families = {
        "IPv4": (lambda: _address(balancers), _outside),
        "IPv6": (
            lambda: _address(six),
            lambda: f"2001:db8:{hex_token(rng, 2)}::{hex_token(rng, 2)}",
        ),
    }
    chains = []
    for family, (proxy, outsider) in families.items():
        for trusted in (0, 1, 2, 3, 16):  # a cap on the walk shows at 16
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
            hops.insert(place, rng.choice(["unknown", "", "1.2.3", "_hidden"]))
            chains.append((family, proxy(), hops))
    far = [_outside(), _outside(), _outside(), _address(balancers), _address(balancers)]
    chains.append(("IPv4", _address(balancers), far))
    seen = t.observe(
        client_addresses,
        proxies=[str(network) for network in proxies],
        chains=[[peer, hops] for _, peer, hops in chains],
    )
    wrong = []
    for (family, peer, hops), got in zip(chains[:-1], seen, strict=False):
        expected = _expected_client(peer, hops, proxies)
        if got != {"returned": expected}:
            wrong.append(
                f"{family} peer {peer}, hops {hops}: {_answered(got)}, "
                f"expected {expected!r}"
            )
    t.expect(
        len(seen) == len(chains) and not wrong,
        f"client_address on {len(chains) - 1} chains: the first address from the "
        "right that no trusted proxy vouches for, through any number of hops, IPv4 "
        "and IPv6",
        got="; ".join(wrong[:3])
        + (f" (and {len(wrong) - 3} more)" if len(wrong) > 3 else ""),
    )
    got = seen[-1] if len(seen) == len(chains) else None
    t.expect(
        got == {"returned": far[2]},
        "three addresses a client wrote on the left are none of them believed",
        got=f"hops {far}: {_answered(got)}, expected {far[2]!r}",
    )


DRAWN = 60  # chains drawn for the differential steps of 08.3


def _drawn_networks(rng: random.Random) -> list[Network]:
    """Trusted networks for the run: IPv4 and IPv6, wide and narrow, single
    addresses among them."""
    networks: list[Network] = []
    for _ in range(rng.randint(1, 3)):
        base = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}"
        networks.append(
            ip_network(f"{base}/{rng.choice([8, 16, 24, 28, 32])}", strict=False)
        )
    for _ in range(rng.randint(1, 2)):
        base = f"fd{rng.randrange(256):02x}:{rng.randrange(65536):x}::{rng.randrange(65536):x}"
        networks.append(
            ip_network(f"{base}/{rng.choice([48, 64, 112, 128])}", strict=False)
        )
    return networks


def _inside(rng: random.Random, network: Network) -> str:
    return str(network[rng.randrange(network.num_addresses)])


def _stranger(rng: random.Random) -> str:
    """An address no drawn network holds: IPv4, IPv6, or IPv4-mapped IPv6
    (RFC 4291, section 2.5.5.2)."""
    four = f"{rng.choice(['198.51.100', '203.0.113'])}.{rng.randrange(1, 255)}"
    return rng.choice(
        [
            four,
            f"2001:db8:{rng.randrange(65536):x}::{rng.randrange(1, 65536):x}",
            f"::ffff:{four}",
        ]
    )


def _drawn_chain(rng: random.Random, networks: list[Network]) -> tuple[str, list[str]]:
    """A peer and X-Forwarded-For's addresses: 0-3 anything on the left, the
    client, then 0-7 hops inside trusted networks, now and then broken by text
    that is not an address. (No IPv4-mapped form of a trusted address: whether
    `::ffff:10.0.0.1` is inside 10.0.0.0/8 is a choice either way, RFC 4291
    section 2.5.5.2; mapped strangers are untrusted in both readings.)"""

    def proxy() -> str:
        return _inside(rng, rng.choice(networks))

    left = [
        rng.choice([proxy, lambda: _stranger(rng)])() for _ in range(rng.randint(0, 3))
    ]
    hops = [*left, _stranger(rng)] + [proxy() for _ in range(rng.randint(0, 7))]
    if rng.random() < 0.25:
        odd = rng.choice(["unknown", "_hidden", "1.2.3"])
        hops.insert(rng.randint(0, len(hops)), odd)
    peer = proxy() if rng.random() < 0.8 else _stranger(rng)
    return peer, hops


def _header_lines(rng: random.Random, hops: list[str]) -> list[str]:
    """The hops written as a proxy chain might: one or more header lines, spaces
    and tabs around the commas, an empty element now and then (RFC 9110, section
    5.6.1: a list's elements are separated by commas with optional whitespace,
    and empty ones are ignored)."""
    lines, line = [], []
    for hop in hops:
        line.append(hop + rng.choice(["", " ", "\t", "  "]))
        if rng.random() < 0.15:
            line.append("")
        if rng.random() < 0.2:
            lines.append(line)
            line = []
    lines.append(line)
    sep = lambda: rng.choice([",", ", ", " ,", ",\t", " , "])  # noqa: E731
    texts = []
    for line in lines:
        text = ""
        for n, element in enumerate(line):
            text += (sep() if n else rng.choice(["", " "])) + element
        texts.append(text.strip(" \t"))
    return [text for text in texts if text]


def _agrees_on_drawn_chains(t: Checker, rng: random.Random) -> None:
    """Two steps: client_address, then request.client through the middleware,
    against the solution's client_address, run here, on chains drawn for the run."""
    solution = solution_function("08.3", "client_address", ("is_trusted",))
    networks = _drawn_networks(rng)
    proxies = [str(network) for network in networks]
    chains = [_drawn_chain(rng, networks) for _ in range(DRAWN)]
    expected = [solution(peer, hops, networks) for peer, hops in chains]
    seen = t.observe(
        client_addresses, proxies=proxies, chains=[[p, h] for p, h in chains]
    )
    differs = [
        f"peer {peer}, hops {hops}, trusted {proxies}: yours gave {_answered(got)}, "
        f"the solution {want!r}"
        for (peer, hops), got, want in zip(chains, seen, expected, strict=False)
        if got != {"returned": want}
    ]
    t.expect(
        len(seen) == DRAWN and not differs,
        f"on {DRAWN} chains drawn for this run (IPv4, IPv6 and IPv4-mapped addresses, "
        "1 to 12 hops, trusted networks drawn), client_address answers as the "
        "solution's",
        got=differs[0] if differs else f"{len(seen)} answers for {DRAWN} chains",
    )
    lines = [_header_lines(rng, hops) for _, hops in chains]
    seen = t.observe(
        clients_seen,
        settings={"trusted_proxies": proxies},
        requests=[
            [peer, header] for (peer, _), header in zip(chains, lines, strict=True)
        ],
    )
    differs = [
        f"from {peer}, X-Forwarded-For: {header}: {got!r}, the solution {want!r}"
        for (peer, _), header, got, want in zip(
            chains, lines, seen, expected, strict=False
        )
        if got != want
    ]
    t.expect(
        len(seen) == DRAWN and not differs,
        f"through the middleware, on the same {DRAWN} chains sent with spaces and "
        "tabs around the commas, over one or more header lines, request.client is "
        "the solution's answer",
        got=differs[0] if differs else f"{len(seen)} answers for {DRAWN} requests",
    )
