package app.lockin.groups;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.persistence.EntityManager;

import app.lockin.database.Row;
import app.lockin.database.Rows;

/**
 * A member's streak of periods with the goal met, and their longest, as the
 * group's leaderboard shows them (database function group_leaderboard: one
 * rule for both), to a viewer who sees the member (member_shown: others get
 * none, since a streak would tell a masked board entry).
 */
record Streak(int current, int best) {

    static final Streak NONE = new Streak(0, 0);

    /** A board's streaks of the members the viewer (?2) sees, by one key lookup each. */
    private static final String SEEN = """
            select b.user_id, b.streak, b.best_streak
              from group_leaderboard(?1) b
              left join group_members v on v.group_id = ?1 and v.user_id = ?2
             cross join lateral (select member_shown(gm, v) as shown from group_members gm
                                  where gm.group_id = b.group_id and gm.user_id = b.user_id limit 1) m
             where m.shown""";

    /** The streak of every member of the group the viewer sees. */
    static Map<UUID, Streak> seenBy(EntityManager em, UUID groupId, UUID viewer) {
        List<Row> rows = Rows.list(em.createNativeQuery(SEEN)
                .setParameter(1, groupId)
                .setParameter(2, viewer));
        return rows.stream().collect(Collectors.toMap(r -> r.uuid("user_id"), Streak::of));
    }

    /** One member's streak as the viewer sees it (none for someone not on the board or not seen). */
    static Streak of(EntityManager em, UUID groupId, UUID userId, UUID viewer) {
        List<Row> rows = Rows.list(em.createNativeQuery(SEEN + " and b.user_id = ?3")
                .setParameter(1, groupId)
                .setParameter(2, viewer)
                .setParameter(3, userId));
        return rows.stream().findFirst().map(Streak::of).orElse(NONE);
    }

    /** A row of group_leaderboard's streak and best_streak. */
    private static Streak of(Row r) {
        return new Streak(r.intValue("streak"), r.intValue("best_streak"));
    }
}
