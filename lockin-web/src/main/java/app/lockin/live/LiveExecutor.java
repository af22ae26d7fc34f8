package app.lockin.live;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The threads of the live updates, made by the server's
 * {@link ManagedThreadFactory} (so they may call the EJBs) and shared by every
 * stream of the instance: two that compute boards and keep time, and
 * {@value #WRITERS} that write events to clients ({@link Subscriber}). No
 * thread waits on an open stream.
 */
@ApplicationScoped
public class LiveExecutor {

    private static final Logger LOG = Logger.getLogger(LiveExecutor.class.getName());

    @Resource
    ManagedThreadFactory threads;

    /** Writer threads: a client that stops reading holds one until the connector's write timeout. */
    static final int WRITERS = 8;

    private ScheduledThreadPoolExecutor executor;
    private ThreadPoolExecutor writers;

    @PostConstruct
    void start() {
        executor = new ScheduledThreadPoolExecutor(2, threads);
        executor.setRemoveOnCancelPolicy(true);
        writers = new ThreadPoolExecutor(WRITERS, WRITERS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
        writers.allowCoreThreadTimeOut(true);
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
        writers.shutdown();
    }

    /** Lets the writers finish what waits (the last events before a stop), for at most {@code wait}. */
    void finishWriting(java.time.Duration wait) {
        writers.shutdown();
        try {
            writers.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Where {@link Subscriber}s write their events. */
    Executor writer() {
        return writers;
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
