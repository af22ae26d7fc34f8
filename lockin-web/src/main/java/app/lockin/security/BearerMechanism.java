package app.lockin.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * The container's side of authentication (Jakarta Security): for every
 * request to {@code /api} the bearer token's caller becomes the container's
 * caller, with their roles, so that {@code @RolesAllowed} and
 * {@code HttpServletRequest.isUserInRole} see them. It never answers itself:
 * a request without a valid token goes on unauthenticated, and
 * {@link BearerAuthentication} refuses it with a problem; the outcome is kept
 * on the request so the token is verified once. A failure (the database
 * down while provisioning a newcomer) is left to BearerAuthentication to
 * meet again and answer as a problem.
 */
@ApplicationScoped
public class BearerMechanism implements HttpAuthenticationMechanism {

    static final String OUTCOME = BearerMechanism.class.getName() + ".outcome";

    private static final String API = "/api";

    @Inject
    BearerTokens tokens;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
            HttpMessageContext context) {
        if (!API.equals(request.getServletPath())) {
            return context.doNothing();
        }
        BearerTokens.Outcome outcome;
        try {
            outcome = tokens.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION));
        } catch (RuntimeException e) {
            // e.g. the database is down while provisioning a newcomer: BearerAuthentication tries
            // again inside JAX-RS, where the failure becomes a problem answer (503), not the container's 500
            return context.doNothing();
        }
        request.setAttribute(OUTCOME, outcome);
        if (outcome instanceof BearerTokens.Authenticated caller) {
            return context.notifyContainerAboutLogin(caller.caller(), caller.roles());
        }
        return context.doNothing();
    }
}
