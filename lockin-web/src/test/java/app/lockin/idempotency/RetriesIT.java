package app.lockin.idempotency;

import static app.lockin.testing.Problems.assertProblem;
import static app.lockin.testing.Problems.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;


import org.junit.jupiter.api.Test;

import app.lockin.testing.Api;
import app.lockin.testing.Fixtures;
import app.lockin.testing.Focus;
import app.lockin.testing.LockinServer;
import app.lockin.testing.Reply;
import app.lockin.testing.Sql;
import app.lockin.testing.TestEnvironment;
import app.lockin.testing.User;

/**
 * Retries (API.md "Retries, several devices, offline clients"):
 * Idempotency-Key on every POST, one mechanism for all operations.
 */
@LockinServer
class RetriesIT {

    private static final Sql SQL = TestEnvironment.sql();

    /** A POST with an Idempotency-Key. */
    private static Reply post(User user, String path, String key, String body) {
        return post(user.accessToken(), path, key, body);
    }

    private static Reply post(String token, String path, String key, String body) {
        return Api.withToken(token).withHeader("Idempotency-Key", key).post(path, body);
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
            Connection lock = SQL.connect();
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
        return SQL.count("select count(*) from pg_stat_activity where wait_event_type = 'Lock' "
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
        assertRefused(Api.anonymous().send("POST", "/api/sessions", "application/json", "{}"));
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
}
