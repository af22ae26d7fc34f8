// The OpenAPI document Payara generates at /openapi, browsable; "Authorize" takes a bearer token
// (kept in the page only, never in localStorage).
window.ui = SwaggerUIBundle({
    url: new URL('/openapi?format=JSON', window.location.href).toString(),
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout'
});
