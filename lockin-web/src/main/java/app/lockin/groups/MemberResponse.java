package app.lockin.groups;

import java.time.Instant;
import java.util.UUID;

import app.lockin.rest.Wire;

/** A member of a group. */
public record MemberResponse(
        UUID userId,
        String displayName,
        String avatarUrl,
        String role,
        Integer overridePeriodTargetMinutes,
        Instant joinedAt) {

    public static MemberResponse of(Membership m) {
        return new MemberResponse(m.userId(), m.profile().displayName(), m.profile().avatarUrl(), Wire.name(m.role()),
                m.overridePeriodTargetMinutes(), m.joinedAt());
    }
}
