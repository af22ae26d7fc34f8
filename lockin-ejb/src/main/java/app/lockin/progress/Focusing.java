package app.lockin.progress;

import java.time.Instant;
import java.util.UUID;

/** A member focusing now: in a running session of the group since {@code since}. */
public record Focusing(UUID userId, String displayName, String avatarUrl, UUID sessionId, Instant since) {
}
