"""The client's real address, when the request came through proxies we trust.

Behind a load balancer every request arrives from the balancer's address, and
the client's own is in X-Forwarded-For, which each proxy extends on the right:
`client, proxy1, proxy2`. Anyone can send that header, so it is read from the
right, and only past proxies listed in settings: the first address that is not a
trusted proxy is the client. The middleware puts it in scope["client"], so
`request.client`, the login throttle and the logs all see it.
"""

from collections.abc import Sequence
from ipaddress import IPv4Network, IPv6Network, ip_address

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

Network = IPv4Network | IPv6Network


def is_trusted(address: str, proxies: Sequence[Network]) -> bool:
    """Whether `address` is inside one of the trusted networks (False if it is not
    an IP address at all)."""
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_address(
    peer: str, forwarded_for: list[str], proxies: Sequence[Network]
) -> str:
    """Who sent the request: `peer` is the address the connection came from,
    `forwarded_for` the addresses in X-Forwarded-For, leftmost first."""
    address = peer
    for hop in reversed(forwarded_for):
        if not is_trusted(address, proxies):
            break
        try:
            ip_address(hop)
        except ValueError:
            break  # a trusted proxy writes an address: this was the client's text
        address = hop
    return address


class ForwardedForMiddleware:
    def __init__(self, app: ASGIApp, *, proxies: Sequence[Network]) -> None:
        self.app = app
        self.proxies = list(proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if scope["type"] in ("http", "websocket") and client and self.proxies:
            values = Headers(scope=scope).getlist("x-forwarded-for")
            hops = [hop.strip() for value in values for hop in value.split(",")]
            host = client_address(client[0], [hop for hop in hops if hop], self.proxies)
            scope = {**scope, "client": (host, client[1])}
        await self.app(scope, receive, send)
