package app.lockin.security;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The caller of an API request as MicroProfile JWT sees one: the verified
 * token ({@link TokenVerifier}) as a {@link JsonWebToken}, with Cognito's
 * {@code cognito:groups} as its groups, and the caller's LockIN profile.
 * {@link BearerAuthentication} makes it the principal of the request's
 * {@link SecurityContext}; resources read it from there ({@link #of}).
 */
public final class CallerToken implements JsonWebToken {

    private final VerifiedToken token;
    private final UUID profileId;

    CallerToken(VerifiedToken token, UUID profileId) {
        this.token = token;
        this.profileId = profileId;
    }

    /** The caller of a request that passed {@link BearerAuthentication}. */
    public static CallerToken of(SecurityContext security) {
        if (security != null && security.getUserPrincipal() instanceof CallerToken caller) {
            return caller;
        }
        throw new IllegalStateException("no authenticated caller");
    }

    /** The LockIN profile of the caller of a request that passed {@link BearerAuthentication}. */
    public static UUID profileOf(SecurityContext security) {
        return of(security).profileId();
    }

    /** The caller's LockIN profile, provisioned on their first request. */
    public UUID profileId() {
        return profileId;
    }

    /** Until when the caller's token passes (its expiry plus the clock skew allowed): when their event streams end. */
    public Instant validUntil() {
        return token.validUntil();
    }

    /** MicroProfile JWT's name: {@code upn}, else {@code preferred_username}, else {@code sub}. */
    @Override
    public String getName() {
        for (String claim : new String[] {Claims.upn.name(), Claims.preferred_username.name(), Claims.sub.name()}) {
            if (token.claims().get(claim) instanceof String name) {
                return name;
            }
        }
        return token.identity().subject();
    }

    @Override
    public Set<String> getClaimNames() {
        Set<String> names = new HashSet<>(token.claims().keySet());
        names.add(Claims.raw_token.name());
        names.add(Claims.groups.name());
        return Set.copyOf(names);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getClaim(String claimName) {
        if (Claims.raw_token.name().equals(claimName)) {
            return (T) token.raw();
        }
        if (Claims.groups.name().equals(claimName)) {
            return (T) token.groups();
        }
        return (T) token.claims().get(claimName);
    }

    @Override
    public Set<String> getGroups() {
        return token.groups();
    }

    @Override
    public String toString() {
        return "CallerToken[" + getName() + ", profile " + profileId + "]";
    }
}
