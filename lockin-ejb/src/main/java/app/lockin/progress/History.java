package app.lockin.progress;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import app.lockin.database.Reads;
import app.lockin.database.Row;
import app.lockin.groups.Access;
import app.lockin.rules.NotFound;
import app.lockin.sessions.TimelineSettings;

/**
 * A group's periods, newest first, each with its board (database function
 * group_history: the boards of group_board_at; a final period's board is read
 * as it was sealed, the others are computed from the per-member period
 * totals, so a page costs the same in a group's first week and its last). A
 * page that had to compute a final period asks {@link HistorySeals} to seal
 * the group's final periods.
 */
@Stateless
public class History {

    @Inject
    Reads reads;

    @Inject
    TimelineSettings timeline;

    @EJB
    HistorySeals seals;

    /** A page of periods. */
    public record Page(List<HistoryPeriod> periods, boolean more) {
    }

    /**
     * Up to {@code limit} periods starting before {@code before} (from the
     * current one when empty), newest first; {@code more} when older ones
     * remain. 404 unless the caller is a member.
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Page page(UUID caller, UUID groupId, Optional<Instant> before, int limit) {
        Viewer viewer = viewer(caller, groupId);
        List<Row> rows = reads.list("""
                select period_start, period_end, target_minutes, user_ids, seconds_done, seconds_declared, goals_met,
                       is_final, is_first, is_sealed
                  from group_history(?1, cast(?2 as timestamptz), ?3, make_interval(secs => ?4))
                """, groupId, before.map(Timestamp::from).orElse(null), limit, (double) timeline.offlineGrace().toSeconds());
        List<HistoryPeriod> periods = rows.stream().map(r -> period(r, viewer)).toList();
        boolean first = !rows.isEmpty() && rows.get(rows.size() - 1).bool("is_first");
        if (rows.stream().anyMatch(r -> r.bool("is_final") && !r.bool("is_sealed"))) {
            seals.request(groupId);
        }
        return new Page(periods, periods.size() == limit && !first);
    }

    /**
     * Who reads the history: whom of the group's members and former members
     * they do not see (the database's rules, member_shown and
     * former_member_shown: their entries are absent), who hides from the
     * leaderboard (each entry's {@code hidden}; a former member as they did
     * when they left), who is a member now (the others are former members)
     * and who was erased (an entry without user_id). 404 unless a member.
     */
    private record Viewer(Set<UUID> notShown, Set<UUID> hiding, Set<UUID> members, Set<UUID> erased) {

        boolean sees(UUID member) {
            return !notShown.contains(member);
        }
    }

    private Viewer viewer(UUID caller, UUID groupId) {
        List<Row> rows = reads.list("""
                with formers as (   -- each former member (not a member again) as they last left
                    select distinct on (f.user_id) f.user_id, f.hidden_from_leaderboard
                      from former_members f
                     where f.group_id = ?1
                       and not exists (select 1 from group_members m where m.group_id = f.group_id and m.user_id = f.user_id)
                     order by f.user_id, f.left_at desc, f.id desc)
                select array(select m.user_id from group_members m
                              where m.group_id = v.group_id and not member_shown(m, v)
                             union all
                             select f.user_id from formers f where not former_member_shown(f.hidden_from_leaderboard, v)) as not_shown,
                       array(select h.user_id from group_members h
                              where h.group_id = v.group_id and h.hidden_from_leaderboard
                             union all
                             select f.user_id from formers f where f.hidden_from_leaderboard) as hiding,
                       array(select m.user_id from group_members m where m.group_id = v.group_id) as members,
                       array(select p.id from profiles p
                              where p.erased_at is not null
                                and (p.id in (select f.user_id from formers f)
                                     or p.id in (select m.user_id from group_members m where m.group_id = v.group_id))) as erased
                  from group_members v
                 where v.group_id = ?1 and v.user_id = ?2
                """, groupId, caller);
        if (rows.isEmpty()) {
            throw new NotFound(Access.GROUP_NOT_FOUND);
        }
        Row row = rows.get(0);
        return new Viewer(ids(row.array("not_shown")), ids(row.array("hiding")), ids(row.array("members")),
                ids(row.array("erased")));
    }

    private static Set<UUID> ids(Object[] array) {
        Set<UUID> ids = new HashSet<>();
        for (Object id : array) {
            ids.add((UUID) id);
        }
        return ids;
    }

    /**
     * A row of group_history: a period, its entries as four arrays in board
     * order, as the viewer sees them (without the members they do not see;
     * member_count and members_met count the entries shown). Whether the
     * group's goal was met is the group's, everyone's time counting.
     */
    private static HistoryPeriod period(Row r, Viewer viewer) {
        Object[] users = r.array("user_ids");
        Object[] seconds = r.array("seconds_done");
        Object[] declared = r.array("seconds_declared");
        Object[] met = r.array("goals_met");
        List<HistoryPeriod.Entry> entries = new ArrayList<>(users.length);
        int membersMet = 0;
        boolean everyoneMet = users.length > 0;
        for (int i = 0; i < users.length; i++) {
            boolean goalMet = (Boolean) met[i];
            everyoneMet &= goalMet;
            UUID member = (UUID) users[i];
            if (viewer.sees(member)) {
                membersMet += goalMet ? 1 : 0;
                boolean erased = viewer.erased().contains(member);
                entries.add(new HistoryPeriod.Entry(erased ? null : member, ((Number) seconds[i]).longValue(),
                        ((Number) declared[i]).longValue(), goalMet, viewer.hiding().contains(member),
                        erased || !viewer.members().contains(member)));
            }
        }
        return new HistoryPeriod(r.instant("period_start"), r.instant("period_end"),
                r.intValue("target_minutes"), entries.size(), membersMet, everyoneMet,
                r.bool("is_final"), List.copyOf(entries));
    }
}
