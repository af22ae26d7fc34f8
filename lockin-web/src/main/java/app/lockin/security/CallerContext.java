package app.lockin.security;

import java.security.Principal;
import java.util.Set;

import jakarta.ws.rs.core.SecurityContext;

/**
 * The SecurityContext of an authenticated API request: the caller as a
 * MicroProfile {@code JsonWebToken} ({@link CallerToken}) and their roles
 * ({@link BearerTokens#authenticate}), the same the container was told.
 */
final class CallerContext implements SecurityContext {

    private final CallerToken caller;
    private final Set<String> roles;
    private final boolean secure;

    CallerContext(CallerToken caller, Set<String> roles, boolean secure) {
        this.caller = caller;
        this.roles = roles;
        this.secure = secure;
    }

    @Override
    public Principal getUserPrincipal() {
        return caller;
    }

    @Override
    public boolean isUserInRole(String role) {
        return roles.contains(role);
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public String getAuthenticationScheme() {
        return "Bearer";
    }
}
