package app.lockin.limits;

import static app.lockin.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import io.github.bucket4j.distributed.BucketProxy;

import app.lockin.testing.Api;
import app.lockin.testing.EventStream;
import app.lockin.testing.Fixtures;
import app.lockin.testing.Fixtures.Crew;
import app.lockin.testing.LockinServer;
import app.lockin.testing.OwnServer;
import app.lockin.testing.Reply;
import app.lockin.testing.Sql;
import app.lockin.testing.TestEnvironment;
import app.lockin.testing.User;

/**
 * Fair use (API.md "Limits"): per-caller limits, 429 with {@code Retry-After}
 * past them, and the IETF draft's {@code RateLimit-Policy}/{@code RateLimit}
 * on every answer that counted. The suite's server runs with
 * {@code LOCKIN_RATE_LIMITS=writes=1000000/1m, reads=1000000/1m} (so that the
 * tests sending hundreds of requests test what they send) and the defaults
 * for invites (30 an hour) and open streams (10); a low reads limit is
 * tried on a server of the test's own ({@link OwnServer}). That the buckets
 * are shared by the instances of a deployment is checked by
 * {@code ./lockin cluster-test}.
 */
@LockinServer
class FairUseIT {

    private static final Sql SQL = TestEnvironment.sql();
    private static final Pattern REMAINING = Pattern.compile("\"(\\w+)\";r=(\\d+);t=(\\d+)");

    private static long remaining(Reply reply, String limit) {
        String state = reply.header("RateLimit").orElseThrow(() -> new AssertionError("no RateLimit header: " + reply));
        Matcher item = REMAINING.matcher(state);
        while (item.find()) {
            if (item.group(1).equals(limit)) {
                return Long.parseLong(item.group(2));
            }
        }
        throw new AssertionError("no " + limit + " in RateLimit: " + state);
    }

    private static Reply inviteByEmail(User inviter, String groupId) {
        return inviter.api().post("/api/groups/" + groupId + ":invite",
                "{\"email\": \"fair-use-" + UUID.randomUUID() + "@example.org\"}");
    }

    @Test
    void everyRequestCountsAsAWriteOrAReadAndSaysSo() {
        User user = User.random();
        Reply first = user.api().patch("/api/me", "{\"display_name\": \"Counted once\"}");
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.header("RateLimit-Policy")).hasValue("\"writes\";q=1000000;w=60");
        assertThat(first.header("RateLimit")).hasValueSatisfying(v -> assertThat(v).matches("\"writes\";r=\\d+;t=\\d+"));
        long left = remaining(first, "writes");

        assertThat(left).isLessThan(1_000_000);
        // a refused write counts too (the suite's million a minute refill too fast to see one fewer)
        Reply refused = user.api().patch("/api/me", "{\"display_name\": \"\"}");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(remaining(refused, "writes")).isLessThan(1_000_000);

        // a read counts against the reads limit only, a HEAD as its GET, a read answered 404 too
        for (Reply read : List.of(user.api().get("/api/me"), user.api().head("/api/me"),
                user.api().get("/api/groups/" + UUID.randomUUID()))) {
            assertThat(read.status()).as(read.toString()).isIn(200, 404);
            assertThat(read.header("RateLimit-Policy")).as(read.toString()).hasValue("\"reads\";q=1000000;w=60");
            assertThat(read.header("RateLimit")).as(read.toString())
                    .hasValueSatisfying(v -> assertThat(v).matches("\"reads\";r=\\d+;t=\\d+"));
            assertThat(remaining(read, "reads")).isLessThan(1_000_000);
        }

