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
 * rule for both).
 */
record Streak(int current, int best) {

    static final Streak NONE = new Streak(0, 0);

    /** Every member's streak in the group. */
    static Map<UUID, Streak> ofGroup(EntityManager em, UUID groupId) {
        List<Row> rows = Rows.list(em.createNativeQuery("select user_id, streak, best_streak from group_leaderboard(?1)")
                .setParameter(1, groupId));
        return rows.stream().collect(Collectors.toMap(r -> r.uuid("user_id"), Streak::of));
    }

    /** One member's streak (none for someone not on the board). */
    static Streak of(EntityManager em, UUID groupId, UUID userId) {
        List<Row> rows = Rows.list(em.createNativeQuery(
                        "select streak, best_streak from group_leaderboard(?1) where user_id = ?2")
                .setParameter(1, groupId)
                .setParameter(2, userId));
        return rows.stream().findFirst().map(Streak::of).orElse(NONE);
    }

    /** A row of group_leaderboard's streak and best_streak. */
    private static Streak of(Row r) {
        return new Streak(r.intValue("streak"), r.intValue("best_streak"));
    }
}
