"""QR codes for the policy and measure pages: the page's absolute canonical address (SITE_URL and its
path, no query string), drawn as SVG on the server with segno. No JavaScript and no outside service;
the SVG is inline in the page (attributes only: nothing the Content-Security-Policy forbids)."""

import functools

import segno
from django.utils.safestring import SafeString, mark_safe

# Four pixels a module and the quiet zone of four modules that readers need around a code.
SCALE = 4
BORDER = 4


@functools.lru_cache(maxsize=512)
def qr_svg(url: str, label: str) -> SafeString:
    """An inline <svg> of a QR code for `url`, named `label` for screen readers (its <title>)."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(
        scale=SCALE,
        border=BORDER,
        dark="#000",
        light="#fff",
        svgclass="qr-code__image",
        lineclass=None,
        omitsize=True,
        title=label,  # segno escapes it
    )
    # A picture with a name; crisp edges, so that no reader sees a blurred module.
    svg = svg.replace("<svg ", '<svg role="img" shape-rendering="crispEdges" focusable="false" ', 1)
    return mark_safe(svg)  # segno's own markup; the only text in it, the label, segno escapes
