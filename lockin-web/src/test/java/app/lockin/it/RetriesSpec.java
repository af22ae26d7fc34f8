package app.lockin.it;

import static app.lockin.it.ErrorSpec.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

/**
 * Retries and several devices (API.md "Retries, several devices, offline
 * clients"): Idempotency-Key on every POST, the sessions list a second device
 * reads, and the delta sync of one's time logs.
 */
abstract class RetriesSpec {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** A POST with an Idempotency-Key. */
    static Reply post(User user, String path, String key, String body) {
        return post(user.accessToken(), path, key, body);
    }

    static Reply post(String token, String path, String key, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(TestEnvironment.baseUrl() + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRetryGetsTheFirstAnswerAgainWithoutDoingTheWorkTwice() throws Exception {
        User user = User.random();
        String body = Fixtures.groupBody("Retried");
        Reply first = post(user, "/api/groups", "create-group-1", body);
        Reply again = post(user, "/api/groups", "create-group-1", body);

        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.header("Idempotency-Replayed")).isEmpty();
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.header("Idempotency-Replayed")).hasValue("true");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        assertThat(user.api().get("/api/groups").jsonArray()).as("one group").hasSize(1);

        // another request under the same key: 422; another person's same key is theirs
        Reply other = post(user, "/api/groups", "create-group-1", Fixtures.groupBody("Another"));
        assertProblem(other, 422);
        assertThat(other.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("Idempotency-Key");
        User someoneElse = User.random();
        assertThat(post(someoneElse, "/api/groups", "create-group-1", body).header("Idempotency-Replayed")).isEmpty();
    }

    @Test
    void errorsAreAnswersToo() {
        User user = User.random();
        Reply first = post(user, "/api/groups", "bad-group", "{\"name\": \"\"}");
        assertProblem(first, 422);
        Reply again = post(user, "/api/groups", "bad-group", "{\"name\": \"\"}");
        assertThat(again.status()).isEqualTo(422);
        assertThat(again.header("Idempotency-Replayed")).hasValue("true");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.contentType()).startsWith("application/problem+json");
    }

