package app.lockin.groups;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import app.lockin.database.Reads;
import app.lockin.database.Row;
import app.lockin.profiles.Profile;
import app.lockin.rules.Conflict;
import app.lockin.rules.Forbidden;
import app.lockin.rules.Invalid;
import app.lockin.rules.NotFound;

/** The people of a group: listing, adding, changing (targets, roles, ownership) and removing them. */
@Stateless
public class Members {

    private static final String MEMBER_NOT_FOUND = "member not found";

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    @Inject
    Reads reads;

    /** The group's members by join time; members only (a group has its caller among them, or is not theirs to see). */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<MemberResponse> list(UUID caller, UUID groupId) {
        List<Row> rows = reads.list(MemberResponse.SEEN_BY_VIEWER
                + " and exists (select 1 from group_members v where v.group_id = ?1 and v.user_id = ?2)"
                + " order by m.created_at, m.id", groupId, caller);
        if (rows.isEmpty()) {
            throw new NotFound(Access.GROUP_NOT_FOUND);
        }
        return rows.stream().map(MemberResponse::of).toList();
    }

    /** One member of the group (what the Location of an added member points to); members only. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public MemberResponse get(UUID caller, UUID groupId, UUID userId) {
        Map<UUID, MemberResponse> found = reads.list(MemberResponse.SEEN_BY_VIEWER + " and m.user_id in (?2, ?3)", groupId, caller, userId)
                .stream().map(MemberResponse::of)
                .collect(Collectors.toMap(MemberResponse::userId, Function.identity()));
        if (!found.containsKey(caller)) {
            throw new NotFound(Access.GROUP_NOT_FOUND);
        }
        MemberResponse member = found.get(userId);
        if (member == null) {
            throw new NotFound(MEMBER_NOT_FOUND);
        }
        return member;
    }

    /** Adds someone as a member (owner, admins) or admin (owner only). */
    public MemberResponse add(UUID caller, UUID groupId, NewMember request) {
        Membership me = Access.manager(em, groupId, caller);
        UUID userId = request.userId();
        MemberRole role = request.role() == null ? MemberRole.MEMBER : request.role();
        if (role == MemberRole.OWNER) {
            throw new Invalid("role", "must be member or admin: ownership is transferred with PATCH");
        }
        if (role == MemberRole.ADMIN && !me.isOwner()) {
            throw new Forbidden("Only the group's owner can add admins.");
        }
        Profile profile = em.find(Profile.class, userId);
        if (profile == null) {
            throw new NotFound("user not found");
        }
        // already a member: the database refuses (group_members_group_user_key)
        Membership added = Membership.join(me.group(), userId, role);
        em.persist(added);
        em.flush();
        return MemberResponse.read(em, groupId, userId, caller);
    }

    /**
     * Changes a member's own target, and (owner only) their role; giving
     * someone the role owner transfers the ownership (the previous owner
     * becomes an admin). Admins may change themselves and plain members.
     * Whether one hides from the leaderboard is one's own to change, whatever
     * one's role. {@code change} gets the current settings and gives the new
     * ones (a JSON Merge Patch applied to them, in this transaction).
     */
    public MemberResponse update(UUID caller, UUID groupId, UUID userId, UnaryOperator<MemberSettings> change) {
        Pair pair = lockPair(groupId, caller, userId);
        Membership me = pair.me();
        Membership target = pair.target();
        if (target != me) {
            requireManages(me, target, "change");
        }
        MemberSettings settings = change.apply(MemberSettings.of(target));
        if (settings.hiddenFromLeaderboard() != target.isHiddenFromLeaderboard()) {
            target.hideFromLeaderboard(settings.hiddenFromLeaderboard(), me);
        }
        if (!Objects.equals(settings.overridePeriodTargetMinutes(), target.overridePeriodTargetMinutes())) {
            if (!me.managesMembers()) {
                throw new Forbidden("Only the group's owner and admins can change targets.");
            }
            target.overrideTarget(settings.overridePeriodTargetMinutes());
        }
        if (settings.role() != target.role()) {
            changeRole(me, target, settings.role());
        }
        em.flush();
        return MemberResponse.read(em, groupId, target.userId(), caller);
    }

    /**
     * Someone else's membership: only the owner and admins {@code act} on
     * members, admins on plain members only (403); 404 when there is none.
     */
    private static void requireManages(Membership me, Membership target, String act) {
        if (!me.managesMembers()) {
            throw new Forbidden("Only the group's owner and admins can " + act + " members.");
        }
        if (target == null) {
            throw new NotFound(MEMBER_NOT_FOUND);
        }
        if (!me.manages(target)) {
            throw new Forbidden("Admins can only " + act + " plain members.");
        }
    }

    private static void changeRole(Membership me, Membership target, MemberRole newRole) {
        if (!me.isOwner()) {
            throw new Forbidden("Only the group's owner can change roles.");
        }
        if (target == me) {
            if (newRole != MemberRole.OWNER) {
                throw new Conflict("The owner keeps the role owner: give it to another member to step down.");
            }
            return;
        }
        if (newRole == MemberRole.OWNER) {
            me.changeRole(MemberRole.ADMIN);
        }
        target.changeRole(newRole);
    }

    /** Removes a member (owner; admins for plain members), or the caller themself (leaving). */
    public void remove(UUID caller, UUID groupId, UUID userId) {
        Pair pair = lockPair(groupId, caller, userId);
        Membership me = pair.me();
        Membership target = pair.target();
        if (target == me) {
            if (me.isOwner()) {
                throw new Conflict("The owner cannot leave the group: transfer the ownership first.");
            }
        } else {
            requireManages(me, target, "remove");
        }
        em.remove(target);
        em.flush();
    }

    /** The caller's membership and the target's (null when not a member), both locked. */
    private record Pair(Membership me, Membership target) {
    }

    private Pair lockPair(UUID groupId, UUID caller, UUID userId) {
        Map<UUID, Membership> locked = Access.lock(em, groupId,
                        caller.equals(userId) ? List.of(caller) : List.of(caller, userId)).stream()
                .collect(Collectors.toMap(Membership::userId, Function.identity()));
        if (!locked.containsKey(caller)) {
            throw new NotFound(Access.GROUP_NOT_FOUND);
        }
        return new Pair(locked.get(caller), locked.get(userId));
    }
}
