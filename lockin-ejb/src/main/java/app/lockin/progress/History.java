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
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import app.lockin.database.Row;
import app.lockin.database.Rows;
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

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

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
        List<Row> rows = Rows.list(em.createNativeQuery("""
                select period_start, period_end, target_minutes, user_ids, seconds_done, goals_met, is_final, is_first, is_sealed
                  from group_history(?1, cast(?2 as timestamptz), ?3, make_interval(secs => ?4))
                """)
                .setParameter(1, groupId)
                .setParameter(2, before.map(Timestamp::from).orElse(null))
                .setParameter(3, limit)
                .setParameter(4, (double) timeline.offlineGrace().toSeconds()));
        List<HistoryPeriod> periods = rows.stream().map(r -> period(r, viewer)).toList();
        boolean first = !rows.isEmpty() && rows.get(rows.size() - 1).bool("is_first");
        if (rows.stream().anyMatch(r -> r.bool("is_final") && !r.bool("is_sealed"))) {
            seals.request(groupId);
        }
        return new Page(periods, periods.size() == limit && !first);
    }

    /**
     * Who reads the history: whether they manage the group (owner, admin), and
     * who of its members hides from the leaderboard. 404 unless a member.
     */
    private record Viewer(UUID id, boolean manages, Set<UUID> hiding) {

        /** Whether the viewer sees who this entry is (a hidden member is masked to other plain members). */
        boolean sees(UUID member) {
            return manages || member.equals(id) || !hiding.contains(member);
        }
    }

    private Viewer viewer(UUID caller, UUID groupId) {
        List<Row> rows = Rows.list(em.createNativeQuery("""
                select m.role in ('owner', 'admin') as manages,
                       array(select h.user_id from group_members h where h.group_id = m.group_id and h.hidden_from_leaderboard)
                           as hiding
                  from group_members m
                 where m.group_id = ?1 and m.user_id = ?2
                """)
                .setParameter(1, groupId)
                .setParameter(2, caller));
        if (rows.isEmpty()) {
            throw new NotFound(Access.GROUP_NOT_FOUND);
        }
        Row row = rows.get(0);
        Set<UUID> hiding = new HashSet<>();
        for (Object id : row.array("hiding")) {
            hiding.add((UUID) id);
        }
        return new Viewer(caller, row.bool("manages"), hiding);
    }

    /** A row of group_history: a period, its entries as three arrays in board order. */
    private static HistoryPeriod period(Row r, Viewer viewer) {
        Object[] users = r.array("user_ids");
        Object[] seconds = r.array("seconds_done");
        Object[] met = r.array("goals_met");
        List<HistoryPeriod.Entry> entries = new ArrayList<>(users.length);
        int membersMet = 0;
        for (int i = 0; i < users.length; i++) {
            boolean goalMet = (Boolean) met[i];
            membersMet += goalMet ? 1 : 0;
            UUID member = (UUID) users[i];
            entries.add(new HistoryPeriod.Entry(viewer.sees(member) ? member : null, ((Number) seconds[i]).longValue(),
                    goalMet, viewer.hiding().contains(member)));
        }
        return new HistoryPeriod(r.instant("period_start"), r.instant("period_end"),
                r.intValue("target_minutes"), entries.size(), membersMet, !entries.isEmpty() && membersMet == entries.size(),
                r.bool("is_final"), List.copyOf(entries));
    }
}
