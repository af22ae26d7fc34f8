package app.lockin.groups;

import java.time.Instant;

import jakarta.validation.constraints.NotNull;

/**
 * The body of {@code POST /api/groups}: what a new group is made of. A
 * missing start means now, time zone UTC, period daily; the lengths, window,
 * time zone and target are the database's rules (docs/RULES.md).
 */
public record NewGroup(
        @NotNull(message = "is required") String name,
        String description,
        Instant startAt,
        @NotNull(message = "is required") Instant endAt,
        String timezone,
        Period period,
        @NotNull(message = "is required") Integer periodTargetMinutes) {
}
