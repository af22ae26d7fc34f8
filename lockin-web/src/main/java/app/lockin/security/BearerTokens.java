package app.lockin.security;

import java.util.HashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Turns an {@code Authorization} header into the request's caller, or into
 * the reason it was refused; the one place that decides who calls. Payara's
 * own MicroProfile JWT verifier lacks Cognito's checks and key rotation
 * (STACK.md), so the application verifies ({@link TokenVerifier}); the first
 * request of a person provisions their profile ({@link KnownProfiles}).
 */
@ApplicationScoped
public class BearerTokens {

    private static final String BEARER = "Bearer ";

    @Inject
    TokenVerifier verifier;

    @Inject
    KnownProfiles profiles;

    @Inject
    @ConfigProperty(name = "LOCKIN_ADMIN_GROUP", defaultValue = "admin")
    String adminGroup;

    /** What an {@code Authorization} header makes of a request. */
    public sealed interface Outcome permits Authenticated, Refused {
    }

    /** A verified caller and their roles: each Cognito group, and {@link Roles#ADMIN} for the administrators' group. */
    public record Authenticated(CallerToken caller, Set<String> roles) implements Outcome {
    }

    /** Why a request gets no caller: an OAuth {@code error} code (none when no token was sent) and what to tell the client. */
    public record Refused(String error, String detail) implements Outcome {
    }

    public Outcome authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return new Refused(null, "Sign in: this request needs an Authorization: Bearer token.");
        }
        if (authorization.length() <= BEARER.length() || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return new Refused("invalid_request", "The Authorization header must be: Bearer <token>.");
        }
        VerifiedToken token;
        try {
            token = verifier.verify(authorization.substring(BEARER.length()).strip());
        } catch (InvalidToken e) {
            return new Refused("invalid_token", "Sign in again: " + e.getMessage() + ".");
        }
        CallerToken caller = new CallerToken(token, profiles.profileOf(token.identity()));
        return new Authenticated(caller, rolesOf(caller.getGroups(), adminGroup));
    }

    static Set<String> rolesOf(Set<String> groups, String adminGroup) {
        if (!groups.contains(adminGroup)) {
            return groups;
        }
        Set<String> roles = new HashSet<>(groups);
        roles.add(Roles.ADMIN);
        return Set.copyOf(roles);
    }
}