        Reply anonymous = Api.anonymous().patch("/api/me", "{\"display_name\": \"Nobody\"}");
        assertProblem(anonymous, 401);
        assertThat(anonymous.header("RateLimit")).isEmpty();
        assertThat(Api.anonymous().get("/api/me").header("RateLimit")).isEmpty();
    }

    /**
     * A reads limit set low, on a server of this test's own ({@code
     * LOCKIN_RATE_LIMITS=reads=5/1m}; the suite's server allows a million):
     * five reads pass, each saying what is left, and the sixth is refused
     * with 429 and {@code Retry-After}, while the caller's writes and other
     * callers' reads still pass.
     */
    @Test
    void pastALowReadsLimitTheNextReadIs429WithRetryAfter() throws Exception {
        try (OwnServer server = OwnServer.start("reads-limit", Map.of("LOCKIN_RATE_LIMITS", "reads=5/1m"))) {
            User user = User.random();
            Api api = user.api().at(server.baseUrl());
            List<String> reads = List.of("/api/me", "/api/groups", "/api/me/memberships", "/api/notifications", "/api/me");
            for (int i = 0; i < reads.size(); i++) {
                Reply read = i == 2 ? api.head(reads.get(i)) : api.get(reads.get(i));
                assertThat(read.status()).as(read.toString()).isEqualTo(200);
                assertThat(read.header("RateLimit-Policy")).hasValue("\"reads\";q=5;w=60");
                assertThat(remaining(read, "reads")).as("read " + (i + 1)).isEqualTo(4 - i);
            }

            Reply refused = api.get("/api/me");
            assertProblem(refused, 429);
            assertThat(refused.json().getString("detail")).contains("5 a minute");
            // one read comes back every 12 s (5 a minute)
            assertThat(refused.header("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 12L));
            assertThat(refused.header("RateLimit-Policy")).hasValue("\"reads\";q=5;w=60");
            assertThat(remaining(refused, "reads")).isZero();
            Reply head = api.head("/api/groups");
            assertThat(head.status()).isEqualTo(429);
            assertThat(head.header("Retry-After")).isPresent();

            // writes have a limit of their own (the default, 120 a minute), and other callers their own reads
            Reply write = api.patch("/api/me", "{\"display_name\": \"Still writing\"}");
            assertThat(write.status()).as(write.toString()).isEqualTo(200);
            assertThat(write.header("RateLimit-Policy")).hasValue("\"writes\";q=120;w=60");
            Reply othersRead = User.random().api().at(server.baseUrl()).get("/api/me");
            assertThat(othersRead.status()).isEqualTo(200);
            assertThat(remaining(othersRead, "reads")).isEqualTo(4);
        }
    }

    /**
     * Reads are counted in batches (FairUse, Policy#batch): an instance takes
     * up to 1/20 of the quota from its copy of the caller's bucket before it
     * writes them to the shared one. The limit still holds across instances,
     * within that batch: on a server of this test's own ({@code
     * LOCKIN_RATE_LIMITS=reads=200/1d}, batches of 10, the refill one read
     * every 7 minutes) another instance, played by this test with the
     * application's own bucket engine on the same table and key, takes 150
     * of the caller's 200 reads after the server has served 20: the server
     * then serves 30 more at least and 10 (its batch) more than that at most,
     * and refuses every read after them; and what it held back reaches the
     * shared bucket within a few seconds of the caller's last read.
     */
    @Test
    void readsCountedInBatchesStillHoldTheLimitAcrossInstances() throws Exception {
        try (OwnServer server = OwnServer.start("reads-batched", Map.of("LOCKIN_RATE_LIMITS", "reads=200/1d"))) {
            User user = User.random();
            Api api = user.api().at(server.baseUrl());
            for (int i = 0; i < 20; i++) {
                Reply read = i % 2 == 0 ? api.get("/api/me") : api.get("/api/groups");
                assertThat(read.status()).as(read.toString()).isEqualTo(200);
                assertThat(read.header("RateLimit-Policy")).hasValue("\"reads\";q=200;w=86400");
                // one instance alone knows the bucket exactly, batched or not
                assertThat(remaining(read, "reads")).as("read " + (i + 1)).isEqualTo(199 - i);
            }

            UUID caller = UUID.fromString(Fixtures.profileOf(user));   // a read on the suite's server: another bucket
            Policy reads = Policies.parse("reads=200/1d").of(Limit.READS).orElseThrow();
            PGSimpleDataSource database = new PGSimpleDataSource();
            database.setURL(TestEnvironment.jdbcUrl());
            BucketProxy otherInstance = FairUse.sharedBuckets(database).builder().build(reads.bucketKey(caller), reads::bucket);
            // the shared bucket has the server's reads, but for at most a batch (10) not yet written
            assertThat(otherInstance.getAvailableTokens()).as("the shared bucket after 20 reads").isBetween(180L, 190L);
            assertThat(otherInstance.tryConsume(150)).as("the other instance's 150 reads").isTrue();

            int passed = 0;
            Reply refused = null;
            for (int i = 0; i < 60 && refused == null; i++) {
                Reply read = api.get("/api/me");
                if (read.status() == 200) {
                    passed++;
                } else {
                    refused = read;
                }
            }
            assertThat(refused).as("no read refused after " + passed).isNotNull();
            assertProblem(refused, 429);
            assertThat(refused.header("Retry-After")).isPresent();
            assertThat(passed).as("reads served after the other instance's 150").isBetween(30, 30 + 10);

            // and it stays refused, however many reads come
            for (int i = 0; i < 40; i++) {
                Reply read = i % 2 == 0 ? api.get("/api/me") : api.head("/api/groups");
                assertThat(read.status()).as("read " + (i + 1) + " after the refusal: " + read).isEqualTo(429);
            }

            // what the server held back is written once the caller is idle (3 s, then the next 5 s tick)
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> otherInstance.getAvailableTokens() <= 0);
        }
    }

    @Test
    void pastThirtyInvitesAndLinksAnHourTheNextIs429AndNothingIsDone() throws Exception {
        Crew crew = Fixtures.crew();
        String groupId = crew.groupId();
        for (int i = 1; i <= 25; i++) {
            Reply sent = inviteByEmail(crew.owner(), groupId);
            assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
            assertThat(sent.header("RateLimit-Policy")).hasValue("\"writes\";q=1000000;w=60, \"invites\";q=30;w=3600");
            assertThat(remaining(sent, "invites")).isEqualTo(30 - i);
        }
        // join links share the allowance
        for (int i = 26; i <= 30; i++) {
            Reply link = crew.owner().api().post("/api/groups/" + groupId + "/links", null);
            assertThat(link.status()).as(link.toString()).isEqualTo(201);
            assertThat(remaining(link, "invites")).isEqualTo(30 - i);
        }

        Reply invite = inviteByEmail(crew.owner(), groupId);
        assertProblem(invite, 429);
        assertThat(invite.json().getString("detail")).contains("invites").contains("30 an hour");
        // one token comes back every 120 s (30 an hour)
        assertThat(invite.header("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 120L));
        assertThat(invite.header("RateLimit-Policy")).hasValue("\"writes\";q=1000000;w=60, \"invites\";q=30;w=3600");
        assertThat(remaining(invite, "invites")).isZero();
        Reply link = crew.owner().api().post("/api/groups/" + groupId + "/links", null);
        assertProblem(link, 429);
        assertThat(link.header("Retry-After")).isPresent();

        // nothing was done: 25 invites wait, 5 links exist
        assertThat(SQL.count("select count(*) from email_invites where group_id = ?::uuid", groupId)).isEqualTo(25);
        assertThat(SQL.count("select count(*) from join_links where group_id = ?::uuid", groupId)).isEqualTo(5);

        // the limit is the caller's: the admin of the same group still invites
        Reply byAdmin = inviteByEmail(crew.admin(), groupId);
        assertThat(byAdmin.status()).as(byAdmin.toString()).isEqualTo(201);
        assertThat(remaining(byAdmin, "invites")).isEqualTo(29);
    }

    @Test
    void aPlainMembersCloneCountsEveryInviteItSendsAndIsRefusedWhole() throws Exception {
        Crew crew = Fixtures.crew();   // owner, admin, member: a member's clone invites two people
        Reply cloned = crew.member().api().post("/api/groups/" + crew.groupId() + ":clone", null);
        assertThat(cloned.status()).as(cloned.toString()).isEqualTo(201);
        assertThat(remaining(cloned, "invites")).isEqualTo(28);

        // the owner's clone copies the members and invites nobody
        Reply ownersClone = crew.owner().api().post("/api/groups/" + crew.groupId() + ":clone", null);
        assertThat(ownersClone.status()).as(ownersClone.toString()).isEqualTo(201);
        assertThat(ownersClone.header("RateLimit-Policy")).hasValue("\"writes\";q=1000000;w=60");

        // one invite left: a clone that would send two is refused, and leaves nothing behind
        String ownGroup = Fixtures.group(crew.member()).getString("id");
        for (int i = 0; i < 27; i++) {
            assertThat(inviteByEmail(crew.member(), ownGroup).status()).isEqualTo(201);
        }
        long groupsBefore = SQL.count("select count(*) from groups where owner_id = ?::uuid", Fixtures.profileOf(crew.member()));
        Reply refused = crew.member().api().post("/api/groups/" + crew.groupId() + ":clone", null);
        assertProblem(refused, 429);
        assertThat(refused.header("Retry-After")).isPresent();
        assertThat(remaining(refused, "invites")).isEqualTo(1);
        assertThat(SQL.count("select count(*) from groups where owner_id = ?::uuid", Fixtures.profileOf(crew.member())))
                .isEqualTo(groupsBefore);
    }

    @Test
    void tenOpenStreamsAtMostAndAPlaceComesBackWhenOneCloses() {
        Crew crew = Fixtures.crew();
        String board = "/api/groups/" + crew.groupId() + "/progress/stream";
        List<EventStream> streams = new ArrayList<>();
        try {
            for (int i = 1; i <= 10; i++) {
                int left = 10 - i;
                EventStream.Attempt opened = EventStream.attempt(crew.member(), i % 2 == 0 ? board : "/api/me/stream");
                assertThat(opened.status()).as("stream " + i + ": " + opened.body()).isEqualTo(200);
                streams.add(opened.stream());
                // the opening counts as a read too
                assertThat(opened.header("RateLimit-Policy")).hasValue("\"reads\";q=1000000;w=60, \"streams\";q=10;w=3600");
                assertThat(opened.header("RateLimit")).hasValueSatisfying(v -> assertThat(v).contains(", \"streams\";r=" + left + ";"));
            }
            EventStream.Attempt eleventh = EventStream.attempt(crew.member(), board);
            assertThat(eleventh.status()).isEqualTo(429);
            assertThat(eleventh.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
            assertThat(eleventh.body()).contains("\"status\":429").contains("live streams");
            assertThat(eleventh.header("Retry-After")).isPresent();
            assertThat(eleventh.header("RateLimit")).hasValueSatisfying(v -> assertThat(v).contains(", \"streams\";r=0;"));

            // another person's streams are theirs
            try (EventStream others = EventStream.open(crew.admin(), board)) {
                assertThat(others.next("leaderboard", Duration.ofSeconds(5))).isNotNull();
            }

            streams.remove(0).close();
            // the server notices the closed stream at its next ping (LOCKIN_STREAM_PING=1s) and gives the place back
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).until(() -> {
                EventStream.Attempt again = EventStream.attempt(crew.member(), board);
                if (again.stream() != null) {
                    streams.add(again.stream());
                    return true;
                }
                assertThat(again.status()).isEqualTo(429);
                return false;
            });
        } finally {
            streams.forEach(EventStream::close);
        }
    }
}
