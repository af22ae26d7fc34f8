package app.lockin.health;

import static app.lockin.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Api;
import app.lockin.testing.LockinServer;
import app.lockin.testing.Reply;
import app.lockin.testing.TestDatabase;
import app.lockin.testing.TestEnvironment;
import app.lockin.testing.User;

/**
 * While the database refuses connections, the instance says so: readiness
 * DOWN and 503 problems (never a 500 or a hang), the streamed exports
 * included; when it comes back, so does the service, without a restart.
 */
@LockinServer
class OutageIT {

    /** Runs SQL as the superuser on the maintenance database, which stays reachable. */
    private static void admin(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(TestDatabase.jdbcUrl("postgres"));
             Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static final Pattern RUNAWAY_GUARD_FAILURES =
            Pattern.compile("lockin_maintenance_failures_total\\{[^}]*job=\"runaway_guard\"[^}]*\\} ([0-9.eE+]+)");

    /** lockin_maintenance_failures_total{job="runaway_guard"} as /metrics shows it (0 before the first failure). */
    private static long runawayGuardFailures() {
        Reply metrics = Api.anonymous().get("/metrics?scope=application", "text/plain");
        assertThat(metrics.status()).as(metrics.toString()).isEqualTo(200);
        Matcher count = RUNAWAY_GUARD_FAILURES.matcher(metrics.body());
        return count.find() ? (long) Double.parseDouble(count.group(1)) : 0;
    }

    @Test
    void anUnreachableDatabaseGives503AndNotReadyThenRecovers() throws Exception {
        User known = User.random();
        assertThat(known.api().get("/api/me").status()).isEqualTo(200);
        long failuresBefore = runawayGuardFailures();
        try {
            admin("alter database lockin allow_connections false",
                    "select pg_terminate_backend(pid) from pg_stat_activity where datname = 'lockin'");

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Reply ready = Api.anonymous().get("/health/ready");
                assertThat(ready.status()).isEqualTo(503);
                assertThat(ready.body()).contains("DOWN");
            });
            Reply newcomer = User.random().api().get("/api/me");
            assertProblem(newcomer, 503);
            assertProblem(known.api().get("/api/me"), 503);
            // the exports, written as they are read, fail before their first byte: a problem still
            assertProblem(known.api().get("/api/me/export"), 503);
            assertProblem(known.api().get("/api/me/time-logs.csv?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z", "text/csv"), 503);
            assertThat(Api.anonymous().get("/health/live").status()).as("alive all the same").isEqualTo(200);
            // until two maintenance ticks (every 5 s) have failed: the container cancels a timer whose
            // callback failed twice in a row, and the maintenance must go on all the same
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> runawayGuardFailures() >= failuresBefore + 2);
        } finally {
            admin("alter database lockin allow_connections true");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(Api.anonymous().get("/health/ready").status()).isEqualTo(200);
            assertThat(known.api().get("/api/me").status()).isEqualTo(200);
        });
        // the maintenance tick still runs: the archival (every 2 s in this suite) claims a run after the outage
        Object recovered = TestEnvironment.sql().value("select now()");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(TestEnvironment.sql().count("select count(*) from maintenance_jobs"
                        + " where job = 'archive-expired-groups' and last_run_at > ?", recovered))
                        .as("an archival run claimed after the outage").isOne());
    }
}
