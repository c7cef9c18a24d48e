"""Which addresses scc may connect to when checking links: public ones only.

A host is judged by every address it resolves to, not by how it is written: ``127.1``,
``2130706433``, ``0x7f000001``, ``0`` and a hosts-file name all resolve to loopback.
:mod:`speechcompress.net.backend` connects only to an address checked here, so a name
that resolves differently a second time (DNS rebinding) gains nothing.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Special-use ranges ``ipaddress`` does not flag in every Python version.
_EXTRA_BLOCKED = tuple(
    ipaddress.ip_network(n)
    for n in ("100.64.0.0/10", "192.0.0.0/24", "198.18.0.0/15", "64:ff9b:1::/48")
)

Resolver = Callable[[str, int], list[str]]


class BlockedAddress(OSError):
    """The host resolves to a loopback, private or other special-use address."""

    def __init__(self, host: str, address: str) -> None:
        shown = host if host == address else f"{host} ({address})"
        super().__init__(f"{shown} is a private or loopback address")
        self.host = host
        self.address = address


def is_special(ip: Address) -> bool:
    """Whether ``ip`` is anything but a public unicast address."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and is_special(embedded):
            return True
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
        or any(ip in net for net in _EXTRA_BLOCKED if net.version == ip.version)
    )


def literal_address(host: str) -> Address | None:
    """The address ``host`` spells in standard notation, else None."""
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def is_private_host(host: str) -> bool:
    """Whether ``host`` is written as this machine or a private address (no DNS).

    A fast first look that spares a request; :func:`checked_addresses` decides.
    """
    host = host.strip("[]").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    ip = literal_address(host)
    return ip is not None and is_special(ip)


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in the resolver's order (raises ``gaierror``)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def checked_addresses(
    host: str, port: int, *, allow_private: bool, resolver: Resolver | None = None
) -> list[str]:
    """The addresses to connect to for ``host``: all of them public unless allowed.

    Raises :class:`BlockedAddress` when any address is special (a name that resolves
    to one public and one private address is refused whole), ``socket.gaierror`` when
    the name does not resolve.
    """
    addresses = (resolver or resolve)(host.strip("[]"), port)
    if not allow_private:
        for address in addresses:
            ip = literal_address(address)
            if ip is None or is_special(ip):
                raise BlockedAddress(host, address)
    return addresses
