package app.lockin.groups;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.EntityManager;

import app.lockin.database.Labels;
import app.lockin.database.Row;
import app.lockin.profiles.Profile;

/**
 * A member of a group, read in the transaction that changed the membership
 * (or by a read of its own), with their streak as the group's leaderboard shows it to the
 * viewer (none, null, to a viewer the database says does not see them: a
 * member who hides is listed with their name and role only; see
 * {@link Streak}).
 */
public record MemberResponse(
        UUID userId,
        String displayName,
        String avatarUrl,
        MemberRole role,
        Integer overridePeriodTargetMinutes,
        Instant joinedAt,
        Integer streak,
        Integer bestStreak,
        boolean hiddenFromLeaderboard) {

    static MemberResponse of(Membership m, Profile profile, Streak streak) {
        return new MemberResponse(m.userId(), profile.displayName(), profile.avatarUrl(), m.role(),
                m.overridePeriodTargetMinutes(), m.joinedAt(), streak.current(), streak.best(),
                m.isHiddenFromLeaderboard());
    }

    /** A row of a read of members with their profiles and streaks ({@code Members.SEEN_BY_VIEWER}). */
    static MemberResponse of(Row r) {
        Streak streak = Streak.of(r);
        return new MemberResponse(r.uuid("user_id"), r.string("display_name"), r.string("avatar_url"),
                Labels.parse(MemberRole.class, r.string("role")), r.integer("override_period_target_minutes"),
                r.instant("joined_at"), streak.current(), streak.best(), r.bool("hidden_from_leaderboard"));
    }

    /** After the membership's changes are flushed: its streak as {@code viewer} sees it is read from the database. */
    static MemberResponse of(EntityManager em, Membership m, Profile profile, UUID viewer) {
        return of(m, profile, Streak.of(em, m.group().id(), m.userId(), viewer));
    }

    static MemberResponse of(EntityManager em, Membership m, UUID viewer) {
        return of(em, m, m.profile(), viewer);
    }
}
