/* /docs: Swagger UI over this service's OpenAPI description, from the vendored swagger-ui-dist
   (a static file: the CSP forbids inline scripts). No validator, no call outside this site. */
"use strict";
window.addEventListener("DOMContentLoaded", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: false,  // a link inside the operation's toggle button: nested controls (axe)
    validatorUrl: "none",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
