package app.lockin.live;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The threads that compute boards and write events: two, made by the
 * server's {@link ManagedThreadFactory} (so they may call the EJBs), shared
 * by every stream of the instance; no thread waits on an open stream.
 */
@ApplicationScoped
public class LiveExecutor {

    private static final Logger LOG = Logger.getLogger(LiveExecutor.class.getName());

    @Resource
    ManagedThreadFactory threads;

    private ScheduledThreadPoolExecutor executor;

    @PostConstruct
    void start() {
        executor = new ScheduledThreadPoolExecutor(2, threads);
        executor.setRemoveOnCancelPolicy(true);
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    /** The task after the delay; null when the instance is shutting down. */
    ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        try {
            return executor.schedule(logged(task), delay, unit);
        } catch (RejectedExecutionException shuttingDown) {
            return null;
        }
    }

    ScheduledFuture<?> every(Runnable task, long period, TimeUnit unit) {
        return executor.scheduleWithFixedDelay(logged(task), period, period, unit);
    }

    void execute(Runnable task) {
        schedule(task, 0, TimeUnit.NANOSECONDS);
    }

    /** A task that fails is logged; it never stops a periodic one. */
    private static Runnable logged(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A live-update task failed", e);
            }
        };
    }
}
