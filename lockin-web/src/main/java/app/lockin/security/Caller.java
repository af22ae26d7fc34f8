package app.lockin.security;

import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;

/** The authenticated person making the current request, set by {@link BearerAuthentication}. */
@RequestScoped
public class Caller {

    private UUID profileId;
    private Set<String> groups = Set.of();

    void authenticate(UUID profileId, Set<String> groups) {
        this.profileId = profileId;
        this.groups = Set.copyOf(groups);
    }

    /** The caller's profile id; never null inside a resource (the filter refuses unauthenticated requests). */
    public UUID profileId() {
        if (profileId == null) {
            throw new IllegalStateException("no authenticated caller");
        }
        return profileId;
    }

    public boolean inGroup(String cognitoGroup) {
        return groups.contains(cognitoGroup);
    }
}
