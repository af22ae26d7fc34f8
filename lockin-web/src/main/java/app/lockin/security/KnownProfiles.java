package app.lockin.security;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import app.lockin.profiles.Identity;
import app.lockin.profiles.Profiles;

/**
 * The profile id of each identity seen, so that only the first request of
 * a person goes to the database to provision them. Identities are never
 * re-pointed to another profile, so the cache needs no invalidation; it is
 * bounded by starting over when full.
 */
@ApplicationScoped
public class KnownProfiles {

    private static final int CAPACITY = 100_000;

    private final Map<String, UUID> bySubject = new ConcurrentHashMap<>();

    @Inject
    Profiles profiles;

    public UUID profileOf(Identity identity) {
        String key = identity.provider() + '\u0000' + identity.subject();
        UUID known = bySubject.get(key);
        if (known != null) {
            return known;
        }
        UUID provisioned = profiles.provision(identity);
        if (bySubject.size() >= CAPACITY) {
            bySubject.clear();
        }
        bySubject.put(key, provisioned);
        return provisioned;
    }
}
