"""The address of the client behind a request, believing X-Forwarded-For only from TRUSTED_PROXIES."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """'10.0.0.0/8', '192.0.2.7', '::1' -> networks (a bare address is a one-address network)."""
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def parse_address(text: str) -> IPAddress | None:
    """An address as proxies write it ('192.0.2.7', '192.0.2.7:5123', '[2001:db8::1]:443'), or None."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # IPv4 with a port; a bare IPv6 address has at least two colons
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket counts as the same client.
    return getattr(address, "ipv4_mapped", None) or address


def client_ip(request) -> str:
    """REMOTE_ADDR, or, when that is a trusted proxy, the nearest address in X-Forwarded-For that is not.

    The header is read from the right: each trusted proxy appends the address it was connected from, and
    anything further left than the first untrusted address was written by the client, who may lie.
    """
    remote = parse_address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return request.META.get("REMOTE_ADDR") or "unknown"
    networks = trusted_networks(tuple(settings.TRUSTED_PROXIES))

    def trusted(address: IPAddress) -> bool:
        return any(address in network for network in networks)

    client = remote
    if trusted(remote):
        hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        for hop in reversed(hops):
            address = parse_address(hop)
            if address is None:  # not written by a proxy we trust: stop at the last hop we could believe
                break
            client = address
            if not trusted(address):
                break
    return str(client)


def client_ip_address(request) -> str | None:
    """client_ip as an address, or None when the request carries none (a unix socket, a bare HttpRequest):
    the sign-in lockout (AXES_CLIENT_IP_CALLABLE) stores it in an address column."""
    address = client_ip(request)
    return address if parse_address(address) is not None else None
