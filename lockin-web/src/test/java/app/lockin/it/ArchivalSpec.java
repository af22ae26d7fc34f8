package app.lockin.it;

import static app.lockin.it.ErrorSpec.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

/** Archival on demand (POST /api/maintenance/archive-expired-groups, admins only) and by the EJB timer. */
abstract class ArchivalSpec {

    /** A group whose end has just passed, with a running session of its owner; committed as one. */
    static UUID expiredGroupWithRunningSession(User owner) throws Exception {
        UUID ownerId = UUID.fromString(Fixtures.profileOf(owner));
        UUID group = UUID.randomUUID();
        UUID session = UUID.randomUUID();
        Instant started = Instant.now().minus(Duration.ofHours(2));
        try (Connection c = Sql.connect()) {
            c.setAutoCommit(false);
            Sql.prepare(c, "insert into groups (id, owner_id, name, start_at, end_at, period_target_minutes) "
                    + "values (?, ?, 'Expired', now() - interval '3 days', now() - interval '1 second', 30)", group, ownerId).executeUpdate();
            Sql.prepare(c, "insert into group_members (group_id, user_id, role) values (?, ?, 'owner')", group, ownerId).executeUpdate();
            Sql.prepare(c, "insert into sessions (id, group_id, creator_id, status, started_at, segment_started_at) "
                    + "values (?, ?, ?, 'running', ?, ?)", session, group, ownerId, SchemaSpec.ts(started), SchemaSpec.ts(started)).executeUpdate();
            Sql.prepare(c, "insert into session_participants (session_id, user_id, role, joined_at) values (?, ?, 'host', ?)",
                    session, ownerId, SchemaSpec.ts(started)).executeUpdate();
            c.commit();
        }
        return group;
    }

    private static String status(UUID group) throws Exception {
        return (String) Sql.value("select status::text from groups where id = ?", group);
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
        assertThat(Sql.value("select status::text from sessions where group_id = ?", group)).isEqualTo("ended");
        assertThat(Sql.count("select count(*) from time_logs where group_id = ? and source = 'clock'", group)).isEqualTo(1);
        assertProblem(owner.api().patch("/api/groups/" + group, "{\"name\": \"Still here?\"}"), 409);
    }

    @Test
    void everyoneElseIsRefused() {
        assertProblem(User.random().api().post("/api/maintenance/archive-expired-groups", null), 403);
        assertProblem(User.randomIn("editors").api().post("/api/maintenance/archive-expired-groups", null), 403);
        TokenSpec.assertRefused(Api.anonymous().post("/api/maintenance/archive-expired-groups", null));
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
        assertThat(Sql.count("select count(*) from time_logs where group_id = ? and source = 'clock'", group))
                .as("its running session logged once").isEqualTo(1);
    }

    @Test
    void theTimerArchivesWithoutAnyone() throws Exception {
        UUID group = expiredGroupWithRunningSession(User.random());
        // the suite runs the timer every 2 s (LOCKIN_ARCHIVE_SCHEDULE=2s)
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(status(group)).isEqualTo("archived"));
        assertThat(Sql.value("select status::text from sessions where group_id = ?", group)).isEqualTo("ended");
    }
}
