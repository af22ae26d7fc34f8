package app.lockin.security;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import app.lockin.rest.Problem;

/**
 * Authentication for every path of the API, enforced by the application
 * itself and failing closed: a request reaches a resource (or learns whether
 * a path exists) only with a valid bearer token, whether or not the container
 * ran {@link BearerMechanism} (Payara Server was seen to skip security
 * annotations on a first deploy: STACK.md). The caller becomes the request's
 * SecurityContext ({@link CallerContext}): its principal is a MicroProfile
 * {@code JsonWebToken} ({@link CallerToken}) with the same roles the
 * container was told.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public class BearerAuthentication implements ContainerRequestFilter {

    @Inject
    BearerTokens tokens;

    @Context
    HttpServletRequest servletRequest;

    @Override
    public void filter(ContainerRequestContext request) {
        BearerTokens.Outcome outcome = servletRequest.getAttribute(BearerMechanism.OUTCOME) instanceof BearerTokens.Outcome known
                ? known
                : tokens.authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (outcome instanceof BearerTokens.Authenticated caller) {
            request.setSecurityContext(new CallerContext(caller.caller(), caller.roles(), request.getSecurityContext().isSecure()));
        } else {
            refuse(request, (BearerTokens.Refused) outcome);
        }
    }

    private static void refuse(ContainerRequestContext request, BearerTokens.Refused refused) {
        String challenge = refused.error() == null ? "Bearer realm=\"lockin\""
                : "Bearer realm=\"lockin\", error=\"" + refused.error() + "\"";
        request.abortWith(Problem.of(Response.Status.UNAUTHORIZED, refused.detail()).toResponse()
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge)
                .build());
    }
}
