package app.lockin.security;

import java.time.Instant;
import java.util.Set;

import app.lockin.profiles.Identity;

/**
 * What a token that passed every check says: who the caller is and which
 * Cognito groups they are in; and until when it passes (its expiry plus the
 * clock skew allowed).
 */
public record VerifiedToken(Identity identity, Set<String> groups, Instant validUntil) {
}
