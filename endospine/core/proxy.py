"""The client's address and scheme, behind a reverse proxy that we trust.

Only a request whose direct peer (REMOTE_ADDR) is in ENDOSPINE_TRUSTED_PROXIES
may tell us the client's address (X-Forwarded-For) and scheme
(X-Forwarded-Proto). The client is the rightmost X-Forwarded-For entry that is
not itself a trusted proxy: entries to its left were written by the client
and prove nothing. From anyone else both headers are dropped, so the sign-in
throttle's address lock, the rate limit and the audit trail see the real peer.
"""

import ipaddress
from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(items: Sequence[str]) -> list[Network]:
    """Addresses or CIDRs (`10.0.0.0/8`, `127.0.0.1`); a typo stops the server."""
    networks = []
    for item in items:
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"ENDOSPINE_TRUSTED_PROXIES: {item!r} is not an address or CIDR"
            ) from None
    return networks


def _trusted(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_of(remote: str, forwarded_for: str, networks: Sequence[Network]) -> str:
    """The rightmost address in the chain that is not one of our proxies."""
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # garbage from the client: keep the peer
    return hops[0] if hops else remote


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.networks = parse_networks(settings.TRUSTED_PROXIES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        forwarded_for = meta.pop("HTTP_X_FORWARDED_FOR", "")
        proto = meta.pop("HTTP_X_FORWARDED_PROTO", "")
        remote = meta.get("REMOTE_ADDR", "")
        if self.networks and _trusted(remote, self.networks):
            meta["REMOTE_ADDR"] = client_of(remote, forwarded_for, self.networks)
            scheme = proto.split(",")[-1].strip().lower()
            if scheme in ("http", "https"):
                meta["wsgi.url_scheme"] = scheme
        return self.get_response(request)
