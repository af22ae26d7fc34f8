package app.lockin.groups;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.EntityManager;

import app.lockin.database.Labels;
import app.lockin.database.Row;
import app.lockin.database.Rows;

/**
 * A member of a group, read by one statement (in the transaction that changed
 * the membership, or by a read of its own), with their streak as the group's leaderboard shows it to the
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

    /**
     * The members of the group ?1 with their profiles and their streaks as the
     * viewer ?2 sees them: the columns {@link #of(Row)} reads.
     */
    static final String SEEN_BY_VIEWER = """
            select m.user_id, p.display_name, p.avatar_url, m.role::text as role, m.override_period_target_minutes,
                   m.created_at as joined_at, m.hidden_from_leaderboard, s.streak, s.best_streak, s.shown
              from group_members m
              join profiles p on p.id = m.user_id
              left join (%s) s on s.user_id = m.user_id
             where m.group_id = ?1
            """.formatted(Streak.SEEN);

    /** A row of {@link #SEEN_BY_VIEWER}. */
    static MemberResponse of(Row r) {
        Streak streak = Streak.of(r);
        return new MemberResponse(r.uuid("user_id"), r.string("display_name"), r.string("avatar_url"),
                Labels.parse(MemberRole.class, r.string("role")), r.integer("override_period_target_minutes"),
                r.instant("joined_at"), streak.current(), streak.best(), r.bool("hidden_from_leaderboard"));
    }

    /** One member as {@code viewer} sees them, read in the transaction that changed the membership, after its flush. */
    static MemberResponse read(EntityManager em, UUID groupId, UUID userId, UUID viewer) {
        return Rows.list(em.createNativeQuery(SEEN_BY_VIEWER + " and m.user_id = ?3")
                        .setParameter(1, groupId)
                        .setParameter(2, viewer)
                        .setParameter(3, userId))
                .stream().findFirst().map(MemberResponse::of)
                .orElseThrow(() -> new IllegalStateException("the membership just written is not there to read"));
    }
}
