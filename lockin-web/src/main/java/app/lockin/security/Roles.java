package app.lockin.security;

/**
 * The application's roles: what the request's
 * {@code SecurityContext.isUserInRole} answers for a caller
 * ({@link CallerContext}).
 */
public final class Roles {

    /** LockIN administrators: the callers in the Cognito group {@code LOCKIN_ADMIN_GROUP} (default {@code admin}). */
    public static final String ADMIN = "lockin-admin";

    private Roles() {
    }
}
