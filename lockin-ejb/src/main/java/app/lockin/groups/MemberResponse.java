package app.lockin.groups;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.EntityManager;

import app.lockin.profiles.Profile;

/**
 * A member of a group, read in the transaction that found or changed the
 * membership, with their streak as the group's leaderboard shows it (0 and 0
 * to other plain members while they hide from the leaderboard: their streak
 * would tell their hidden entry).
 */
public record MemberResponse(
        UUID userId,
        String displayName,
        String avatarUrl,
        MemberRole role,
        Integer overridePeriodTargetMinutes,
        Instant joinedAt,
        int streak,
        int bestStreak,
        boolean hiddenFromLeaderboard) {

    static MemberResponse of(Membership m, Profile profile, Streak streak) {
        return new MemberResponse(m.userId(), profile.displayName(), profile.avatarUrl(), m.role(),
                m.overridePeriodTargetMinutes(), m.joinedAt(), streak.current(), streak.best(),
                m.isHiddenFromLeaderboard());
    }

    /** As {@code viewer} may see the member (see above). */
    static MemberResponse of(Membership m, Profile profile, Streak streak, Membership viewer) {
        return of(m, profile, m.isSeenBy(viewer) ? streak : Streak.NONE);
    }

    /** After the membership's changes are flushed: its streak is read from the database. */
    static MemberResponse of(EntityManager em, Membership m, Profile profile) {
        return of(m, profile, Streak.of(em, m.group().id(), m.userId()));
    }

    static MemberResponse of(EntityManager em, Membership m) {
        return of(em, m, m.profile());
    }
}
