package app.lockin.groups;

import java.time.Instant;
import java.util.UUID;

/**
 * A group as the API shows it to one of its members, read in the
 * transaction that found it; its status is the database's as of now
 * ({@code group_status_now}).
 */
public record GroupResponse(
        UUID id,
        UUID ownerId,
        String name,
        String description,
        Instant startAt,
        Instant endAt,
        String timezone,
        Period period,
        int periodTargetMinutes,
        DeclaredTime declaredTime,
        GroupStatus status,
        long memberCount,
        MemberRole myRole,
        Instant createdAt,
        Instant updatedAt) {
}
