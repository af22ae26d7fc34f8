package app.lockin.progress;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import app.lockin.database.Row;
import app.lockin.database.Rows;
import app.lockin.groups.Access;
import app.lockin.rules.NotFound;

/**
 * The live leaderboard: every member's progress in the group's current period,
 * highest first, read through the database function group_leaderboard (the view
 * group_member_period_progress for one group: DST-correct periods, logs clipped
 * to the period, running segments up to now; its plan is made once per connection).
 * <p>
 * One statement, no transaction: the leaderboard lists every member of the
 * group, so it also answers whether the caller may see it (a separate
 * membership query was most of this read's cost in the server,
 * BENCHMARKS.md).
 */
@Stateless
public class Leaderboard {

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    /**
     * The board as {@code caller} sees it (members the database says they do
     * not see masked: member_shown): 404 unless they are a member.
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<ProgressEntry> current(UUID caller, UUID groupId) {
        List<Row> rows = Rows.list(em.createNativeQuery("select " + ProgressEntry.COLUMNS + ", m.shown"
                        + " from group_leaderboard(?1)" + ProgressEntry.JOIN_MEMBERS_SEEN_BY_VIEWER
                        + " order by b.rank, b.display_name, b.user_id")
                .setParameter(1, groupId)
                .setParameter(2, caller));
        // the board lists every member: it also answers whether the caller is one
        if (rows.stream().noneMatch(r -> caller.equals(r.uuid("user_id")))) {
            throw new NotFound(Access.GROUP_NOT_FOUND);
        }
        return ProgressEntry.seenByViewer(rows);
    }

    /**
     * The board of a group as it is now for all its viewers at once (the live
     * streams), with whom each viewer does not see (empty for an unknown
     * group).
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Board board(UUID groupId) {
        List<ProgressEntry> entries = Rows.list(em.createNativeQuery("select " + ProgressEntry.COLUMNS
                        + " from group_leaderboard(?1)" + ProgressEntry.JOIN_MEMBERS
                        + " order by b.rank, b.display_name, b.user_id")
                .setParameter(1, groupId))
                .stream().map(ProgressEntry::of).toList();
        List<Row> notShown = Rows.list(em.createNativeQuery("""
                select v.user_id as viewer_id, array_agg(m.user_id) as member_ids
                  from group_members v
                  join group_members m on m.group_id = v.group_id
                 where v.group_id = ?1 and not member_shown(m, v)
                 group by v.user_id
                """)
                .setParameter(1, groupId));
        return new Board(entries, notShown);
    }

    /**
     * The board of the group's period that contains {@code at}, as it stood at
     * that period's end (now, for the period still running), by the rules of
     * the current one (database function group_board_at), as the caller sees
     * it: 404 unless the caller is a member, 422 when {@code at} is outside
     * the group's life so far (before its start, at or after its end, or in
     * the future).
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<ProgressEntry> at(UUID caller, UUID groupId, Instant at) {
        Access.member(em, groupId, caller);
        return ProgressEntry.seenByViewer(Rows.list(em.createNativeQuery("select " + ProgressEntry.COLUMNS + ", m.shown"
                        + " from group_board_at(?1, ?3)" + ProgressEntry.JOIN_MEMBERS_SEEN_BY_VIEWER
                        + " order by b.rank, b.display_name, b.user_id")
                .setParameter(1, groupId)
                .setParameter(2, caller)
                .setParameter(3, Timestamp.from(at))));
    }
}
