package app.lockin.security;

import java.util.Set;

import app.lockin.profiles.Identity;

/** What a token that passed every check says: who the caller is and which Cognito groups they are in. */
public record VerifiedToken(Identity identity, Set<String> groups) {
}
