"""Draws the site's icon, with Python's standard library only (nothing downloaded, no image library):

    static/icons/favicon.svg           the icon itself, for browsers that take SVG (<link rel="icon">)
    static/icons/apple-touch-icon.png  180 × 180, for phones' home screens
    webroot/favicon.ico                16, 32 and 48 px (PNG images inside an ICO), at /favicon.ico

The design is three rising bars (the awards' amounts) on the site's accent blue (static/css/site.css,
--accent), given once below as shapes on a 64 × 64 grid; the PNGs are rasterised from the same shapes
(4 × 4 samples a pixel), so the three files always agree. Run after changing the design:

    .venv/bin/python scripts/make_icons.py
"""

import struct
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRID = 64
ACCENT = (0x0B, 0x4F, 0x8A)
WHITE = (0xFF, 0xFF, 0xFF)
CORNER = 12  # the background's corner radius
BARS = [(14, 34, 9, 16), (27.5, 25, 9, 25), (41, 16, 9, 34)]  # x, y, width, height, standing on y = 50
SAMPLES = 4


def svg() -> str:
    bars = "".join(f'<rect x="{x:g}" y="{y}" width="{w}" height="{h}"/>' for x, y, w, h in BARS)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {GRID} {GRID}">'
        f'<rect width="{GRID}" height="{GRID}" rx="{CORNER}" fill="#{bytes(ACCENT).hex()}"/>'
        f'<g fill="#{bytes(WHITE).hex()}">{bars}</g></svg>\n'
    )


def _in_background(x: float, y: float, corner: float) -> bool:
    """Whether (x, y) on the grid is inside the square with rounded corners."""
    cx = min(max(x, corner), GRID - corner)
    cy = min(max(y, corner), GRID - corner)
    return (x - cx) ** 2 + (y - cy) ** 2 <= corner**2


def _in_bar(x: float, y: float) -> bool:
    return any(bx <= x <= bx + w and by <= y <= by + h for bx, by, w, h in BARS)


def pixels(size: int, corner: float) -> list[bytes]:
    """The icon at `size` × `size`, as rows of RGBA bytes."""
    rows = []
    step = GRID / size / SAMPLES
    for row in range(size):
        line = bytearray()
        for column in range(size):
            background = bars = 0
            for i in range(SAMPLES):
                for j in range(SAMPLES):
                    x = (column * SAMPLES + i + 0.5) * step
                    y = (row * SAMPLES + j + 0.5) * step
                    if _in_background(x, y, corner):
                        background += 1
                        bars += _in_bar(x, y)
            alpha = background / SAMPLES**2
            white = bars / background if background else 0
            colour = [round(a + (b - a) * white) for a, b in zip(ACCENT, WHITE, strict=True)]
            line += bytes([*colour, round(alpha * 255)])
        rows.append(bytes(line))
    return rows


def png(size: int, corner: float = CORNER) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + row for row in pixels(size, corner))  # filter type 0 on every row
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def ico(sizes=(16, 32, 48)) -> bytes:
    """An ICO holding one PNG per size (read by every browser since 2007)."""
    images = [png(size) for size in sizes]
    offset = 6 + 16 * len(images)
    directory = b""
    for size, image in zip(sizes, images, strict=True):
        directory += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(image), offset)
        offset += len(image)
    return struct.pack("<HHH", 0, 1, len(images)) + directory + b"".join(images)


def main():
    icons = ROOT / "static" / "icons"
    icons.mkdir(exist_ok=True)
    (icons / "favicon.svg").write_text(svg(), encoding="utf-8")
    # Square and opaque: phones round the corners themselves, and fill transparency with black.
    (icons / "apple-touch-icon.png").write_bytes(png(180, corner=0))
    (ROOT / "webroot").mkdir(exist_ok=True)
    (ROOT / "webroot" / "favicon.ico").write_bytes(ico())


if __name__ == "__main__":
    main()
