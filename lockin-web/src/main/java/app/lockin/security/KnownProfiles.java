package app.lockin.security;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import app.lockin.live.ReadYourWrites;
import app.lockin.profiles.Identity;
import app.lockin.profiles.Profiles;

/**
 * The profile id of each identity seen, so that only the first request of
 * a person goes to the database to provision them. Identities are never
 * re-pointed to another profile; an erased person's are deleted, and their
 * entry forgotten ({@link #forget}), so their next request provisions a new
 * profile. It keeps the {@value #CAPACITY} most recently used.
 */
@ApplicationScoped
public class KnownProfiles {

    static final int CAPACITY = 100_000;

    private final Cache<String, UUID> bySubject = Caffeine.newBuilder().maximumSize(CAPACITY).build();

    @Inject
    Profiles profiles;

    @Inject
    ReadYourWrites readYourWrites;

    /** Forgets the identities of an erased profile (the erasing request's instance at once, the others on the live message "erased"). */
    public void forget(UUID profileId) {
        bySubject.asMap().values().removeIf(profileId::equals);
    }

    public UUID profileOf(Identity identity) {
        String key = identity.provider() + '\u0000' + identity.subject();
        UUID known = bySubject.getIfPresent(key);
        if (known != null) {
            return known;
        }
        // provisioned outside the cache's lock: a database round trip, safe to race (provision is idempotent)
        UUID provisioned = profiles.provision(identity);
        readYourWrites.committed(provisioned);   // with replicas: their reads here show their profile, and what it received
        bySubject.put(key, provisioned);
        return provisioned;
    }
}
