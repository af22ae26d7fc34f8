package app.lockin.groups;

import java.time.Instant;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The body of {@code POST /api/groups/{id}/links}: until when (none: seven
 * days; at most ninety) and how many uses (none: no limit).
 */
public record NewJoinLink(Instant expiresAt,
        @Min(value = 1, message = "must be at least 1") @Max(value = 1000, message = "must be at most 1000") Integer maxUses) {
}
