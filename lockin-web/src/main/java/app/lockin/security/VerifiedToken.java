package app.lockin.security;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import app.lockin.profiles.Identity;

/**
 * What a token that passed every check says: who the caller is, which
 * Cognito groups they are in, all its claims (JSON values: numbers, strings,
 * lists, maps; times in epoch seconds) and the token itself; and until when
 * it passes (its expiry plus the clock skew allowed).
 */
public record VerifiedToken(Identity identity, Set<String> groups, Map<String, Object> claims, String raw,
        Instant validUntil) {

    public VerifiedToken {
        groups = Set.copyOf(groups);
        claims = Map.copyOf(claims);
    }
}
