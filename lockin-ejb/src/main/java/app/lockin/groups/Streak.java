package app.lockin.groups;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.persistence.EntityManager;

/**
 * A member's streak of periods with the goal met, and their longest, as the
 * group's leaderboard shows them (database function group_leaderboard: one
 * rule for both).
 */
record Streak(int current, int best) {

    static final Streak NONE = new Streak(0, 0);

    /** Every member's streak in the group. */
    @SuppressWarnings("unchecked")
    static Map<UUID, Streak> ofGroup(EntityManager em, UUID groupId) {
        List<Object[]> rows = em.createNativeQuery("select user_id, streak, best_streak from group_leaderboard(?1)")
                .setParameter(1, groupId)
                .getResultList();
        return rows.stream().collect(Collectors.toMap(r -> (UUID) r[0],
                r -> new Streak(((Number) r[1]).intValue(), ((Number) r[2]).intValue())));
    }

    /** One member's streak (none for someone not on the board). */
    @SuppressWarnings("unchecked")
    static Streak of(EntityManager em, UUID groupId, UUID userId) {
        List<Object[]> rows = em.createNativeQuery(
                        "select streak, best_streak from group_leaderboard(?1) where user_id = ?2")
                .setParameter(1, groupId)
                .setParameter(2, userId)
                .getResultList();
        return rows.stream().findFirst()
                .map(r -> new Streak(((Number) r[0]).intValue(), ((Number) r[1]).intValue()))
                .orElse(NONE);
    }
}
