package app.lockin.progress;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/**
 * A member's place on a group's leaderboard in one period: their seconds, goal,
 * rank, whether they are focusing, and their streak of periods with the goal
 * met (ending with this one when it is met) and the longest they had.
 */
public record ProgressEntry(UUID userId, String displayName, String avatarUrl, long secondsDone, int targetMinutes,
        boolean goalMet, Instant periodStart, Instant periodEnd, long rank, boolean isFocusing, int streak,
        int bestStreak) {

    /** The columns {@link #of} reads, in its order, of a row of group_member_period_progress. */
    static final String COLUMNS = "user_id, display_name, avatar_url, seconds_done, target_minutes, goal_met, "
            + "period_start, period_end, rank, is_focusing, streak, best_streak";

    static ProgressEntry of(Object[] r) {
        return new ProgressEntry((UUID) r[0], (String) r[1], (String) r[2],
                ((Number) r[3]).longValue(), ((Number) r[4]).intValue(), (Boolean) r[5],
                ((Timestamp) r[6]).toInstant(), ((Timestamp) r[7]).toInstant(), ((Number) r[8]).longValue(),
                (Boolean) r[9], ((Number) r[10]).intValue(), ((Number) r[11]).intValue());
    }
}
