// Starts Swagger UI on the API docs page (templates/api/docs.html). A file, not an inline script, so that
// the page keeps the site's Content-Security-Policy (xmpolicy/csp.py). The schema's address and
// SPECTACULAR_SETTINGS["SWAGGER_UI_SETTINGS"] come from the page's data attributes.
"use strict";

(function () {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    ...JSON.parse(root.dataset.settings || "{}"),
  });
})();
