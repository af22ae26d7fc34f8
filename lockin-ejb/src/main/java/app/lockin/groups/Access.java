package app.lockin.groups;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import app.lockin.database.Reads;
import app.lockin.rules.Forbidden;
import app.lockin.rules.NotFound;

/**
 * Who may do what in a group, read from group_members. Someone who is not a
 * member gets the same answer as for a group that does not exist.
 */
public final class Access {

    public static final String GROUP_NOT_FOUND = "group not found";

    private Access() {
    }

    /** The person's membership of the group (with the group), if any. */
    public static Optional<Membership> find(EntityManager em, UUID groupId, UUID userId) {
        return em.createNamedQuery(Membership.ONE, Membership.class)
                .setParameter("groupId", groupId)
                .setParameter("userId", userId)
                .getResultStream().findFirst();
    }

    /** The caller's membership of the group, or 404. */
    public static Membership member(EntityManager em, UUID groupId, UUID caller) {
        return find(em, groupId, caller).orElseThrow(() -> new NotFound(GROUP_NOT_FOUND));
    }

    /** 404 unless the caller is a member of the group: for reads, wherever {@link Reads} reads them. */
    public static void member(Reads reads, UUID groupId, UUID caller) {
        if (reads.list("select 1 as member from group_members where group_id = ?1 and user_id = ?2", groupId, caller).isEmpty()) {
            throw new NotFound(GROUP_NOT_FOUND);
        }
    }

    /** The caller's membership, when their role manages members (owner, admin); 403 otherwise. */
    static Membership manager(EntityManager em, UUID groupId, UUID caller) {
        Membership membership = member(em, groupId, caller);
        if (!membership.managesMembers()) {
            throw new Forbidden("Only the group's owner and admins can do that.");
        }
        return membership;
    }

    /** The caller's membership when they own the group; 403 otherwise. */
    static Membership owner(EntityManager em, UUID groupId, UUID caller) {
        Membership membership = member(em, groupId, caller);
        if (!membership.isOwner()) {
            throw new Forbidden("Only the group's owner can do that.");
        }
        return membership;
    }

    /**
     * The memberships of the given people in the group, locked for the rest of
     * the transaction in one order (by user id), so that two changes racing on
     * the same people wait for each other instead of deadlocking.
     */
    static List<Membership> lock(EntityManager em, UUID groupId, List<UUID> userIds) {
        return em.createQuery("select m from Membership m join fetch m.group "
                        + "where m.group.id = :groupId and m.userId in :userIds order by m.userId", Membership.class)
                .setParameter("groupId", groupId)
                .setParameter("userIds", userIds)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
    }
}
