package app.lockin.rest;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * CORS for browser clients of the API: only the origins listed in
 * {@code LOCKIN_CORS_ORIGINS} (comma-separated, exact {@code scheme://host[:port]})
 * get CORS headers. Preflight requests are answered here, before
 * authentication (browsers send them without the token): 204 for a listed
 * origin, 403 for any other. Tokens travel in the Authorization header, not
 * cookies, so credentials are never allowed.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public class Cors implements ContainerRequestFilter, ContainerResponseFilter {

    static final String METHODS = "GET, POST, PATCH, DELETE, OPTIONS";
    static final String HEADERS = "Authorization, Content-Type, X-Request-Id, Idempotency-Key, Last-Event-ID, LockIN-Read-After";
    static final String EXPOSED = "Location, Link, X-Request-Id, WWW-Authenticate, Idempotency-Replayed, Retry-After, RateLimit-Policy, RateLimit, LockIN-Read-After";

    private final Set<String> origins;

    @Inject
    public Cors(@ConfigProperty(name = "LOCKIN_CORS_ORIGINS") Optional<String> origins) {
        this.origins = origins.map(list -> Arrays.stream(list.split(","))
                        .map(String::strip)
                        .map(origin -> origin.replaceAll("/+$", ""))
                        .filter(origin -> !origin.isEmpty())
                        .collect(Collectors.toUnmodifiableSet()))
                .orElse(Set.of());
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        boolean preflight = HttpMethod.OPTIONS.equals(request.getMethod()) && origin != null
                && request.getHeaderString("Access-Control-Request-Method") != null;
        if (!preflight) {
            return;
        }
        if (!origins.contains(origin)) {
            request.abortWith(Problem.of(Response.Status.FORBIDDEN, "This origin may not call the LockIN API.").toResponse().build());
            return;
        }
        request.abortWith(Response.noContent()
                .header("Access-Control-Allow-Methods", METHODS)
                .header("Access-Control-Allow-Headers", HEADERS)
                .header("Access-Control-Max-Age", "600")
                .build());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String origin = request.getHeaderString("Origin");
        MultivaluedMap<String, Object> headers = response.getHeaders();
        headers.add("Vary", "Origin");
        if (origin != null && origins.contains(origin)) {
            headers.putSingle("Access-Control-Allow-Origin", origin);
            headers.putSingle("Access-Control-Expose-Headers", EXPOSED);
        }
    }
}
