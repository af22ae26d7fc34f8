package app.lockin.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Api;
import app.lockin.testing.Fixtures;
import app.lockin.testing.Fixtures.Crew;
import app.lockin.testing.Focus;
import app.lockin.testing.LockinServer;
import app.lockin.testing.OwnServer;
import app.lockin.testing.Problems;
import app.lockin.testing.ReadAfter;
import app.lockin.testing.Reply;
import app.lockin.testing.TestEnvironment;
import app.lockin.testing.TestReplica;
import app.lockin.testing.User;

/**
 * Reads from a real streaming replica (the run's {@link TestReplica}, which
 * the suite's server reads from through DATABASE_READ_URL): the reads go
 * there, a writer's next read shows their write although the replica is
 * held behind ({@code pg_wal_replay_pause()}), others may read the old state
 * only within the lag bound, and a replica that stops changes nothing for
 * users. A malformed DATABASE_READ_URL, and one that names a primary, stop
 * the deployment.
 */
@LockinServer
class ReplicaIT {

    private static final Pattern POSITION = Pattern.compile("[0-9A-F]{1,8}/[0-9A-F]{1,8}");

    /** One metric of the application scope with the given tag text, NaN when absent. */
    private static double metric(String name, String tag) {
        Reply metrics = Api.anonymous().get("/metrics?scope=application", "text/plain");
        assertThat(metrics.status()).as(metrics.toString()).isEqualTo(200);
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*" + Pattern.quote(tag) + "[^}]*\\} ([-0-9.eE+NaN]+)$")
                .matcher(metrics.body());
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static double healthy() {
        return metric("lockin_replica_healthy", "replica=\"localhost:" + TestReplica.port() + "/lockin\"");
    }

    private static double readsOnReplica() {
        return metric("lockin_reads_total", "target=\"replica\"");
    }

    private static void awaitHealthy() {
        await("the replica healthy again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> healthy() == 1.0);
    }

    /** The person's seconds on the board of the current period as {@code api} reads it ({@code ?at=}, a read of the replica's). */
    private static long secondsOn(Api api, String groupId, User person) {
        return secondsOnBoard(api, "/api/groups/" + groupId + "/progress?at=" + Instant.now().minusSeconds(1), person);
    }

    /** The same on the current board (the one the live streams get, computed after each change heard of). */
    private static long currentSeconds(Api api, String groupId, User person) {
        return secondsOnBoard(api, "/api/groups/" + groupId + "/progress/current", person);
    }

    private static long secondsOnBoard(Api api, String boardPath, User person) {
        Reply board = api.get(boardPath);
        assertThat(board.status()).as(board.toString()).isEqualTo(200);
        String id = Fixtures.profileOf(person);
        return board.jsonArray().getValuesAs(JsonObject.class).stream().filter(e -> e.getString("user_id").equals(id))
                .findFirst().orElseThrow().getJsonNumber("seconds_done").longValue();
    }

    @Test
    void readsGoToTheReplica() throws Exception {
        awaitHealthy();
        Crew crew = Fixtures.crewSinceYesterday();
        // (after a replica's restart the read pool may hold its dead connections for 2 s: reads go
        // to the primary meanwhile)
        await("reads counted on the replica").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            double before = readsOnReplica();
            for (int i = 0; i < 5; i++) {
                secondsOn(crew.owner().api().withoutReadAfter(), crew.groupId(), crew.member());
            }
            assertThat(readsOnReplica()).isGreaterThanOrEqualTo(before + 10);   // two reads each
        });
        try (Connection c = DriverManager.getConnection(TestReplica.jdbcUrl()); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from pg_stat_activity where application_name = 'lockin-read'")) {
            r.next();
            assertThat(r.getInt(1)).as("the server's read pool is connected to the replica").isPositive();
        }
    }

    @Test
    void aWritersNextReadShowsTheWriteWhileTheReplicaIsHeldBehind() throws Exception {
        awaitHealthy();
        Crew crew = Fixtures.crewSinceYesterday();
        Api owner = crew.owner().api().withoutReadAfter();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String session = Focus.pausedSince(crew.member(), crew.groupId(), t0.minusSeconds(600));
        Focus.log(crew.member(), session, t0.minusSeconds(500), t0.minusSeconds(440));
        await().atMost(Duration.ofSeconds(10)).until(() -> secondsOn(owner, crew.groupId(), crew.member()) == 60);

        TestReplica.replay(false);
        try {
            Reply logged = Focus.postLog(crew.member(), session, t0.minusSeconds(400), t0.minusSeconds(370));
            long written = System.nanoTime();
            assertThat(logged.status()).as(logged.toString()).isEqualTo(201);
            assertThat(logged.header(ReadAfter.HEADER)).as("a write's answer says where it committed")
                    .hasValueSatisfying(v -> assertThat(v).matches(POSITION));

            assertThat(secondsOn(crew.member().api(), crew.groupId(), crew.member()))
                    .as("the writer's next read, echoing the header").isEqualTo(90);
            assertThat(secondsOn(crew.member().api().withoutReadAfter(), crew.groupId(), crew.member()))
                    .as("the writer's next read through the same instance, without the header").isEqualTo(90);
            long seenByOther = secondsOn(owner, crew.groupId(), crew.member());
            if (System.nanoTime() - written < Duration.ofMillis(1_500).toNanos()) {
                assertThat(seenByOther).as("someone else, without the header, within the lag bound: the replica's state")
                        .isEqualTo(60);
            }
            await("the current board, computed where the change it heard of shows").atMost(Duration.ofSeconds(3))
                    .untilAsserted(() -> assertThat(currentSeconds(owner, crew.groupId(), crew.member())).isEqualTo(90));

            await("the replica, held behind, passed over once it lags more than the bound")
                    .atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).until(() -> healthy() == 0.0);
            assertThat(metric("lockin_replica_lag_seconds", "replica=\"localhost:" + TestReplica.port() + "/lockin\""))
                    .isGreaterThan(2.0);
            assertThat(secondsOn(owner, crew.groupId(), crew.member())).as("reads of the primary meanwhile").isEqualTo(90);
        } finally {
            TestReplica.replay(true);
        }
        awaitHealthy();
        assertThat(secondsOn(owner, crew.groupId(), crew.member())).as("the replica caught up").isEqualTo(90);
    }

    /** A member's display name as the group's member list, the member's own entry and their export show it to each reader. */
    private record Names(String listed, String one, String exported) {
    }

    private static Names namesOf(Api reader, Api exporter, String groupId, String memberId) {
        Reply list = reader.get("/api/groups/" + groupId + "/members");
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        Reply one = reader.get("/api/groups/" + groupId + "/members/" + memberId);
        assertThat(one.status()).as(one.toString()).isEqualTo(200);
        Reply export = exporter.get("/api/me/export");
        assertThat(export.status()).as(export.toString()).isEqualTo(200);
        return new Names(list.jsonArray().getValuesAs(JsonObject.class).stream()
                .filter(m -> m.getString("user_id").equals(memberId)).findFirst().orElseThrow().getString("display_name"),
                one.json().getString("display_name"), export.json().getJsonObject("profile").getString("display_name"));
    }

    @Test
    void memberListsAndExportsReadTheReplicaAndShowWhatTheCallerMustSee() throws Exception {
        awaitHealthy();
        Crew crew = Fixtures.crewSinceYesterday();
        String memberId = Fixtures.profileOf(crew.member());
        Api admin = crew.admin().api().withoutReadAfter();
        Api member = crew.member().api().withoutReadAfter();
        String name = namesOf(admin, member, crew.groupId(), memberId).listed();
        await("the replica shows the crew").atMost(Duration.ofSeconds(10))
                .until(() -> namesOf(admin, member, crew.groupId(), memberId).equals(new Names(name, name, name)));

        TestReplica.replay(false);
        try {
            // a change on the primary that no answer told anyone of: only a read of the replica misses it
            TestEnvironment.sql().update("update profiles set display_name = 'Renamed behind the replica' where id = ?::uuid", memberId);
            long changed = System.nanoTime();
            Names seen = namesOf(admin, member, crew.groupId(), memberId);
            if (System.nanoTime() - changed < Duration.ofMillis(1_500).toNanos()) {
                assertThat(seen).as("the member list, the member's entry and the export, read on the replica held behind")
                        .isEqualTo(new Names(name, name, name));
            }
            String position;
            try (Connection c = DriverManager.getConnection(TestEnvironment.jdbcUrl()); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("select pg_current_wal_insert_lsn()::text")) {
                r.next();
                position = r.getString(1);
            }
            String renamed = "Renamed behind the replica";
            assertThat(namesOf(admin.withHeader(ReadAfter.HEADER, position), member.withHeader(ReadAfter.HEADER, position),
                    crew.groupId(), memberId))
                    .as("a reader who must see the primary's position: the primary, the replica not having it")
                    .isEqualTo(new Names(renamed, renamed, renamed));
        } finally {
            TestReplica.replay(true);
        }
        awaitHealthy();
    }

    @Test
    void aStoppedReplicaChangesNothingForUsers() throws Exception {
        awaitHealthy();
        Crew crew = Fixtures.crewSinceYesterday();
        Api owner = crew.owner().api().withoutReadAfter();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String session = Focus.pausedSince(crew.member(), crew.groupId(), t0.minusSeconds(600));
        TestReplica.stop();
        try {
            Focus.log(crew.member(), session, t0.minusSeconds(500), t0.minusSeconds(440));
            assertThat(secondsOn(crew.member().api(), crew.groupId(), crew.member())).isEqualTo(60);
            assertThat(secondsOn(owner, crew.groupId(), crew.member())).isEqualTo(60);
            assertThat(currentSeconds(owner, crew.groupId(), crew.member())).isEqualTo(60);
            Reply history = owner.get("/api/groups/" + crew.groupId() + "/history");
            assertThat(history.status()).as(history.toString()).isEqualTo(200);
            Reply stats = crew.member().api().withoutReadAfter().get("/api/me/stats?from=" + LocalDate.now(ZoneOffset.UTC).minusDays(1)
                    + "&to=" + LocalDate.now(ZoneOffset.UTC).plusDays(1) + "&timezone=UTC");
            assertThat(stats.status()).as(stats.toString()).isEqualTo(200);
            assertThat(stats.json().getJsonNumber("total_seconds").longValue()).isEqualTo(60);
            Reply members = owner.get("/api/groups/" + crew.groupId() + "/members");
            assertThat(members.status()).as(members.toString()).isEqualTo(200);
            assertThat(members.jsonArray()).hasSize(3);
            Reply csv = crew.member().api().withoutReadAfter().get("/api/me/time-logs.csv?from=" + t0.minusSeconds(3_600)
                    + "&to=" + t0.plusSeconds(60), "text/csv");
            assertThat(csv.status()).as(csv.toString()).isEqualTo(200);
            assertThat(csv.body().lines()).as("the header and the log").hasSize(2);
            Reply export = crew.member().api().withoutReadAfter().get("/api/me/export");
            assertThat(export.status()).as(export.toString()).isEqualTo(200);
            assertThat(export.json().getJsonArray("time_logs")).hasSize(1);
            assertThat(Api.anonymous().get("/health/ready").status()).as("ready while the primary is up").isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> healthy() == 0.0);
        } finally {
            TestReplica.restart();
        }
        awaitHealthy();
        assertThat(secondsOn(owner, crew.groupId(), crew.member())).isEqualTo(60);
    }

    @Test
    void aPositionThatIsNoneIsRefused() {
        User user = User.random();
        for (String bad : List.of("", "nonsense", "16", "1/2/3", "G/1", "123456789/0", "1/1; drop table groups")) {
            Reply read = user.api().withHeader(ReadAfter.HEADER, bad).get("/api/me/memberships");
            Problems.assertProblem(read, 400);
            assertThat(read.json().getString("detail")).contains(ReadAfter.HEADER);
            Reply write = user.api().withHeader(ReadAfter.HEADER, bad).post("/api/groups", Fixtures.groupBody("Refused"));
            Problems.assertProblem(write, 400);
        }
        assertThat(user.api().get("/api/me/memberships").jsonArray()).as("nothing was created").isEmpty();
        assertThat(user.api().withHeader(ReadAfter.HEADER, "0/0").get("/api/me/memberships").status()).isEqualTo(200);
    }

    @Test
    void aMalformedReadUrlStopsTheDeployment() throws Exception {
        String log = OwnServer.failedStart("replica-malformed", Map.of("DATABASE_READ_URL",
                TestEnvironment.jdbcUrl() + ",mysql://replica/lockin"));
        assertThat(log).contains("DATABASE_READ_URL's URL 2 of 2 must start with postgresql://");
    }

    @Test
    void aReadUrlThatNamesAPrimaryStopsTheDeployment() throws Exception {
        String log = OwnServer.failedStart("replica-not-a-replica", Map.of("DATABASE_READ_URL", TestEnvironment.jdbcUrl()));
        assertThat(log).contains("is not a replica (pg_is_in_recovery() is false: a primary)");
    }
}
