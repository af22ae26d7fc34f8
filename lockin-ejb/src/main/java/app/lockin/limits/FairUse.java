package app.lockin.limits;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;

import app.lockin.database.Migrations;

/**
 * Fair use (API.md "Limits"): each caller's token buckets, kept by Bucket4j's
 * PostgreSQL engine in {@code fair_use_buckets}, so every instance of a
 * deployment counts against the same buckets (and a single {@code
 * --nocluster} instance too). A bucket changes in a short transaction of its
 * own (row lock, update, commit), outside the request's: a request refused
 * by a limit has done nothing, and counting is not undone when the request
 * later fails.
 *
 * <p>Reads are counted in batches ({@link Policy#batch()}): each instance
 * keeps a caller's reads bucket as Bucket4j's delaying optimization does (the
 * bucket's state as last read, and what was taken since), takes from it
 * without a transaction, and writes what it took to the shared bucket, in
 * one transaction that reads the others' count too, at the first read past
 * 1/20 of the quota or past 3 s. So a read rarely touches the database, and
 * the limit holds across the instances within 1/20 of the quota per
 * instance. The held buckets are forgotten ({@link #flushIdle()}, on every
 * maintenance tick) once idle that long, what they took written first; a
 * caller's next read starts from the shared bucket again. Every other limit
 * is counted exactly, a transaction per request.
 *
 * <p>Bucket4j refills by the instance's clock (kept by NTP, as on EC2): the
 * domain's times all come from the database, but a limit only measures
 * elapsed time, which a skew of milliseconds between instances does not change.
 */
@Singleton
@Startup
@DependsOn("Migrations")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class FairUse {

    private static final Logger LOG = Logger.getLogger(FairUse.class.getName());
    private static final int PURGE_BATCH = 1_000;

    @Resource(lookup = Migrations.DATA_SOURCE)
    DataSource dataSource;

    @Inject
    @ConfigProperty(name = Policies.SETTING)
    Optional<String> setting;

    @Inject
    TakenAllowances taken;

    private Policies policies;
    private PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

    /** The batched buckets this instance holds, by bucket key (Bucket4j: an optimized proxy must be reused). */
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    /** A batched bucket and when it was last used ({@link System#nanoTime()}). */
    private static final class Held {
        final BucketProxy bucket;
        final long idleNanos;
        volatile long lastUsed = System.nanoTime();

        Held(BucketProxy bucket, DelayParameters batch) {
            this.bucket = bucket;
            this.idleNanos = batch.maxUnsynchronizedTimeoutNanos;
        }
    }

    @PostConstruct
    void start() {
        policies = Policies.parse(setting.orElse(""));
        buckets = sharedBuckets(dataSource);
        LOG.info(() -> "Fair-use limits per caller (" + Policies.SETTING + "): " + policies);
    }

    /** The buckets every instance shares, in {@code fair_use_buckets} of the database {@code pool} reaches. */
    static PostgreSQLSelectForUpdateBasedProxyManager<String> sharedBuckets(DataSource pool) {
        return Bucket4jPostgreSQL.selectForUpdateBasedBuilder(new BucketTransactions(pool))
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("fair_use_buckets")
                .idColumn("id")
                .stateColumn("state")
                .expiresAtColumn("expires_at")
                // a full bucket is the same as none: its row may go a minute after it filled up
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
                .build();
    }

    /**
     * Takes {@code count} from the caller's bucket of {@code limit} (nothing
     * when the limit is off or {@code count} is 0), and notes where the
     * caller then stands for the answer's headers.
     *
     * @throws TooManyRequests when the bucket holds fewer than {@code count}; nothing is taken then
     */
    public void take(UUID caller, Limit limit, long count) {
        Optional<Policy> policy = policies.of(limit);
        if (policy.isEmpty() || count <= 0) {
            return;
        }
        ConsumptionProbe probe = bucketToTake(policy.get(), caller).tryConsumeAndReturnRemaining(count);
        Allowance allowance = new Allowance(policy.get(), probe.getRemainingTokens(), seconds(probe.getNanosToWaitForReset()));
        taken.add(allowance);
        if (!probe.isConsumed()) {
            throw new TooManyRequests(policy.get(), Math.max(1, seconds(probe.getNanosToWaitForRefill())));
        }
    }

    /** Gives back what {@link #take} took for something that ended (a closed event stream); never fails. */
    public void giveBack(UUID caller, Limit limit, long count) {
        Optional<Policy> policy = policies.of(limit);
        if (policy.isEmpty() || count <= 0) {
            return;
        }
        try {
            bucket(policy.get(), caller).addTokens(count);
        } catch (RuntimeException e) {
            // the refill gives it back in time
            LOG.log(Level.WARNING, "Could not give back a place of the {0} limit: {1}",
                    new Object[] {limit.label(), e.getMessage()});
        }
    }

    /**
     * Writes what this instance took from the batched buckets idle for their
     * batch time (3 s) and forgets them ({@code maintenance.MaintenanceTick},
     * every 5 s on each instance); the number forgotten. A bucket that cannot
     * be written is forgotten all the same: what it held back (at most its
     * batch) goes uncounted, as when an instance dies.
     */
    public int flushIdle() {
        long now = System.nanoTime();
        int forgotten = 0;
        for (Map.Entry<String, Held> entry : held.entrySet()) {
            Held bucket = entry.getValue();
            if (now - bucket.lastUsed >= bucket.idleNanos && held.remove(entry.getKey(), bucket)) {
                flush(bucket);
                forgotten++;
            }
        }
        return forgotten;
    }

    @PreDestroy
    void stop() {
        held.values().forEach(FairUse::flush);
        held.clear();
    }

    private static void flush(Held bucket) {
        try {
            // a transaction only when something was taken since the bucket was last written
            bucket.bucket.getOptimizationController().syncByCondition(1, Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not write the reads an instance held back: {0}", e.getMessage());
        }
    }

    /** Forgets buckets that are full again ({@code maintenance.FairUseBucketPurge}); the rows deleted. */
    public int purgeExpired() {
        int purged = 0;
        int batch;
        do {
            batch = buckets.removeExpired(PURGE_BATCH);
            purged += batch;
        } while (batch == PURGE_BATCH);
        return purged;
    }

    private BucketProxy bucket(Policy policy, UUID caller) {
        return buckets.builder().build(policy.bucketKey(caller), policy::bucket);
    }

    /** The caller's bucket of {@code policy} to take from: the instance's batched one for a batched limit. */
    private BucketProxy bucketToTake(Policy policy, UUID caller) {
        Optional<DelayParameters> batch = policy.batch();
        if (batch.isEmpty()) {
            return bucket(policy, caller);
        }
        Held bucket = held.computeIfAbsent(policy.bucketKey(caller), key -> new Held(buckets.builder()
                .withOptimization(Optimizations.delaying(batch.get()))
                .build(key, policy::bucket), batch.get()));
        bucket.lastUsed = System.nanoTime();
        return bucket.bucket;
    }

    private static long seconds(long nanos) {
        return (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
    }
}
