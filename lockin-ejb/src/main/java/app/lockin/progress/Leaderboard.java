package app.lockin.progress;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import app.lockin.database.Lsn;
import app.lockin.database.Reads;
import app.lockin.database.Row;
import app.lockin.groups.Access;

/**
 * The live leaderboard: every member's progress in the group's current period,
 * highest first, read through the database function group_leaderboard (the view
 * group_member_period_progress for one group: DST-correct periods, logs clipped
 * to the period, running segments up to now; its plan is made once per connection).
 * Each member reads it as they see it (group_leaderboard_seen_by: a member who
 * hides is absent to other plain members, the others ranked among themselves).
 * <p>
 * No transaction: the board lists every member, so it also answers whether
 * a caller may see it (a separate membership query was most of this read's
 * cost in the server, BENCHMARKS.md). The web tier keeps the current board
 * of each group for a moment and shares it among the group's readers.
 */
@Stateless
public class Leaderboard {

    @Inject
    Reads reads;

    /**
     * The board of a group as it is now for all its viewers at once (the live
     * streams, the current board's readers): in full, and as each audience that does not see everyone sees
     * it (viewers who do not see the same members: one computation for each
     * such set, none when nobody hides). Empty for an unknown group. Read
     * where everything committed before {@code after} shows (null: anywhere
     * recent enough, {@link Reads}).
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Board board(UUID groupId, Lsn after) {
        List<ProgressEntry> entries = ProgressEntry.of(reads.listAfter(after, ProgressEntry.IN_FULL, groupId));
        List<Row> notShown = reads.listAfter(after, """
                select v.user_id as viewer_id, array_agg(m.user_id order by m.user_id) as member_ids
                  from group_members v
                  join group_members m on m.group_id = v.group_id
                 where v.group_id = ?1 and not member_shown(m, v)
                 group by v.user_id
                """, groupId);
        return new Board(entries, notShown, viewer -> ProgressEntry.of(reads.listAfter(after,
                "select * from group_leaderboard_seen_by(?1, ?2)" + ProgressEntry.SEEN_IN_ORDER, groupId, viewer)));
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
        Access.member(reads, groupId, caller);
        return ProgressEntry.of(reads.list("select * from group_board_at(?1, ?2, ?3)" + ProgressEntry.SEEN_IN_ORDER,
                groupId, Timestamp.from(at), caller));
    }
}
