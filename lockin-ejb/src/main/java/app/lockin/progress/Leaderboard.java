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

    /** The board as {@code caller} may see it (hidden members masked, see {@link Board}): 404 unless they are a member. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<ProgressEntry> current(UUID caller, UUID groupId) {
        Board board = board(groupId);
        if (!board.lists(caller)) {
            throw new NotFound(Access.GROUP_NOT_FOUND);
        }
        return board.seenBy(caller);
    }

    /** The board of a group as it is now, for whoever the caller already checked (empty for an unknown group). */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Board board(UUID groupId) {
        return new Board(Rows.list(em.createNativeQuery("select " + ProgressEntry.COLUMNS
                        + " from group_leaderboard(?1)" + ProgressEntry.JOIN_MEMBERS
                        + " order by b.rank, b.display_name, b.user_id")
                .setParameter(1, groupId)));
    }

    /**
     * The board of the group's period that contains {@code at}, as it stood at
     * that period's end (now, for the period still running), by the rules of
     * the current one (database function group_board_at): 404 unless the
     * caller is a member, 422 when {@code at} is outside the group's life so
     * far (before its start, at or after its end, or in the future).
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<ProgressEntry> at(UUID caller, UUID groupId, Instant at) {
        Access.member(em, groupId, caller);
        return new Board(Rows.list(em.createNativeQuery("select " + ProgressEntry.COLUMNS
                        + " from group_board_at(?1, ?2)" + ProgressEntry.JOIN_MEMBERS
                        + " order by b.rank, b.display_name, b.user_id")
                .setParameter(1, groupId)
                .setParameter(2, Timestamp.from(at)))).seenBy(caller);
    }
}
