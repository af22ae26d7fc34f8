package app.lockin.groups;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;

import app.lockin.rules.Conflict;

/** Focus groups: creating, reading, changing, archiving and cloning them. */
@Stateless
public class Groups {

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    /** A new group with the caller as its owner member. */
    public GroupView create(UUID caller, NewGroup request) {
        Instant now = Instant.now();
        Group group = Group.create(caller, request.name(), request.description(),
                request.startAt() == null ? now : request.startAt(), request.endAt(),
                request.timezone() == null ? "UTC" : request.timezone(),
                request.period() == null ? Period.DAILY : request.period(),
                request.periodTargetMinutes());
        em.persist(group);
        em.persist(Membership.join(group, caller, MemberRole.OWNER));
        em.flush();
        em.refresh(group);
        return new GroupView(group, MemberRole.OWNER, 1);
    }

    /** The caller's groups, newest first, optionally only those of one status. */
    public List<GroupView> mine(UUID caller, Optional<GroupStatus> status) {
        Instant now = Instant.now();
        List<Membership> memberships = em.createNamedQuery(Membership.OF_USER, Membership.class)
                .setParameter("userId", caller)
                .getResultList().stream()
                .filter(m -> status.isEmpty() || m.group().statusAt(now) == status.get())
                .sorted((a, b) -> b.group().createdAt().compareTo(a.group().createdAt()))
                .toList();
        if (memberships.isEmpty()) {
            return List.of();
        }
        Map<UUID, Long> counts = em.createNamedQuery(Membership.COUNTS, Object[].class)
                .setParameter("groupIds", memberships.stream().map(m -> m.group().id()).toList())
                .getResultList().stream()
                .collect(Collectors.toMap(row -> (UUID) row[0], row -> ((Number) row[1]).longValue()));
        return memberships.stream()
                .map(m -> new GroupView(m.group(), m.role(), counts.getOrDefault(m.group().id(), 0L)))
                .toList();
    }

    public GroupView get(UUID caller, UUID groupId) {
        return view(Access.member(em, groupId, caller));
    }

    /** Changes name, description, end or target; owner and admins only. */
    public GroupView update(UUID caller, UUID groupId, GroupChanges changes) {
        Membership membership = Access.manager(em, groupId, caller);
        Group group = em.find(Group.class, groupId, LockModeType.PESSIMISTIC_WRITE);
        group.requireWritable();
        changes.name().ifPresent(group::rename);
        changes.description().ifPresent(d -> group.describe(d.orElse(null)));
        changes.endAt().ifPresent(group::endAt);
        changes.periodTargetMinutes().ifPresent(group::retarget);
        em.flush();
        em.refresh(group);
        return view(membership);
    }

    /** Archives the group now (its running sessions are stopped and logged); the owner only. */
    public GroupView archive(UUID caller, UUID groupId) {
        Membership membership = Access.owner(em, groupId, caller);
        Group group = membership.group();
        group.requireWritable();
        boolean archived = (Boolean) em.createNativeQuery("select archive_group(?1)")
                .setParameter(1, groupId)
                .getSingleResult();
        if (!archived) {
            throw new Conflict("This group is archived already.");
        }
        em.refresh(group);
        return view(membership);
    }

    /** A new active group like this one, starting now, with the caller as owner (database function clone_group). */
    public GroupView cloneGroup(UUID caller, UUID groupId) {
        Access.member(em, groupId, caller);
        UUID copy = (UUID) em.createNativeQuery("select clone_group(?1, ?2)")
                .setParameter(1, groupId)
                .setParameter(2, caller)
                .getSingleResult();
        return get(caller, copy);
    }

    private GroupView view(Membership membership) {
        long members = em.createQuery("select count(m) from Membership m where m.group.id = :groupId", Long.class)
                .setParameter("groupId", membership.group().id())
                .getSingleResult();
        return new GroupView(membership.group(), membership.role(), members);
    }
}
