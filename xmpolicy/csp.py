"""The Content-Security-Policy: what a page of this site may load and run.

Only this site's own files, and no inline code at all: no page has an inline <script> or <style>, a
style="…" attribute or an on…= handler. The public pages link to static/ files; the API docs page is
our own template with its start-up script in a file (templates/api/docs.html, static/js/api-docs.js);
the admin's own templates have none (its JSON data elements are never executed).
tests/test_security_headers.py reads every kind of page for inline code, and the browser tests load
them with this policy in force and fail on any violation.

Hence no nonces. A nonce has to change on every response, while the page cache (measures/public/page_cache/)
replays a stored body: a nonce in that body would not match the next response's header. With no
inline code the policy is the same string on every response, whichever layer answers.

The middleware comes first, outside SecurityMiddleware (its HTTPS redirect), whitenoise, the page
cache and the views, so the redirect, static files, 304s, cached pages and error pages carry it too.
A view that needs more (the API docs) sets its own header, built with policy(); the middleware then
leaves it alone.

With DEBUG on, Django's own error pages (inline CSS and script) show unstyled under the policy; they
are for a developer's machine, and production never runs with DEBUG.
"""

DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    # Never shown inside another site's frame (clickjacking); X-Frame-Options says the same to old browsers.
    "frame-ancestors": "'none'",
}


def policy(**changes: str) -> str:
    """The header's value: DIRECTIVES with some replaced, named with underscores (img_src="…")."""
    directives = DIRECTIVES | {name.replace("_", "-"): value for name, value in changes.items()}
    return "; ".join(f"{name} {value}" for name, value in directives.items())


CONTENT_SECURITY_POLICY = policy()


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response
