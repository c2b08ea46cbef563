"""An editor's browser, in a few lines of http.client: log in to the admin and save a change form as it
stands with some fields changed — every other field (the hidden edit version, the CSRF token, the
selects) sent back as the page gave it, as a browser would.

    editor = AdminClient("http://127.0.0.1:8001")
    editor.log_in("bench-editor", "…")
    status = editor.save("/admin/measures/pillar/3/change/", {"title": "…", "change_reason": "…"})
"""

import http.client
import urllib.parse
from html.parser import HTMLParser
from http.cookies import SimpleCookie


class _Forms(HTMLParser):
    """The named fields of every form with method=post on a page: a list of {name: value}."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, str]] = []
        self._fields = None  # the form being read
        self._textarea = self._select = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._fields = {}
            self.forms.append(self._fields)
        if self._fields is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._fields[name] = attrs.get("value") or "on"
            elif kind not in ("submit", "button", "file", "image"):
                self._fields[name] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select = name
            self._fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self._fields[self._select] = attrs.get("value") or ""

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea and self._fields is not None:
            self._fields[self._textarea] = "".join(self._text).removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._fields = None


class AdminClient:
    def __init__(self, base_url: str, timeout: float = 30):
        parsed = urllib.parse.urlsplit(base_url)
        self.host, self.port, self.timeout = parsed.hostname, parsed.port, timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, str]:
        """(status, headers with lower-case names, body text) of one request, keeping cookies."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # Django's CSRF check on a plain-HTTP POST wants a same-origin Referer or none; send ours.
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
            headers["Origin"] = f"http://{self.host}:{self.port}"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, {k.lower(): v for k, v in response.getheaders()}, text
        finally:
            connection.close()

    def form(self, path: str) -> dict[str, str]:
        """The fields of the main form at `path`, as the page fills them in."""
        status, _headers, text = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path}: HTTP {status}")
        parser = _Forms()
        parser.feed(text)
        # The page's main form: the one with the most fields (the admin's header also has a logout form).
        return max(parser.forms, key=len, default={})

    def log_in(self, username: str, password: str) -> None:
        path = "/admin/login/?next=/admin/"
        fields = self.form(path)
        status, headers, _text = self.request("POST", path, {**fields, "username": username, "password": password})
        if status != 302:
            raise RuntimeError(f"admin login refused (HTTP {status})")

    def filled_form(self, path: str, changes: dict[str, str]) -> dict[str, str]:
        """The change form at `path` as the page fills it in, with `changes`, ready to be saved."""
        fields = {**self.form(path), **changes}
        fields.pop("_addanother", None)
        fields.pop("_continue", None)
        return {**fields, "_save": "保存"}

    def save(self, path: str, changes: dict[str, str]) -> int:
        """Opens the change form at `path`, changes `changes`, saves; returns the HTTP status (302 = saved)."""
        status, _headers, _text = self.request("POST", path, self.filled_form(path, changes))
        return status
