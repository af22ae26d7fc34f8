package app.lockin.progress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import app.lockin.database.Row;
import app.lockin.database.Rows;

/**
 * Presence: who is focusing now (a member is focusing while a session of the
 * group they take part in runs), in the caller's active groups; read through
 * the database function focus_in_groups_of.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class Presence {

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    /** One entry per active group of the caller (by name), with whoever is focusing in it (longest first). */
    @SuppressWarnings("unchecked")
    public List<GroupFocus> focus(UUID caller) {
        List<Row> rows = Rows.list(em.createNativeQuery("""
                select group_id, group_name, user_id, display_name, avatar_url, session_id, since
                  from focus_in_groups_of(?1)
                """)
                .setParameter(1, caller));
        Map<UUID, GroupFocus> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            GroupFocus group = groups.computeIfAbsent(r.uuid("group_id"),
                    id -> new GroupFocus(id, r.string("group_name"), new ArrayList<>()));
            UUID userId = r.uuid("user_id");
            if (userId != null) {
                group.focusing().add(new Focusing(userId, r.string("display_name"), r.string("avatar_url"),
                        r.uuid("session_id"), r.instant("since")));
            }
        }
        return groups.values().stream()
                .map(g -> new GroupFocus(g.groupId(), g.groupName(), List.copyOf(g.focusing())))
                .toList();
    }

    /** The members of the group who see the member (the database's rule, member_shown). */
    @SuppressWarnings("unchecked")
    public Set<UUID> shownTo(UUID groupId, UUID member) {
        List<UUID> ids = em.createNativeQuery("select members_shown(?1, ?2)")
                .setParameter(1, groupId)
                .setParameter(2, member)
                .getResultList();
        return Set.copyOf(ids);
    }

    /** The caller's groups whose members' presence they hear of: every group they are in that is not archived. */
    @SuppressWarnings("unchecked")
    public Set<UUID> groupsOf(UUID caller) {
        List<UUID> ids = em.createNativeQuery("""
                select m.group_id from group_members m join groups g on g.id = m.group_id
                 where m.user_id = ?1 and g.status <> 'archived'
                """)
                .setParameter(1, caller)
                .getResultList();
        return ids.stream().collect(Collectors.toUnmodifiableSet());
    }
}
