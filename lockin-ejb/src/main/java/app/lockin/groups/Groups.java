package app.lockin.groups;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;

import app.lockin.database.Labels;
import app.lockin.database.Reads;
import app.lockin.database.Row;
import app.lockin.limits.FairUse;
import app.lockin.limits.Limit;
import app.lockin.notifications.Notification;
import app.lockin.profiles.Profile;
import app.lockin.rules.Conflict;
import app.lockin.rules.Forbidden;
import app.lockin.rules.NotFound;

/**
 * Focus groups: creating, reading, changing, archiving and cloning them. Every
 * answer of a change is read in the transaction that did the work, status by
 * the database's clock; a read alone is one statement and runs without a
 * transaction of its own (no BEGIN and COMMIT round trips, BENCHMARKS.md).
 */
@Stateless
public class Groups {

    /** A group as its member sees it: one row per membership ({@link #response(Row)}). */
    private static final String AS_MEMBER = """
            select g.id, g.owner_id, g.name, g.description, g.start_at, g.end_at, g.timezone, g.period::text as period,
                   g.period_target_minutes, g.declared_time::text as declared_time, group_status_now(g.status, g.start_at) as status,
                   (select count(*) from group_members c where c.group_id = g.id) as member_count, m.role::text as my_role,
                   g.created_at, g.updated_at
              from group_members m join groups g on g.id = m.group_id
             where m.user_id = ?1
            """;

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    @Inject
    Reads reads;

    @EJB
    FairUse fairUse;

    /** A new group with the caller as its owner member. */
    public GroupResponse create(UUID caller, NewGroup request) {
        Group group = Group.create(caller, request.name(), request.description(), request.startAt(), request.endAt(),
                request.timezone(), request.period(), request.periodTargetMinutes());
        em.persist(group);
        em.persist(Membership.join(group, caller, MemberRole.OWNER));
        em.flush();
        return get(caller, group.id());
    }

    /** The caller's groups, newest first, optionally only those of one status (as of now). */
    /** The position after which a page of groups starts: the last group seen. */
    public record Cursor(Instant createdAt, UUID id) {
    }

    /**
     * Up to {@code limit + 1} of the caller's groups, newest first, after the
     * cursor and of the status when given (one more than asked tells that
     * more remain).
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<GroupResponse> mine(UUID caller, Optional<GroupStatus> status, Optional<Cursor> after, int limit) {
        List<Row> rows = reads.list(AS_MEMBER
                        + " and (cast(?2 as text) is null or group_status_now(g.status, g.start_at) = cast(?2 as text))"
                        // the cursor's own row gives its exact created_at (answers show milliseconds)
                        + " and (cast(?4 as uuid) is null or (g.created_at, g.id)"
                        + " < (coalesce((select c.created_at from groups c where c.id = cast(?4 as uuid)), cast(?3 as timestamptz)), cast(?4 as uuid)))"
                        + " order by g.created_at desc, g.id desc limit ?5",
                caller, status.map(Labels::of).orElse(null), after.map(c -> Timestamp.from(c.createdAt())).orElse(null),
                after.map(c -> c.id().toString()).orElse(null), limit + 1);
        return rows.stream().map(Groups::response).toList();
    }

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public GroupResponse get(UUID caller, UUID groupId) {
        List<Row> rows = reads.list(AS_MEMBER + " and g.id = ?2", caller, groupId);
        if (rows.isEmpty()) {
            throw new NotFound(Access.GROUP_NOT_FOUND);
        }
        return response(rows.get(0));
    }

    /**
     * Changes name, description, end or target (owner and admins):
     * {@code change} gets the current settings and gives the new ones (a JSON
     * Merge Patch applied to them, in this transaction). Only the owner ends
     * a group: an admin may move its end only into the future (by the
     * database's clock), else 403.
     */
    public GroupResponse update(UUID caller, UUID groupId, UnaryOperator<GroupSettings> change) {
        Membership membership = Access.manager(em, groupId, caller);
        Group group = em.find(Group.class, groupId, LockModeType.PESSIMISTIC_WRITE);
        GroupSettings settings = change.apply(GroupSettings.of(group));
        // compared as the API shows it (milliseconds): a patch that leaves the end alone reads it back so
        if (!membership.isOwner() && settings.endAt() != null
                && settings.endAt().isBefore(group.endAt().truncatedTo(ChronoUnit.MILLIS))) {
            throw new Forbidden("Only the group's owner ends it or brings its end nearer: an admin may only move end_at later.");
        }
        group.change(settings.name(), settings.description(), settings.endAt(), settings.periodTargetMinutes(),
                settings.declaredTime());
        em.flush();
        return get(caller, groupId);
    }

    /** Archives the group now (its running sessions are stopped and logged); the owner only. */
    public GroupResponse archive(UUID caller, UUID groupId) {
        Access.owner(em, groupId, caller);
        boolean archived = (Boolean) em.createNativeQuery("select archive_group(?1)")
                .setParameter(1, groupId)
                .getSingleResult();
        if (!archived) {
            throw new Conflict("This group is archived already.");
        }
        return get(caller, groupId);
    }

    /**
     * A new active group like this one, starting now, with the caller as
     * owner (database function clone_group). The owner's copy has the same
     * members; anyone else's has the caller alone, and the others are invited
     * (nobody is put into a group they did not choose).
     */
    public GroupResponse cloneGroup(UUID caller, UUID groupId) {
        Membership me = Access.member(em, groupId, caller);
        List<UUID> invited = me.isOwner() ? List.of() : em.createNamedQuery(Membership.OF_GROUP, Membership.class)
                .setParameter("groupId", groupId)
                .getResultStream()
                .map(Membership::userId)
                .filter(other -> !other.equals(caller))
                .toList();
        // each invite counts against the caller's invites as if sent one by one: past the limit, 429 and no copy
        fairUse.take(caller, Limit.INVITES, invited.size());
        UUID copy = (UUID) em.createNativeQuery("select clone_group(?1, ?2)")
                .setParameter(1, groupId)
                .setParameter(2, caller)
                .getSingleResult();
        if (!invited.isEmpty()) {
            Group group = em.find(Group.class, copy);
            String actorName = em.find(Profile.class, caller).displayName();
            invited.forEach(other -> em.persist(Notification.invite(group, other, caller, actorName)));
            em.flush();
        }
        return get(caller, copy);
    }

    private static GroupResponse response(Row row) {
        return new GroupResponse(row.uuid("id"), row.uuid("owner_id"), row.string("name"), row.string("description"),
                row.instant("start_at"), row.instant("end_at"), row.string("timezone"),
                Labels.parse(Period.class, row.string("period")), row.intValue("period_target_minutes"),
                Labels.parse(DeclaredTime.class, row.string("declared_time")),
                Labels.parse(GroupStatus.class, row.string("status")), row.longValue("member_count"),
                Labels.parse(MemberRole.class, row.string("my_role")), row.instant("created_at"), row.instant("updated_at"));
    }
}