    /**
     * The database refuses the work (a second running session: 409) and rolls it back; the answer
     * is still kept for the key, and nothing of the work is.
     */
    @Test
    void theAnswerOfRefusedWorkIsKeptWithoutTheWork() throws Exception {
        User host = User.random();
        String running = Focus.session(host, null);
        Focus.ok(Focus.act(host, running, "start"));
        String second = Focus.session(host, null);

        Reply first = post(host, "/api/sessions/" + second + ":start", "second-start", null);
        Reply again = post(host, "/api/sessions/" + second + ":start", "second-start", null);

        assertProblem(first, 409);
        assertThat(first.json().getString("running_session_id")).isEqualTo(running);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.header("Idempotency-Replayed")).hasValue("true");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(Focus.get(host, second).getString("status")).isEqualTo("scheduled");
        Focus.ok(Focus.act(host, running, "stop"));
    }

    /** A repeat that arrives while the first request runs waits and gets its answer once it commits. */
    @Test
    void aRepeatWaitsForTheFirstAnswer() throws Exception {
        HeldStart held = HeldStart.of(User.random(), "waited");
        CompletableFuture<Reply> repeat;
        try (held) {
            repeat = CompletableFuture.supplyAsync(held::repeat);
            // the repeat waits on the first one's claim of the key
            await().atMost(Duration.ofSeconds(10)).until(() -> waitingOnLocks() == 2);
        }
        Reply answered = held.first().get(30, TimeUnit.SECONDS);
        Reply replayed = repeat.get(30, TimeUnit.SECONDS);
        assertThat(answered.status()).as(answered.toString()).isEqualTo(200);
        assertThat(replayed.status()).as(replayed.toString()).isEqualTo(200);
        assertThat(replayed.header("Idempotency-Replayed")).hasValue("true");
        assertThat(replayed.body()).isEqualTo(answered.body());
        Focus.ok(Focus.act(held.host(), held.session(), "stop"));
    }

    /**
     * A {@code :start} of a new scheduled session (the suite's runaway guard leaves it alone), held
     * up by another transaction's lock on the session's row: the request has claimed its key
     * (uncommitted, in its own transaction) and waits; closing lets it go on.
     */
    private record HeldStart(User host, String session, String key, Connection lock, CompletableFuture<Reply> first)
            implements AutoCloseable {

        static HeldStart of(User host, String key) throws Exception {
            String session = Focus.session(host, null);
            Connection lock = Sql.connect();
            lock.setAutoCommit(false);
            Sql.prepare(lock, "select 1 from sessions where id = ?::uuid for update", session).executeQuery();
            String token = host.accessToken();
            CompletableFuture<Reply> first = CompletableFuture.supplyAsync(
                    () -> post(token, "/api/sessions/" + session + ":start", key, null));
            await().atMost(Duration.ofSeconds(10)).until(() -> waitingOnLocks() == 1);
            return new HeldStart(host, session, key, lock, first);
        }

        /** The same request again, with the same key. */
        Reply repeat() {
            return post(host, "/api/sessions/" + session + ":start", key, null);
        }

        @Override
        public void close() throws SQLException {
            lock.rollback();
            lock.close();
        }
    }

    private static long waitingOnLocks() throws Exception {
        return Sql.count("select count(*) from pg_stat_activity where wait_event_type = 'Lock' "
                + "and datname = current_database() and (query ilike '%from sessions where (id = %for update%' "
                + "or query ilike '%claim_idempotency_key%')");
    }

    @Test
    void aKeyMustBeVisibleAscii() {
        User user = User.random();
        assertProblem(post(user, "/api/sessions", "", "{}"), 400);
        assertProblem(post(user, "/api/sessions", "x".repeat(256), "{}"), 400);
        assertProblem(post(user, "/api/sessions", "with space", "{}"), 400);
        assertThat(post(user, "/api/sessions", "x".repeat(255), "{}").status()).isEqualTo(201);
        TokenSpec.assertRefused(Api.anonymous().send("POST", "/api/sessions", "application/json", "{}"));
    }

    /**
     * A repeat that arrives while the first request is still running waits for its answer, up to
     * 5 s, then answers 409; once the first has answered, a repeat gets that answer.
     */
    @Test
    void aRepeatOfARequestStillRunningIs409() throws Exception {
        HeldStart held = HeldStart.of(User.random(), "slow-start");
        try (held) {
            Reply repeat = held.repeat();

            assertProblem(repeat, 409);
            assertThat(repeat.json().getString("detail")).contains("still in progress");
            assertThat(held.first()).isNotDone();
        }
        Reply answered = held.first().get(30, TimeUnit.SECONDS);
        assertThat(answered.status()).as(answered.toString()).isEqualTo(200);
        Reply replayed = held.repeat();
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.header("Idempotency-Replayed")).hasValue("true");
        assertThat(replayed.body()).isEqualTo(answered.body());
    }

    /** 20 identical POSTs at once with one key: one resource, every answer the same. */
    @Test
    void twentyConcurrentRepeatsMakeOneResource() throws Exception {
        User user = User.random();
        String token = user.accessToken();
        String body = Fixtures.groupBody("Twenty");
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Reply>> posts = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(20);
        for (int i = 0; i < 20; i++) {
            posts.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return post(token, "/api/groups", "twenty", body);
            }, clients));
        }
        go.countDown();
        List<Reply> replies = posts.stream().map(CompletableFuture::join).toList();
        clients.shutdown();

        assertThat(replies).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(201));
        assertThat(replies).extracting(Reply::body).containsOnly(replies.get(0).body());
        assertThat(replies).filteredOn(r -> r.header("Idempotency-Replayed").isEmpty()).hasSize(1);
        assertThat(user.api().get("/api/groups").jsonArray()).hasSize(1);
    }

    @Test
    void aSecondDeviceFindsTheRunningSession() {
        User host = User.random();
        User stranger = User.random();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(Focus.session(host, null));
        }
        Focus.ok(Focus.act(host, ids.get(2), "start"));

        Reply running = host.api().get("/api/sessions?status=running");
        assertThat(running.status()).as(running.toString()).isEqualTo(200);
        assertThat(running.jsonArray().getValuesAs(JsonObject.class)).singleElement()
                .satisfies(s -> assertThat(s.getString("id")).isEqualTo(ids.get(2)));
        Focus.ok(Focus.act(host, ids.get(2), "stop"));

        // newest first, two a page, Link to the next while more remain
        List<String> seen = new ArrayList<>();
        String next = "/api/sessions?limit=2";
        while (next != null) {
            Reply page = host.api().get(next);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.jsonArray().getValuesAs(JsonObject.class).forEach(s -> seen.add(s.getString("id")));
            next = page.header("Link").map(link -> link.substring(link.indexOf('<') + 1, link.indexOf('>')))
                    .map(uri -> URI.create(uri).getRawPath() + "?" + URI.create(uri).getRawQuery()).orElse(null);
        }
        List<String> newestFirst = new ArrayList<>(ids);
        java.util.Collections.reverse(newestFirst);
        assertThat(seen).containsExactlyElementsOf(newestFirst);
        assertThat(stranger.api().get("/api/sessions").jsonArray()).isEmpty();

        assertProblem(host.api().get("/api/sessions?status=sleeping"), 400);
        assertProblem(host.api().get("/api/sessions?limit=0"), 400);
        assertProblem(host.api().get("/api/sessions?cursor_id=" + UUID.randomUUID()), 400);
        TokenSpec.assertRefused(Api.anonymous().get("/api/sessions"));
    }

    private static List<JsonObject> syncAll(User user, String[] cursor) {
        List<JsonObject> logs = new ArrayList<>();
        while (true) {
            Reply page = user.api().get("/api/me/time-logs?limit=2" + (cursor[0] == null ? "" : "&since=" + cursor[0]));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            List<JsonObject> got = page.json().getJsonArray("logs").getValuesAs(JsonObject.class);
            cursor[0] = page.json().getString("next_cursor");
            if (got.isEmpty()) {
                return logs;
            }
            logs.addAll(got);
        }
    }

    /** Delta sync never skips a log that commits late with earlier timestamps. */
    @Test
    void deltaSyncNeverSkipsALogCommittedLate() throws Exception {
        User user = User.random();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String session = Focus.pausedSince(user, null, t0.minus(Duration.ofHours(3)));
        String[] cursor = {null};
        List<JsonObject> before = syncAll(user, cursor);

        Object participant = Sql.value("select id from session_participants where session_id = ?::uuid", session);
        try (var late = Sql.connect()) {
            late.setAutoCommit(false);
            Sql.prepare(late, "insert into time_logs (participant_id, started_at, ended_at, source) values (?, ?, ?, 'manual')",
                    participant, SchemaSpec.ts(t0.minus(Duration.ofHours(2))), SchemaSpec.ts(t0.minus(Duration.ofMinutes(110))))
                    .executeUpdate();
            JsonObject onTime = Focus.log(user, session, t0.minus(Duration.ofHours(1)), t0.minus(Duration.ofMinutes(50)));

            assertThat(syncAll(user, cursor)).as("withheld while an older transaction is open").isEmpty();
            late.commit();

            List<JsonObject> synced = syncAll(user, cursor);
            assertThat(synced).extracting(l -> l.getString("started_at"))
                    .containsExactly(t0.minus(Duration.ofHours(2)).toString(), onTime.getString("started_at"));
        }
        assertThat(syncAll(user, cursor)).as("nothing twice").isEmpty();
        assertThat(before).allSatisfy(l -> assertThat(l.getString("source")).isEqualTo("clock"));
        assertProblem(user.api().get("/api/me/time-logs?since=not-a-cursor"), 400);
        assertProblem(user.api().get("/api/me/time-logs?limit=1001"), 400);
        TokenSpec.assertRefused(Api.anonymous().get("/api/me/time-logs"));
    }

    @Test
    void exportsAsCsvAndICalendar() {
        User user = User.random();
        Reply created = user.api().post("/api/groups", "{\"name\": \"=Deep, \\\"work\\\"\", \"end_at\": \""
                + Instant.now().plus(Duration.ofDays(3)) + "\", \"start_at\": \"" + Instant.now().minus(Duration.ofDays(1))
                + "\", \"period_target_minutes\": 60}");
        String group = created.json().getString("id");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String session = Focus.pausedSince(user, group, t0.minus(Duration.ofHours(3)));
        JsonObject log = Focus.log(user, session, t0.minus(Duration.ofHours(2)), t0.minus(Duration.ofHours(1)));
        String range = "?from=" + t0.minus(Duration.ofHours(2).plusMinutes(30)) + "&to=" + t0;

        Reply csv = user.api().get("/api/me/time-logs.csv" + range, "text/csv");
        assertThat(csv.status()).as(csv.toString()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.body().lines().toList()).first()
                .isEqualTo("id,session_id,group_id,group_name,started_at,ended_at,duration_seconds,source");
        assertThat(csv.body()).contains(log.getString("id") + "," + session + "," + group + ",\"'=Deep, \"\"work\"\"\","
                + t0.minus(Duration.ofHours(2)) + "," + t0.minus(Duration.ofHours(1)) + ",3600,manual");

        Reply ics = user.api().get("/api/me/time-logs.ics" + range, "text/calendar");
        assertThat(ics.status()).as(ics.toString()).isEqualTo(200);
        assertThat(ics.contentType()).startsWith("text/calendar");
        assertThat(ics.body()).startsWith("BEGIN:VCALENDAR").contains("BEGIN:VEVENT", "UID:" + log.getString("id") + "@lockin",
                "SUMMARY:Focus: =Deep\\, \"work\"");

        assertProblem(user.api().get("/api/me/time-logs.csv?from=" + t0, "text/csv"), 400);
        assertProblem(user.api().get("/api/me/time-logs.csv?from=" + t0 + "&to=" + t0.minus(Duration.ofHours(1)), "text/csv"), 400);
        assertProblem(user.api().get("/api/me/time-logs.ics?from=" + t0.minus(Duration.ofDays(367)) + "&to=" + t0, "text/calendar"), 400);
        assertProblem(user.api().get("/api/me/time-logs.ics?from=yesterday&to=" + t0, "text/calendar"), 400);
        TokenSpec.assertRefused(Api.anonymous().get("/api/me/time-logs.csv" + range));
    }
}
