package app.lockin.progress;

import java.sql.Date;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;

import app.lockin.rules.Invalid;

/**
 * A person's own focus: seconds per local day of the time zone they choose,
 * across all their sessions (database function focus_by_day: a log across
 * midnight splits between the two days; the running segment counts up to
 * now), and the days in a row they focused: one statement (focus_stats).
 */
@Stateless
public class FocusStats {

    /** The longest range of days one answer covers. */
    public static final int MAX_DAYS = 366;

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    /** Seconds focused on one local day. */
    public record Day(LocalDate date, long seconds) {
    }

    /** {@code GET /api/me/stats}: every day of the range (zero included), their sum, the best one, the current run. */
    public record Summary(List<Day> days, long totalSeconds, Day bestDay, int currentStreakDays) {
    }

    /** 422 when {@code to} is before {@code from}, the range is over 366 days, or the zone is unknown. */
    @SuppressWarnings("unchecked")
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Summary of(UUID caller, LocalDate from, LocalDate to, String timezone) {
        if (to.isBefore(from)) {
            throw new Invalid("to", "must not be before from");
        }
        if (ChronoUnit.DAYS.between(from, to) + 1 > MAX_DAYS) {
            throw new Invalid("to", "the range may cover at most " + MAX_DAYS + " days");
        }
        List<Object[]> rows;
        try {
            rows = em.createNativeQuery("select day, seconds, streak_days from focus_stats(?1, ?2, ?3, ?4)")
                    .setParameter(1, caller)
                    .setParameter(2, Date.valueOf(from))
                    .setParameter(3, Date.valueOf(to))
                    .setParameter(4, timezone)
                    .getResultList();
        } catch (PersistenceException e) {
            if (UNKNOWN_ZONE.equals(sqlState(e))) {   // the database knows no such zone
                throw new Invalid("timezone", "must be an IANA time zone such as Europe/Paris");
            }
            throw e;
        }
        List<Day> days = rows.stream()
                .map(r -> new Day(((Date) r[0]).toLocalDate(), ((Number) r[1]).longValue()))
                .toList();
        long total = days.stream().mapToLong(Day::seconds).sum();
        Day best = days.stream().filter(d -> d.seconds() > 0)
                .max(Comparator.comparingLong(Day::seconds).thenComparing(Day::date, Comparator.reverseOrder()))
                .orElse(null);
        int streak = rows.isEmpty() ? 0 : ((Number) rows.get(0)[2]).intValue();
        return new Summary(days, total, best, streak);
    }

    /** SQLSTATE invalid_parameter_value: what {@code at time zone} raises for a zone it does not know. */
    private static final String UNKNOWN_ZONE = "22023";

    private static String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
