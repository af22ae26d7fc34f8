package app.lockin.security;

import java.security.Principal;

import jakarta.ws.rs.core.SecurityContext;

/**
 * The SecurityContext of an authenticated API request: the caller as a
 * MicroProfile {@code JsonWebToken} ({@link CallerToken}), in the role
 * {@link Roles#ADMIN} when in the Cognito group that names administrators,
 * and in a role of each of their Cognito groups.
 */
final class CallerContext implements SecurityContext {

    private final CallerToken caller;
    private final String adminGroup;
    private final boolean secure;

    CallerContext(CallerToken caller, String adminGroup, boolean secure) {
        this.caller = caller;
        this.adminGroup = adminGroup;
        this.secure = secure;
    }

    @Override
    public Principal getUserPrincipal() {
        return caller;
    }

    @Override
    public boolean isUserInRole(String role) {
        return caller.getGroups().contains(Roles.ADMIN.equals(role) ? adminGroup : role);
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
