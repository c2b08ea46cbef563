"""Who the client is: the one reading of a request's address, for the login throttle (django-axes, through
AXES_CLIENT_IP_CALLABLE) and every fair-use limit (xmpolicy/ratelimit.py).

The connection's address (REMOTE_ADDR) is the client, unless it is one of TRUSTED_PROXIES. Then the
client is the address that proxy says it saw: the right-most X-Forwarded-For entry, or, while that entry
is itself a trusted proxy, the next one to its left. Anything further left was written by the client and
is never read, so a client cannot choose the address it is counted by: not by sending the header
straight to the app (its connection is not a trusted proxy), nor through the proxy (which appends the
address it saw after whatever the client sent).

An entry that is not an address ends the walk at the proxy that passed it on: that proxy is then the
client, as the furthest hop known for sure.
"""

import ipaddress

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def client_ip(request) -> Address | None:
    """The client's address; None when not even the connection's is an address."""
    client = _address(request.META.get("REMOTE_ADDR", ""))
    if client is None:
        return None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    while _is_trusted_proxy(client) and forwarded:
        hop = _address(forwarded.pop())
        if hop is None:
            break
        client = hop
    return client


def client_address(request) -> str | None:
    """The same as text, as django-axes keeps it."""
    client = client_ip(request)
    return None if client is None else str(client)


def _is_trusted_proxy(address: Address) -> bool:
    return any(address in network for network in settings.TRUSTED_PROXIES)


def _address(text: str) -> Address | None:
    """An IPv4 client seen through an IPv6 socket (::ffff:192.0.2.1) is its IPv4 address."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address
