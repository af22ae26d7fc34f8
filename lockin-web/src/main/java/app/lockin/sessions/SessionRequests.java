package app.lockin.sessions;

import java.time.Instant;
import java.util.UUID;

import jakarta.validation.constraints.NotNull;

/** The bodies the session endpoints take. */
final class SessionRequests {

    private SessionRequests() {
    }

    /** {@code POST /api/sessions}: a session of a group, or of one's own (no body, or no group_id). */
    public record NewSession(UUID groupId) {
    }

    /** {@code :start}, {@code :pause}, {@code :resume}, {@code :stop}: when the device did it (none: now). */
    public record Transition(Instant at) {
    }

    /** {@code POST /api/sessions/{id}/logs}: what an offline client measured. */
    public record NewTimeLog(@NotNull(message = "is required") Instant startedAt,
            @NotNull(message = "is required") Instant endedAt) {
    }

    /** {@code :void}: why the log no longer counts (its length is the database's rule, time_logs_void_reason_length). */
    public record VoidRequest(@NotNull(message = "is required") String reason) {
    }
}
