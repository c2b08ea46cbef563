"""The Content-Security-Policy: what a page of this site may load and run.

Only this site's own files, and no inline code at all, hence no nonces: the page cache replays stored
bodies, so the policy must be the same string on every response. The middleware comes first, so that
redirects, static files, 304s, cached pages and error pages carry it too; a view that needs more sets
its own header with policy(). See docs/architecture.md#content-security-policy.
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
