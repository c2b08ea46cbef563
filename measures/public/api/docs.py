"""/api/docs/: Swagger UI, rendered from the OpenAPI document, under the site's Content-Security-Policy.

drf-spectacular's own page starts Swagger UI with an inline script and styles itself inline, which the
policy forbids (xmpolicy/csp.py). Ours (templates/api/docs.html) links a stylesheet and a start-up
script from static/ and hands them the schema's address and the Swagger UI settings in data attributes
(so SWAGGER_UI_SETTINGS must be a dict, passed as JSON: drf-spectacular's other form, a string of
JavaScript, would have to run inline). Having no CSRF token in it, the page sets no cookie either.
"""

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerView

from xmpolicy.csp import policy

# Swagger UI's stylesheet draws its icons and arrows as data: images, which the site's policy leaves out.
DOCS_POLICY = policy(img_src="'self' data:")


class ApiDocsView(SpectacularSwaggerView):
    template_name = "api/docs.html"

    @extend_schema(exclude=True)  # the page itself is not an operation of the API
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # drf-spectacular opens the page to other windows (Cross-Origin-Opener-Policy: unsafe-none) for
        # OAuth2 sign-in pop-ups; this API has no sign-in, so the site's own same-origin applies.
        del response.headers["Cross-Origin-Opener-Policy"]
        response.headers["Content-Security-Policy"] = DOCS_POLICY
        return response
