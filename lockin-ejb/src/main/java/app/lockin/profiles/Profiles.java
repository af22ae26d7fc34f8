package app.lockin.profiles;

import java.util.Optional;
import java.util.UUID;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import app.lockin.groups.Membership;
import app.lockin.rules.Invalid;
import app.lockin.rules.NotFound;

/** People: provisioning on first sight, reading and changing one's own profile. */
@Stateless
public class Profiles {

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    @Inject
    AvatarLocations avatars;

    /**
     * The profile id of the person behind an identity, creating the profile
     * on the first call. Concurrent first calls get the same profile (the
     * database function {@code provision_profile} serialises them).
     */
    public UUID provision(Identity identity) {
        return (UUID) em.createNativeQuery("select provision_profile(?1, ?2, ?3, ?4)")
                .setParameter(1, identity.provider())
                .setParameter(2, identity.subject())
                .setParameter(3, identity.email().orElse(null))
                .setParameter(4, identity.name().orElse(null))
                .getSingleResult();
    }

    public Me me(UUID profileId) {
        Profile profile = find(profileId);
        return new Me(profile, em.createNamedQuery(Membership.OF_USER, Membership.class)
                .setParameter("userId", profileId)
                .getResultList());
    }

    public Me update(UUID profileId, ProfileChanges changes) {
        Profile profile = find(profileId);
        changes.displayName().ifPresent(profile::rename);
        changes.avatarUrl().ifPresent(avatar -> profile.changeAvatar(checkedAvatar(profileId, avatar)));
        em.flush();
        em.refresh(profile);
        return me(profileId);
    }

    private String checkedAvatar(UUID profileId, Optional<String> avatarUrl) {
        return avatarUrl.map(url -> {
            if (!avatars.configured()) {
                throw new Invalid("avatar_url", "avatar uploads are not configured on this server");
            }
            if (!avatars.belongsTo(profileId, url)) {
                throw new Invalid("avatar_url", "must be null or an avatar_url returned by "
                        + "POST /api/profiles/avatar/upload-url for you");
            }
            return url;
        }).orElse(null);
    }

    private Profile find(UUID profileId) {
        Profile profile = em.find(Profile.class, profileId);
        if (profile == null) {
            throw new NotFound("profile not found");
        }
        return profile;
    }
}
