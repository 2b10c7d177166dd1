// /docs: Swagger UI over the Worker's own /openapi.json. No validator badge (it would call another
// origin), no spec URL taken from the query string, and the token given to "Authorize" stays in
// memory only.
/* global SwaggerUIBundle */
SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  queryConfigEnabled: false,
  validatorUrl: null,
  persistAuthorization: false,
  displayRequestDuration: true,
  defaultModelsExpandDepth: 0,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
