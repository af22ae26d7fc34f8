// The OpenAPI document Payara generates at /openapi, browsable; "Authorize" takes a bearer token.
window.ui = SwaggerUIBundle({
    url: new URL('/openapi?format=JSON', window.location.href).toString(),
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout'
});
