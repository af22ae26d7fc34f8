package app.lockin.maintenance;

import static app.lockin.testing.Problems.assertProblem;
import static app.lockin.testing.Problems.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Api;
import app.lockin.testing.Fixtures;
import app.lockin.testing.LockinServer;
import app.lockin.testing.Reply;
import app.lockin.testing.Sql;
import app.lockin.testing.TestEnvironment;
import app.lockin.testing.User;

/** Archival on demand (POST /api/maintenance/archive-expired-groups, admins only) and by the EJB timer. */
@LockinServer
class ArchivalIT {

    private static final Sql SQL = TestEnvironment.sql();

    /** A group whose end has just passed, with a running session of its owner; committed as one. */
    static UUID expiredGroupWithRunningSession(User owner) throws Exception {
        return expiredGroupWithRunningSession(owner, UUID.randomUUID());
    }

    static UUID expiredGroupWithRunningSession(User owner, UUID group) throws Exception {
        UUID ownerId = UUID.fromString(Fixtures.profileOf(owner));
        UUID session = UUID.randomUUID();
        Instant started = Instant.now().minus(Duration.ofHours(2));
        try (Connection c = SQL.connect()) {
            c.setAutoCommit(false);
            Sql.prepare(c, "insert into groups (id, owner_id, name, start_at, end_at, period_target_minutes) "
                    + "values (?, ?, 'Expired', now() - interval '3 days', now() - interval '1 second', 30)", group, ownerId).executeUpdate();
            Sql.prepare(c, "insert into group_members (group_id, user_id, role, created_at) values (?, ?, 'owner', now() - interval '3 days')",
                    group, ownerId).executeUpdate();
            Sql.prepare(c, "insert into sessions (id, group_id, creator_id, status, started_at, segment_started_at) "
                    + "values (?, ?, ?, 'running', ?, ?)", session, group, ownerId, Sql.ts(started), Sql.ts(started)).executeUpdate();
            Sql.prepare(c, "insert into session_participants (session_id, user_id, role, joined_at) values (?, ?, 'host', ?)",
                    session, ownerId, Sql.ts(started)).executeUpdate();
            c.commit();
        }
        return group;
    }

    private static String status(UUID group) throws Exception {
        return (String) SQL.value("select status::text from groups where id = ?", group);
    }

    @Test
    void adminsArchiveOnDemand() throws Exception {
        User admin = User.randomIn("admin");
        User owner = User.random();
        UUID group = expiredGroupWithRunningSession(owner);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            Reply reply = admin.api().post("/api/maintenance/archive-expired-groups", null);
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            assertThat(reply.json().getInt("archived")).isGreaterThanOrEqualTo(0);
            assertThat(status(group)).isEqualTo("archived");
        });
        assertThat(SQL.value("select status::text from sessions where group_id = ?", group)).isEqualTo("ended");
        assertThat(SQL.count("select count(*) from time_logs where group_id = ? and source = 'clock'", group)).isEqualTo(1);
        assertProblem(owner.api().patch("/api/groups/" + group, "{\"name\": \"Still here?\"}"), 409);
    }

    @Test
    void everyoneElseIsRefused() {
        assertProblem(User.random().api().post("/api/maintenance/archive-expired-groups", null), 403);
        assertProblem(User.randomIn("editors").api().post("/api/maintenance/archive-expired-groups", null), 403);
        assertRefused(Api.anonymous().post("/api/maintenance/archive-expired-groups", null));
    }

    @Test
    void concurrentRunsAllSucceedAndArchiveEachGroupOnce() throws Exception {
        User admin = User.randomIn("admin");
        User owner = User.random();
        UUID group = expiredGroupWithRunningSession(owner);

        List<CompletableFuture<Reply>> runs = List.of(
                CompletableFuture.supplyAsync(() -> admin.api().post("/api/maintenance/archive-expired-groups", null)),
                CompletableFuture.supplyAsync(() -> admin.api().post("/api/maintenance/archive-expired-groups", null)),
                CompletableFuture.supplyAsync(() -> admin.api().post("/api/maintenance/archive-expired-groups", null)));

        assertThat(runs.stream().map(CompletableFuture::join).toList()).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(status(group)).isEqualTo("archived"));
        assertThat(SQL.count("select count(*) from time_logs where group_id = ? and source = 'clock'", group))
                .as("its running session logged once").isEqualTo(1);
    }

    @Test
    void theTimerArchivesWithoutAnyone() throws Exception {
        UUID group = expiredGroupWithRunningSession(User.random());
        // the suite runs the timer every 2 s (LOCKIN_ARCHIVE_SCHEDULE=2s)
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(status(group)).isEqualTo("archived"));
        assertThat(SQL.value("select status::text from sessions where group_id = ?", group)).isEqualTo("ended");
    }

    /** Reproduction 3: one group that could not be archived used to stop the archival of every group. */
    @Test
    void aGroupThatCannotBeArchivedNeverStopsTheOthers() throws Exception {
        User admin = User.randomIn("admin");
        UUID broken = UUID.randomUUID();
        String refuse = "test_refuse_archival_" + broken.toString().replace("-", "");
        // a test-only trigger makes this one group's archival fail, whoever runs it
        SQL.update("create function " + refuse + "() returns trigger language plpgsql as $$ begin "
                + "raise exception 'refused by the test'; end $$");
        SQL.update("create trigger " + refuse + " before update of status on groups for each row "
                + "when (new.id = '" + broken + "' and new.status = 'archived') execute function " + refuse + "()");
        try {
            expiredGroupWithRunningSession(User.random(), broken);
            UUID fine = expiredGroupWithRunningSession(User.random());

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                Reply reply = admin.api().post("/api/maintenance/archive-expired-groups", null);
                assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
                assertThat(reply.json().keySet()).containsExactlyInAnyOrder("archived", "failed");
                assertThat(reply.json().getInt("failed")).as("the broken group, every run").isGreaterThanOrEqualTo(1);
                assertThat(status(fine)).isEqualTo("archived");
            });
            assertThat(status(broken)).isEqualTo("active");
            assertThat(SQL.value("select status::text from sessions where group_id = ?", broken))
                    .as("its sessions were not stopped either: all or nothing per group").isIn("running", "paused");
            Reply metrics = Api.anonymous().get("/metrics?scope=application", "text/plain");
            assertThat(metrics.body()).containsPattern("lockin_archival_failures_total\\S* [1-9]");
        } finally {
            SQL.update("drop trigger " + refuse + " on groups");
            SQL.update("drop function " + refuse + "()");
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(status(broken)).isEqualTo("archived"));
    }
}
