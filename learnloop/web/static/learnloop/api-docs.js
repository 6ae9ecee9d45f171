// Starts the vendored Swagger UI on /api/docs (a static file: the CSP allows no inline script).
// Calls made with "Try it out" use the browser session, so writes carry the CSRF token.
document.addEventListener("DOMContentLoaded", function () {
  var settings = JSON.parse(document.getElementById("swagger-settings").textContent);
  var csrfToken = document.body.dataset.csrfToken;
  settings.dom_id = "#swagger-ui";
  settings.presets = [SwaggerUIBundle.presets.apis];
  settings.requestInterceptor = function (request) {
    if (csrfToken) { request.headers["X-CSRFToken"] = csrfToken; }
    return request;
  };
  SwaggerUIBundle(settings);
});
