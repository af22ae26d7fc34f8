package app.lockin.progress;

import java.time.Instant;
import java.util.UUID;

/** A member's place on a group's leaderboard in the current period. */
public record ProgressEntry(UUID userId, String displayName, String avatarUrl, long secondsDone, int targetMinutes,
        boolean goalMet, Instant periodStart, Instant periodEnd, long rank, boolean isFocusing) {
}
