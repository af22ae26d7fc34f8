package app.lockin.progress;

import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import app.lockin.groups.Access;

/**
 * The live leaderboard: every member's progress in the group's current period,
 * highest first, read from the database view group_member_period_progress
 * (DST-correct periods, logs clipped to the period, running segments up to now).
 */
@Stateless
public class Leaderboard {

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    @SuppressWarnings("unchecked")
    public List<ProgressEntry> current(UUID caller, UUID groupId) {
        Access.member(em, groupId, caller);
        List<Object[]> rows = em.createNativeQuery("""
                select user_id, display_name, avatar_url, seconds_done, target_minutes, goal_met,
                       period_start, period_end, rank, is_focusing
                  from group_member_period_progress
                 where group_id = ?1
                 order by rank, display_name, user_id
                """)
                .setParameter(1, groupId)
                .getResultList();
        return rows.stream().map(r -> new ProgressEntry((UUID) r[0], (String) r[1], (String) r[2],
                ((Number) r[3]).longValue(), ((Number) r[4]).intValue(), (Boolean) r[5],
                ((Timestamp) r[6]).toInstant(), ((Timestamp) r[7]).toInstant(), ((Number) r[8]).longValue(),
                (Boolean) r[9])).toList();
    }
}
