"""The site's icon: /favicon.ico answers (browsers ask for it on every site, and log a 404 as an error),
every page links the SVG icon and a home-screen icon, and the files are what scripts/make_icons.py
draws."""

import importlib.util
import re
import struct

import pytest

from tests.data import REAL_POLICY_FILE
from tests.html import page

ROOT = REAL_POLICY_FILE.parent.parent


def make_icons():
    spec = importlib.util.spec_from_file_location("make_icons", ROOT / "scripts" / "make_icons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ico_sizes(data: bytes) -> list[int]:
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)  # an icon, not a cursor
    entries = [struct.unpack("<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]) for i in range(count)]
    for _width, _height, _colours, _reserved, _planes, _bits, length, offset in entries:
        assert data[offset : offset + 8] == b"\x89PNG\r\n\x1a\n"
        assert offset + length <= len(data)
    return [entry[0] for entry in entries]


def test_favicon_ico_answers_with_an_icon_kept_a_week_without_asking_the_database(
    client, db, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert response["Cache-Control"] == "max-age=604800, public"
    assert ico_sizes(b"".join(response.streaming_content)) == [16, 32, 48]


@pytest.mark.parametrize(("url", "status"), [("/", 200), ("/awards/", 200), ("/no/such/page/", 404)])
def test_every_page_links_its_icons_and_each_answers(client, small_policy, url, status):
    links = re.findall(r'<link rel="([^"]+)" href="([^"]+)"', page(client, url, status=status))
    icons = [href for rel, href in links if rel == "icon"]
    (touch,) = [href for rel, href in links if rel == "apple-touch-icon"]
    assert icons[0] == "/favicon.ico" and icons[1].endswith(".svg")
    svg = client.get(icons[1])
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    png = b"".join(client.get(touch).streaming_content)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (180, 180)  # the IHDR chunk's width and height


def test_the_committed_icons_are_what_the_script_draws():
    icons = make_icons()
    assert (ROOT / "static" / "icons" / "favicon.svg").read_text(encoding="utf-8") == icons.svg()
    assert (ROOT / "webroot" / "favicon.ico").read_bytes() == icons.ico()
