package app.lockin.database;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The read replicas of {@code DATABASE_READ_URL} as this instance sees them,
 * kept up to date by {@link ReplicaMonitor}: which may serve reads now
 * (reachable, a replica of the primary, and lagging no more than
 * {@code LOCKIN_REPLICA_MAX_LAG}), and how far each has replayed the
 * primary's log. {@link Reads} asks it before each read; nothing here waits.
 */
@ApplicationScoped
public class Replicas {

    /** What a replica is to this instance. */
    public enum Health {
        /** Not reached yet: not used until it is, and checked. */
        UNKNOWN,
        /** Reads may go to it. */
        HEALTHY,
        /** Reachable, but further behind the primary than the bound allows. */
        LAGGING,
        /** Not reachable (or its last check failed). */
        DOWN,
        /** Not a replica of the primary's database: never used. */
        REFUSED
    }

    /** One replica: its address and the last check's findings. */
    public static final class Replica {

        private final DatabaseUrl url;
        private final String name;
        private final String poolUrl;
        private volatile Health health = Health.UNKNOWN;
        private volatile Lsn replayed;
        private volatile double lagSeconds = Double.NaN;

        Replica(DatabaseUrl url) {
            this.url = url;
            String plain = url.toString();
            this.name = plain.substring(plain.indexOf("//") + 2);
            this.poolUrl = ConfiguredDataSource.withDefaults(url.jdbcUrl(), ReplicaDataSource.APPLICATION_NAME);
        }

        public DatabaseUrl url() {
            return url;
        }

        /** host:port/database, for logs and metrics (no credentials). */
        public String name() {
            return name;
        }

        public Health health() {
            return health;
        }

        /** Seconds behind the primary at the last check, NaN when unknown. */
        public double lagSeconds() {
            return lagSeconds;
        }

        /** Whether it showed every transaction committed before {@code position} (the last time it was asked). */
        boolean reached(Lsn position) {
            Lsn r = replayed;
            return r != null && !position.isAfter(r);
        }

        /** It has replayed up to {@code position} at least (replay only moves forward). */
        void replayed(Lsn position) {
            if (position != null) {
                synchronized (this) {
                    replayed = Lsn.later(replayed, position);
                }
            }
        }

        void checked(Health health, double lagSeconds) {
            this.health = health;
            this.lagSeconds = lagSeconds;
        }

        @Override
        public String toString() {
            return name + " (" + health + ")";
        }
    }

    private volatile List<Replica> all = List.of();
    private volatile Map<String, Replica> byPoolUrl = Map.of();
    private volatile Duration maxLag = Duration.ofSeconds(2);
    private volatile Duration wait = Duration.ofMillis(200);

    void configure(List<DatabaseUrl> urls, Duration maxLag, Duration wait) {
        List<Replica> replicas = urls.stream().map(Replica::new).toList();
        this.maxLag = maxLag;
        this.wait = wait;
        this.byPoolUrl = replicas.stream().collect(Collectors.toUnmodifiableMap(r -> r.poolUrl, Function.identity()));
        this.all = replicas;
    }

    /** Whether replicas are configured at all (without them every read goes to the primary, as it always did). */
    public boolean configured() {
        return !all.isEmpty();
    }

    /** Whether some replica may serve reads now. */
    public boolean anyHealthy() {
        for (Replica replica : all) {
            if (replica.health == Health.HEALTHY) {
                return true;
            }
        }
        return false;
    }

    public List<Replica> all() {
        return all;
    }

    /** The replica a pooled connection was opened to (by the URL it was opened with), or null. */
    Replica byPoolUrl(String url) {
        return url == null ? null : byPoolUrl.get(url);
    }

    /** How far behind the primary a replica may be and still serve reads. */
    public Duration maxLag() {
        return maxLag;
    }

    /** How long a read that must show a given position waits for a replica to reach it before it reads the primary. */
    public Duration waitForPosition() {
        return wait;
    }
}
