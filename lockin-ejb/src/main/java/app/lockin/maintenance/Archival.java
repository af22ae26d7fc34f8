package app.lockin.maintenance;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

import app.lockin.database.Row;
import app.lockin.database.Rows;

/**
 * Archives the groups whose end has passed (stopping and logging their
 * sessions) and starts pending groups whose start has come: the database
 * function archive_expired_groups(). Each group is archived on its own: one
 * that fails is logged with its id and counted
 * ({@code lockin_archival_failures_total}) and never stops the others. With
 * several instances on one database, one run at a time does the work (an
 * advisory lock); the others find nothing to do.
 */
@Stateless
public class Archival {

    private static final Logger LOG = Logger.getLogger(Archival.class.getName());

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry metrics;

    /** What a run did: how many groups it archived, and the ids of those it could not. */
    public record Run(int archived, List<UUID> failed) {
    }

    /** Runs in a transaction of its own. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public Run archiveExpiredGroups() {
        Row row = Rows.single(em.createNativeQuery(
                        "select archived, array_to_string(failed, ' ') as failed from archive_expired_groups()"));
        String failedIds = row.string("failed");
        List<UUID> failed = failedIds == null || failedIds.isBlank() ? List.of()
                : Arrays.stream(failedIds.split(" ")).map(UUID::fromString).toList();
        Run run = new Run(row.intValue("archived"), failed);
        metrics.counter("lockin_archival_runs_total").inc();
        metrics.counter("lockin_groups_archived_total").inc(run.archived());
        metrics.counter("lockin_archival_failures_total").inc(failed.size());
        failed.forEach(group -> LOG.warning(() -> "Group " + group
                + " could not be archived; the others were. The database log says why; the next run tries again."));
        return run;
    }
}
