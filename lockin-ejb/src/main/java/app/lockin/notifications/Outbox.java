package app.lockin.notifications;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

import app.lockin.config.Durations;
import app.lockin.database.DatabaseGauges;

/**
 * Delivers the outbox (R__19_outbox.sql) from this instance, beside every
 * other instance doing the same. One thread claims due items in batches
 * (a lease each, so an item is with one instance at a time; an instance that
 * dies leaves leases that run out, and another takes the items over with the
 * same ids) and hands each to its channel ({@link DeliveryChannel}: APNs,
 * FCM, webhooks), at most {@value #CONCURRENCY_SETTING} in flight. Another
 * writes the results in batches, one transaction each, so a thousand pushes
 * a second cost a few commits, not a thousand. Nothing here runs in a
 * request: a request writes its items in its own transaction and the
 * database wakes every instance when it commits ({@link #wake()}, through
 * the live channel), or the next poll finds them.
 * <p>
 * A database outage stops the claims (the loop backs off, then resumes);
 * results not yet written are kept and written when it is back; an item
 * whose result is lost is tried again when its lease runs out: a receiver
 * drops the repeat by its id.
 */
@Singleton
@Startup
@DependsOn("Migrations")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Outbox {

    static final String FIRST_RETRY_SETTING = "LOCKIN_OUTBOX_FIRST_RETRY";
    static final String CONCURRENCY_SETTING = "LOCKIN_OUTBOX_CONCURRENCY";

    private static final Logger LOG = Logger.getLogger(Outbox.class.getName());
    /** How long an item is this instance's to deliver: well past every channel's 10 s timeout. */
    private static final Duration LEASE = Duration.ofSeconds(30);
    /** How often the dispatcher looks without being woken (items waiting for a retry or for quiet hours to end). */
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(20);
    private static final int BATCH = 100;
    /** This instance as the outbox names it in leased_by: the JVM's pid@host. */
    private static final String INSTANCE = java.lang.management.ManagementFactory.getRuntimeMXBean().getName();
    private static final Duration MOST_BACKOFF = Duration.ofSeconds(10);

    @Resource
    ManagedThreadFactory threads;

    @EJB
    OutboxStore store;

    @Inject
    @Any
    Instance<DeliveryChannel> channelBeans;

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry metrics;

    @Inject
    @ConfigProperty(name = FIRST_RETRY_SETTING, defaultValue = "10s")
    String firstRetrySetting;

    @Inject
    @ConfigProperty(name = CONCURRENCY_SETTING, defaultValue = "128")
    String concurrencySetting;

    private Duration firstRetry;
    private Semaphore inFlight;
    private final Map<String, DeliveryChannel> channels = new HashMap<>();
    /** lockin_deliveries_total's counters by channel/outcome, looked up once each. */
    private final Map<String, Counter> counted = new HashMap<>();
    private final BlockingQueue<OutboxStore.Attempt> results = new LinkedBlockingQueue<>();
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean running;
    private Thread dispatcher;
    private Thread recorder;

    @PostConstruct
    void start() {
        firstRetry = Durations.parse(FIRST_RETRY_SETTING, firstRetrySetting, Duration.ofMillis(100));
        int concurrency;
        try {
            concurrency = Integer.parseInt(concurrencySetting.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(CONCURRENCY_SETTING + " is not a number: " + concurrencySetting, e);
        }
        if (concurrency < 1 || concurrency > 10_000) {
            throw new IllegalArgumentException(CONCURRENCY_SETTING + " must be 1 to 10000: " + concurrencySetting);
        }
        inFlight = new Semaphore(concurrency);
        for (DeliveryChannel channel : channelBeans) {
            channels.put(channel.name(), channel);
        }
        metrics.gauge("lockin_outbox_pending", store, DatabaseGauges.<OutboxStore>orUnknown(s -> s.backlog().pending()));
        metrics.gauge("lockin_outbox_oldest_seconds", store, DatabaseGauges.<OutboxStore>orUnknown(s -> s.backlog().oldestSeconds()));
        running = true;
        dispatcher = thread("lockin-outbox-dispatcher", this::dispatch);
        recorder = thread("lockin-outbox-recorder", this::record);
        LOG.info("Delivering the outbox through " + channels.keySet() + ", " + concurrency
                + " at a time; a failure is retried after " + firstRetry + ", doubling, for 24 hours");
    }

    @PreDestroy
    void stop() {
        running = false;
        wake();
        for (Thread t : new Thread[] {dispatcher, recorder}) {
            if (t != null) {
                t.interrupt();
                try {
                    t.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        // what was delivered but not yet written: written now if it can be, else the leases run out
        drainResults();
    }

    /** Something was written to the outbox (a commit somewhere): look now rather than at the next poll. */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private Thread thread(String name, Runnable body) {
        Thread t = threads.newThread(body);
        t.setName(name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void dispatch() {
        Duration backoff = POLL;
        while (running) {
            try {
                int free = inFlight.availablePermits();
                if (free == 0) {
                    inFlight.acquire();
                    inFlight.release();
                    continue;
                }
                List<OutboxStore.Claimed> claimed = store.claim(Math.min(free, BATCH), LEASE, INSTANCE);
                backoff = POLL;
                if (claimed.isEmpty()) {
                    await(POLL);
                    continue;
                }
                for (OutboxStore.Claimed c : claimed) {
                    inFlight.acquire();
                    send(c);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (running) {
                    LOG.log(Level.WARNING, "Cannot claim outbox items ({0}); trying again in {1} ms",
                            new Object[] {why(e), backoff.toMillis()});
                    await(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(MOST_BACKOFF) > 0 ? MOST_BACKOFF : backoff.multipliedBy(2);
                }
            }
        }
    }

    private void send(OutboxStore.Claimed claimed) {
        OutboxItem item = claimed.item();
        DeliveryChannel channel = channels.get(item.channel());
        CompletionStage<Delivery> sent;
        if (channel == null) {
            sent = CompletableFuture.completedFuture(Delivery.skipped("no " + item.channel() + " channel in this build"));
        } else {
            try {
                sent = channel.send(item, claimed.address());
            } catch (RuntimeException e) {
                sent = CompletableFuture.completedFuture(Delivery.failed(null, why(e)));
            }
        }
        sent.toCompletableFuture()
                .orTimeout(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((delivery, failure) -> {
                    Delivery d = delivery != null ? delivery
                            : Delivery.failed(null, failure instanceof TimeoutException ? "timed out" : why(failure));
                    results.add(new OutboxStore.Attempt(item, d));
                    inFlight.release();
                });
    }

    private void record() {
        while (running) {
            try {
                OutboxStore.Attempt first = results.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                // what finished meanwhile goes with it (more gathers while a commit is under way): one commit for many
                List<OutboxStore.Attempt> batch = new ArrayList<>();
                batch.add(first);
                results.drainTo(batch, 999);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void drainResults() {
        List<OutboxStore.Attempt> batch = new ArrayList<>();
        results.drainTo(batch);
        if (!batch.isEmpty()) {
            try {
                store.finish(batch, firstRetry);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "{0} delivery results not written at shutdown ({1}); their items are tried again",
                        new Object[] {batch.size(), why(e)});
            }
        }
    }

    /** Writes a batch of results; while the database is away, keeps them and tries again. */
    private void write(List<OutboxStore.Attempt> batch) throws InterruptedException {
        Duration backoff = Duration.ofMillis(500);
        while (true) {
            try {
                store.finish(batch, firstRetry);
                for (OutboxStore.Attempt a : batch) {
                    counted.computeIfAbsent(a.item().channel() + '/' + a.delivery().outcome(),
                            k -> metrics.counter("lockin_deliveries_total", new Tag("channel", a.item().channel()),
                                    new Tag("outcome", a.delivery().outcome().name().toLowerCase(Locale.ROOT)))).inc();
                }
                // a webhook's next item may be due now that this one is done
                wake();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.log(Level.WARNING, "Cannot write {0} delivery results ({1}); trying again in {2} ms",
                        new Object[] {batch.size(), why(e), backoff.toMillis()});
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MOST_BACKOFF) > 0 ? MOST_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private void await(Duration most) {
        synchronized (signal) {
            if (!woken) {
                try {
                    signal.wait(most.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            woken = false;
        }
    }

    private static String why(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
