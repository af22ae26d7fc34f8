package app.lockin.progress;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

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
 * group_history: the boards of group_board_at, read from the per-member
 * period totals, so a page costs the same in a group's first week and its
 * last).
 */
@Stateless
public class History {

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    @Inject
    TimelineSettings timeline;

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
                select period_start, period_end, target_minutes, user_id, seconds_done, goal_met, is_final, is_first
                  from group_history(?1, cast(?2 as timestamptz), ?3, make_interval(secs => ?4))
                """)
                .setParameter(1, groupId)
                .setParameter(2, before.map(Timestamp::from).orElse(null))
                .setParameter(3, limit)
                .setParameter(4, (double) timeline.offlineGrace().toSeconds())
                .getResultList();
        List<HistoryPeriod> periods = new ArrayList<>();
        List<HistoryPeriod.Entry> entries = new ArrayList<>();
        Object[] period = null;
        boolean first = false;
        for (Object[] r : rows) {
            if (period == null || !period[0].equals(r[0])) {
                if (period != null) {
                    periods.add(period(period, entries));
                    entries = new ArrayList<>();
                }
                period = r;
                first = (Boolean) r[7];
            }
            if (r[3] != null) {
                entries.add(new HistoryPeriod.Entry((UUID) r[3], ((Number) r[4]).longValue(), (Boolean) r[5]));
            }
        }
        if (period != null) {
            periods.add(period(period, entries));
        }
        return new Page(periods, periods.size() == limit && !first);
    }

    private static HistoryPeriod period(Object[] r, List<HistoryPeriod.Entry> entries) {
        int met = (int) entries.stream().filter(HistoryPeriod.Entry::goalMet).count();
        return new HistoryPeriod(((Timestamp) r[0]).toInstant(), ((Timestamp) r[1]).toInstant(),
                ((Number) r[2]).intValue(), entries.size(), met, !entries.isEmpty() && met == entries.size(),
                (Boolean) r[6], List.copyOf(entries));
    }
}
