package app.lockin.progress;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import app.lockin.database.Reads;
import app.lockin.database.Row;

/**
 * A person's own focus: seconds per local day of the time zone they choose,
 * across all their sessions (database function focus_by_day: a log across
 * midnight splits between the two days; the running segment counts up to
 * now), and the days in a row they focused: one statement and one row
 * (focus_stats).
 */
@Stateless
public class FocusStats {

    @Inject
    Reads reads;

    /** Seconds focused on one local day. */
    public record Day(LocalDate date, long seconds) {
    }

    /** {@code GET /api/me/stats}: every day of the range (zero included), their sum, the best one, the current run. */
    public record Summary(List<Day> days, long totalSeconds, Day bestDay, int currentStreakDays) {

        /** Not over the days (equal summaries have equal totals): JSON-B hashes what it writes, see {@link HistoryPeriod#hashCode}. */
        @Override
        public int hashCode() {
            return Long.hashCode(totalSeconds) * 31 + currentStreakDays;
        }
    }

    /** 422 (from the database) when {@code to} is before {@code from}, the range is over 366 days, or the zone is unknown. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Summary of(UUID caller, LocalDate from, LocalDate to, String timezone) {
        Row row = reads.list("select seconds, streak_days from focus_stats(?1, ?2, ?3, ?4)",
                caller, Date.valueOf(from), Date.valueOf(to), timezone).get(0);
        Object[] seconds = row.array("seconds");
        List<Day> days = new ArrayList<>(seconds.length);
        for (int i = 0; i < seconds.length; i++) {
            days.add(new Day(from.plusDays(i), ((Number) seconds[i]).longValue()));
        }
        long total = days.stream().mapToLong(Day::seconds).sum();
        Day best = days.stream().filter(d -> d.seconds() > 0)
                .max(Comparator.comparingLong(Day::seconds).thenComparing(Day::date, Comparator.reverseOrder()))
                .orElse(null);
        return new Summary(List.copyOf(days), total, best, row.intValue("streak_days"));
    }
}
