package app.lockin.progress;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import app.lockin.groups.Access;
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
    @SuppressWarnings("unchecked")
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Page page(UUID caller, UUID groupId, Optional<Instant> before, int limit) {
        Access.member(em, groupId, caller);
        List<Object[]> rows = em.createNativeQuery("""
                select period_start, period_end, target_minutes, user_ids, seconds_done, goals_met, is_final, is_first, is_sealed
                  from group_history(?1, cast(?2 as timestamptz), ?3, make_interval(secs => ?4))
                """)
                .setParameter(1, groupId)
                .setParameter(2, before.map(Timestamp::from).orElse(null))
                .setParameter(3, limit)
                .setParameter(4, (double) timeline.offlineGrace().toSeconds())
                .getResultList();
        List<HistoryPeriod> periods = rows.stream().map(History::period).toList();
        boolean first = !rows.isEmpty() && (Boolean) rows.get(rows.size() - 1)[7];
        if (rows.stream().anyMatch(r -> (Boolean) r[6] && !(Boolean) r[8])) {
            seals.request(groupId);
        }
        return new Page(periods, periods.size() == limit && !first);
    }

    /** A row of group_history: a period, its entries as three arrays in board order. */
    private static HistoryPeriod period(Object[] r) {
        Object[] users = (Object[]) r[3];
        Object[] seconds = (Object[]) r[4];
        Object[] met = (Object[]) r[5];
        List<HistoryPeriod.Entry> entries = new ArrayList<>(users.length);
        int membersMet = 0;
        for (int i = 0; i < users.length; i++) {
            boolean goalMet = (Boolean) met[i];
            membersMet += goalMet ? 1 : 0;
            entries.add(new HistoryPeriod.Entry((UUID) users[i], ((Number) seconds[i]).longValue(), goalMet));
        }
        return new HistoryPeriod(((Timestamp) r[0]).toInstant(), ((Timestamp) r[1]).toInstant(),
                ((Number) r[2]).intValue(), entries.size(), membersMet, !entries.isEmpty() && membersMet == entries.size(),
                (Boolean) r[6], List.copyOf(entries));
    }
}
