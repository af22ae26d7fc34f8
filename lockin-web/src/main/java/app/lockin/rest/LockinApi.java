package app.lockin.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * The REST API under {@code /api}. Every path needs a bearer token
 * ({@code BearerAuthentication}); the contract is META-INF/openapi.yaml,
 * served at {@code /openapi}.
 */
@ApplicationPath("api")
public class LockinApi extends Application {
}
