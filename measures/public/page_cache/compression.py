"""Compressed answers: Brotli where the client accepts it, else gzip, for text that compresses.

Used by the public pages' cache (middleware.py), which compresses a page once per content
revision and keeps the compressed bytes with it. Static files are compressed by whitenoise at
`collectstatic`.

BREACH: compressing a page that holds a secret (a CSRF token) next to text an attacker can put in the
request (a search query) would let the attacker guess the secret from the compressed size. Public pages
hold no secret: they set no cookie and render no CSRF token. `compressible()` checks it on each answer
anyway (Django marks a request whose response carries a token with CSRF_COOKIE_USED), so a page that
ever did would be sent uncompressed, and the admin (with its tokens) is never compressed at all.
"""

import functools
import gzip
import re

import brotli

# What is worth compressing: text. Images, archives and already-compressed formats are not.
COMPRESSIBLE = re.compile(r"^(text/|application/(json|xml|atom\+xml|javascript|.*\+json))")
MIN_BYTES = 200  # smaller answers grow or gain nothing

ENCODINGS = ("br", "gzip")  # preferred first


def accepted_encoding(request) -> str | None:
    """The encoding to answer `request` with ('br', 'gzip'), or None: what Accept-Encoding allows
    (a q=0 refuses one), Brotli first."""
    return _accepted(request.META.get("HTTP_ACCEPT_ENCODING", ""))


@functools.lru_cache(maxsize=256)  # browsers send a handful of different headers
def _accepted(header: str) -> str | None:
    offered = {}
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        match = re.search(r"q=([0-9.]+)", params)
        if match:
            try:
                quality = float(match[1])
            except ValueError:
                quality = 0.0
        offered[name.strip().lower()] = quality
    for encoding in ENCODINGS:
        if offered.get(encoding, offered.get("*", 0)) > 0:
            return encoding
    return None


def compressible(request, response) -> bool:
    return (
        not response.streaming
        and not response.has_header("Content-Encoding")
        and bool(COMPRESSIBLE.match(response.get("Content-Type", "")))
        and len(response.content) >= MIN_BYTES
        and not request.META.get("CSRF_COOKIE_USED")  # BREACH: never a page with a token
    )


def compress(content: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.compress(content, quality=6)
    # mtime=0: the same page gives the same bytes on every machine.
    return gzip.compress(content, compresslevel=6, mtime=0)


def variants(content: bytes) -> dict[str, bytes]:
    """The content in each encoding, for a cache that serves every client from it."""
    return {encoding: compress(content, encoding) for encoding in ENCODINGS}


def encoded(response, encoding: str | None, body: bytes | None = None):
    """`response` with its content in `encoding` (`body`: already compressed), varying on Accept-Encoding."""
    if encoding is not None:
        response.content = body if body is not None else compress(response.content, encoding)
        response.headers["Content-Encoding"] = encoding
        response.headers["Content-Length"] = str(len(response.content))
    return response
