package app.lockin.maintenance;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;

import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

import app.lockin.limits.FairUse;
import app.lockin.notifications.OutboxStore;
import app.lockin.sessions.RunawayGuard;

/**
 * The server's clockwork: one non-persistent {@code @Schedule} tick every
 * {@link #TICK} on each instance, which runs the maintenance jobs in order.
 * The runaway guard runs on every tick, and so do the writing of the reads
 * this instance counted in batches and holds no more ({@link FairUse#flushIdle()})
 * and of the period summaries due to webhooks (one event a group period and
 * webhook, whichever instance writes it first);
 * the archival and the three purges run
 * when {@link MaintenanceSchedule} says they are due, each claimed by one
 * instance of the cluster ({@link MaintenanceJobs}).
 * <p>
 * The runaway guard goes first, so a forgotten session in a group that has
 * just ended is paused where the guard says, not where the archival stops it.
 * Every job runs in transactions of its own and fails alone: a failure is
 * logged, the jobs after it still run, and the tick comes again.
 * <p>
 * The timer's callback only hands the jobs to the container's managed
 * executor and returns. Payara (as GlassFish) counts a callback as failed when
 * an enterprise bean it called failed, even if the callback caught the
 * exception, and cancels a timer for good after two failed deliveries in a
 * row: two ticks during a database outage of ten seconds stopped archival,
 * purges, the runaway guard and the period summaries on that instance until
 * it restarted (OutageIT). Ticks never overlap: one that finds the previous
 * one's jobs still running is skipped.
 */
@Singleton
@Startup
@DependsOn("Migrations")
public class MaintenanceTick {

    private static final int TICK_SECONDS = 5;
    /** How often every instance ticks; a schedule shorter than this runs its jobs on every tick. */
    static final Duration TICK = Duration.ofSeconds(TICK_SECONDS);

    private static final Logger LOG = Logger.getLogger(MaintenanceTick.class.getName());

    @Inject
    MaintenanceSchedule schedule;

    @Resource
    ManagedExecutorService executor;

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry metrics;

    /** Set while a tick's jobs run. */
    private final AtomicBoolean running = new AtomicBoolean();

    @EJB
    RunawayGuard runawayGuard;

    @EJB
    ScheduledArchival archival;

    @EJB
    IdempotencyKeyPurge idempotencyKeyPurge;

    @EJB
    FairUseBucketPurge fairUseBucketPurge;

    @EJB
    FairUse fairUse;

    @EJB
    OutboxStore outbox;

    @EJB
    OutboxPurge outboxPurge;

    /** Reads the schedule at start, so a wrong one stops the deployment with its message. */
    @PostConstruct
    void announce() {
        LOG.info(schedule.every()
                .map(every -> "Archiving expired groups, purging expired idempotency keys and full fair-use buckets every " + every)
                .orElse("Archival and purges are off (" + MaintenanceSchedule.SETTING + "=off); the runaway guard still runs"));
    }

    @Schedule(second = "*/" + TICK_SECONDS, minute = "*", hour = "*", persistent = false, info = "lockin-maintenance-tick")
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void tick() {
        if (!running.compareAndSet(false, true)) {
            LOG.fine("The previous tick's jobs are still running: this tick is skipped");
            return;
        }
        try {
            executor.execute(this::runJobs);
        } catch (RejectedExecutionException e) {
            running.set(false);
            LOG.log(Level.WARNING, "The maintenance jobs could not be started ({0}); the next tick tries again",
                    e.getMessage());
        }
    }

    private void runJobs() {
        try {
            jobs();
        } finally {
            running.set(false);
        }
    }

    private void jobs() {
        run("runaway_guard", "Runaway guard", runawayGuard::pauseRunaways);
        run("read_batches", "Writing the reads counted in batches", fairUse::flushIdle);
        run("archival", "Archival", archival::runIfDue);
        run("idempotency_key_purge", "Purging expired idempotency keys", idempotencyKeyPurge::runIfDue);
        run("fair_use_bucket_purge", "Purging full fair-use buckets", fairUseBucketPurge::runIfDue);
        run("period_summaries", "Writing the period summaries due", outbox::writePeriodSummaries);
        run("outbox_purge", "Purging delivered and dead outbox items", outboxPurge::runIfDue);
    }

    /** Runs a job; a failure is logged and counted in lockin_maintenance_failures_total{job}. */
    private void run(String job, String description, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            metrics.counter("lockin_maintenance_failures_total", new Tag("job", job)).inc();
            LOG.log(Level.WARNING, "{0} failed ({1}); the next tick tries again when it is due",
                    new Object[] {description, why(e)});
        }
    }

    /** The innermost message: the container wraps a job's failure in EJBExceptions. */
    private static String why(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
