package app.lockin.groups;

import java.time.Instant;
import java.util.UUID;

import app.lockin.profiles.Profile;

/** A member of a group, read in the transaction that found or changed the membership. */
public record MemberResponse(
        UUID userId,
        String displayName,
        String avatarUrl,
        MemberRole role,
        Integer overridePeriodTargetMinutes,
        Instant joinedAt) {

    static MemberResponse of(Membership m, Profile profile) {
        return new MemberResponse(m.userId(), profile.displayName(), profile.avatarUrl(), m.role(),
                m.overridePeriodTargetMinutes(), m.joinedAt());
    }

    static MemberResponse of(Membership m) {
        return of(m, m.profile());
    }
}
