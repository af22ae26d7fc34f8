package app.lockin.security;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import app.lockin.rest.Problem;

/**
 * Authentication for every path of the API, enforced by the application
 * itself and failing closed: a request reaches a resource (or learns whether
 * a path exists) only with a valid bearer token (Payara's own MicroProfile
 * JWT verifier lacks Cognito's checks and key rotation, and Payara Server was
 * seen to skip security annotations on a first deploy: STACK.md). The
 * verified caller becomes the request's SecurityContext ({@link CallerContext}): its
 * principal is a MicroProfile {@code JsonWebToken} ({@link CallerToken}),
 * and {@link Roles#ADMIN} is the Cognito group {@code LOCKIN_ADMIN_GROUP}.
 * The first request of a person provisions their profile.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public class BearerAuthentication implements ContainerRequestFilter {

    private static final String BEARER = "Bearer ";

    @Inject
    TokenVerifier verifier;

    @Inject
    KnownProfiles profiles;

    @Inject
    @ConfigProperty(name = "LOCKIN_ADMIN_GROUP", defaultValue = "admin")
    String adminGroup;

    @Override
    public void filter(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            refuse(request, null, "Sign in: this request needs an Authorization: Bearer token.");
            return;
        }
        if (authorization.length() <= BEARER.length() || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            refuse(request, "invalid_request", "The Authorization header must be: Bearer <token>.");
            return;
        }
        VerifiedToken token;
        try {
            token = verifier.verify(authorization.substring(BEARER.length()).strip());
        } catch (InvalidToken e) {
            refuse(request, "invalid_token", "Sign in again: " + e.getMessage() + ".");
            return;
        }
        CallerToken caller = new CallerToken(token, profiles.profileOf(token.identity()));
        request.setSecurityContext(new CallerContext(caller, adminGroup, request.getSecurityContext().isSecure()));
    }

    private static void refuse(ContainerRequestContext request, String error, String detail) {
        String challenge = error == null ? "Bearer realm=\"lockin\""
                : "Bearer realm=\"lockin\", error=\"" + error + "\"";
        request.abortWith(Problem.of(Response.Status.UNAUTHORIZED, detail).toResponse()
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge)
                .build());
    }
}
