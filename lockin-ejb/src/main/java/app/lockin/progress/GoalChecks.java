package app.lockin.progress;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Goals crossed while the clock runs. The database knows when each running
 * member will cross their goal (the table goal_checks, kept by the triggers
 * that open and close segments and change targets); this writes the
 * milestones of every check that is due, in one transaction, and tells when
 * the next one is (the function process_due_goal_checks).
 */
@Stateless
public class GoalChecks {

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    /** Writes the milestones of the due checks; when the next check is due, if any. */
    public Optional<Instant> processDue() {
        Object next = em.createNativeQuery("select process_due_goal_checks()").getSingleResult();
        return Optional.ofNullable((Timestamp) next).map(Timestamp::toInstant);
    }
}
