// Swagger UI from the vendored swagger-ui-dist; "Authorize" takes an API token (bearer).
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  persistAuthorization: true,
  deepLinking: true,
});
