package app.lockin.profiles;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import app.lockin.database.Labels;
import app.lockin.database.Reads;
import app.lockin.database.Row;
import app.lockin.groups.GroupStatus;
import app.lockin.groups.MemberRole;
import app.lockin.rules.Invalid;
import app.lockin.rules.NotFound;

/** People: provisioning on first sight, reading and changing one's own profile, erasing one's account. */
@Stateless
public class Profiles {

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    @Inject
    Reads reads;

    @Inject
    AvatarLocations avatars;

    @Inject
    AvatarUploads uploads;

    @Resource
    TransactionSynchronizationRegistry transactions;

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

    /** How many memberships {@code GET /api/me} shows; the rest come by pages of {@link #memberships}. */
    public static final int MEMBERSHIPS_SHOWN = 50;

    /** The position after which a page of memberships starts: the last one seen (its joined_at and group id). */
    public record Cursor(Instant joinedAt, UUID groupId) {
    }

    /**
     * One's profile with the first {@link #MEMBERSHIPS_SHOWN} memberships, and one more when more remain.
     * Without a transaction of its own: its two statements would see two snapshots in one as well
     * (read committed), and BEGIN and COMMIT cost as much as they do (BENCHMARKS.md).
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public ProfileResponse me(UUID profileId) {
        Profile profile = find(profileId);
        return new ProfileResponse(profile.id(), profile.email(), profile.displayName(), profile.avatarUrl(),
                profile.createdAt(), profile.updatedAt(), memberships(profileId, Optional.empty(), MEMBERSHIPS_SHOWN));
    }

    /**
     * Up to {@code limit + 1} of one's memberships, newest first, after the
     * cursor (one more than asked tells that more remain).
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<ProfileResponse.MembershipResponse> memberships(UUID profileId, Optional<Cursor> after, int limit) {
        List<Row> rows = reads.list("""
                        select g.id as group_id, g.name as group_name, m.role::text as role,
                               group_status_now(g.status, g.start_at) as status, m.created_at as joined_at
                          from group_members m join groups g on g.id = m.group_id
                         where m.user_id = ?1
                           and (cast(?3 as uuid) is null or (m.created_at, m.group_id) < (coalesce(
                                (select c.created_at from group_members c where c.user_id = ?1 and c.group_id = cast(?3 as uuid)),
                                cast(?2 as timestamptz)), cast(?3 as uuid)))
                         order by m.created_at desc, m.group_id desc
                         limit ?4
                        """, profileId, after.map(c -> Timestamp.from(c.joinedAt())).orElse(null),
                after.map(c -> c.groupId().toString()).orElse(null), limit + 1);
        return rows.stream()
                .map(row -> new ProfileResponse.MembershipResponse(row.uuid("group_id"), row.string("group_name"),
                        Labels.parse(MemberRole.class, row.string("role")), Labels.parse(GroupStatus.class, row.string("status")),
                        row.instant("joined_at")))
                .toList();
    }

    /**
     * Changes one's profile: {@code change} gets the current settings and
     * gives the new ones (a JSON Merge Patch applied to them, in this
     * transaction). A new avatar must be one uploaded for this person.
     */
    public ProfileResponse update(UUID profileId, UnaryOperator<ProfileSettings> change) {
        Profile profile = find(profileId);
        ProfileSettings settings = change.apply(ProfileSettings.of(profile));
        profile.rename(settings.displayName());
        if (!Objects.equals(settings.avatarUrl(), profile.avatarUrl())) {
            profile.changeAvatar(checkedAvatar(profileId, Optional.ofNullable(settings.avatarUrl())));
        }
        em.flush();
        em.refresh(profile);
        return me(profileId);
    }

    /**
     * Erases the person (DOMAIN.md "A person's data"): the database function
     * erase_person does all of it in this transaction (409 with the groups
     * they own with other members, problem field owned_groups; nothing is
     * written then). Every avatar object they uploaded is deleted once the
     * erasure has committed (best effort, logged when it fails): a
     * rolled-back erasure keeps its pictures.
     */
    public void erase(UUID profileId) {
        em.createNativeQuery("select erase_person(?1)")
                .setParameter(1, profileId)
                .getSingleResult();
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    uploads.deleteAllOf(profileId);
                }
            }
        });
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
