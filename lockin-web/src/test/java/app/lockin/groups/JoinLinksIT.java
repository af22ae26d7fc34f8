package app.lockin.groups;

import static app.lockin.testing.Problems.assertInvalid;
import static app.lockin.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Api;
import app.lockin.testing.Fixtures;
import app.lockin.testing.Fixtures.Crew;
import app.lockin.testing.LockinServer;
import app.lockin.testing.Reply;
import app.lockin.testing.Sql;
import app.lockin.testing.TestEnvironment;
import app.lockin.testing.User;

/** Join links: {@code /api/groups/{id}/links} and {@code POST /api/links/{code}:join}. */
@LockinServer
class JoinLinksIT {

    private static final Sql SQL = TestEnvironment.sql();

    private static JsonObject link(User creator, String groupId, String body) {
        Reply created = creator.api().post("/api/groups/" + groupId + "/links", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    private static Reply use(User user, String code) {
        return user.api().post("/api/links/" + code + ":join", null);
    }

    private static boolean isMember(User owner, String groupId, User person) {
        return owner.api().get("/api/groups/" + groupId + "/members/" + Fixtures.profileOf(person)).status() == 200;
    }

    @Test
    void aLinkAddsWhoeverUsesItAsAMember() throws Exception {
        Crew crew = Fixtures.crew();
        Reply created = crew.admin().api().post("/api/groups/" + crew.groupId() + "/links", null);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonObject link = created.json();
        assertThat(created.header("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/api/groups/" + crew.groupId() + "/links/" + link.getString("id")));
        assertThat(link.getString("code")).matches("[A-Za-z0-9_-]{32}");
        assertThat(link.getString("created_by")).isEqualTo(Fixtures.profileOf(crew.admin()));
        assertThat(link.isNull("max_uses")).isTrue();
        assertThat(link.getInt("uses")).isZero();
        assertThat(Duration.between(Instant.parse(link.getString("created_at")), Instant.parse(link.getString("expires_at"))))
                .isEqualTo(Duration.ofDays(7));

        User newcomer = User.random();
        Reply joined = use(newcomer, link.getString("code"));
        assertThat(joined.status()).as(joined.toString()).isEqualTo(201);
        assertThat(joined.json().getString("role")).isEqualTo("member");
        assertThat(joined.header("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/api/groups/" + crew.groupId() + "/members/" + Fixtures.profileOf(newcomer)));
        assertThat(isMember(crew.owner(), crew.groupId(), newcomer)).isTrue();
        assertProblem(use(newcomer, link.getString("code")), 409);   // a member already
        assertProblem(use(crew.owner(), link.getString("code")), 409);

        Reply read = crew.owner().api().get("/api/groups/" + crew.groupId() + "/links/" + link.getString("id"));
        assertThat(read.json().getInt("uses")).isEqualTo(1);

        // codes are unguessable: every new one differs
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            codes.add(link(crew.owner(), crew.groupId(), "{\"max_uses\": 3}").getString("code"));
        }
        assertThat(codes).hasSize(20);
        Reply list = crew.owner().api().get("/api/groups/" + crew.groupId() + "/links");
        assertThat(list.jsonArray()).hasSize(21);
        assertThat(list.jsonArray().getJsonObject(20).getString("id")).as("newest first").isEqualTo(link.getString("id"));
    }

    @Test
    void revokedExpiredUsedUpAndArchivedLinksAreGoneAndUnknownCodesNotFound() throws Exception {
        Crew crew = Fixtures.crew();
        JsonObject revoked = link(crew.owner(), crew.groupId(), "{}");
        Reply revoke = crew.admin().api().delete("/api/groups/" + crew.groupId() + "/links/" + revoked.getString("id"));
        assertThat(revoke.status()).as(revoke.toString()).isEqualTo(204);
        assertThat(crew.admin().api().delete("/api/groups/" + crew.groupId() + "/links/" + revoked.getString("id")).status())
                .isEqualTo(204);
        assertProblem(use(User.random(), revoked.getString("code")), 410);

        JsonObject expired = link(crew.owner(), crew.groupId(), "{\"expires_at\": \"" + Instant.now().plus(Duration.ofHours(1)) + "\"}");
        SQL.update("update join_links set created_at = now() - interval '2 days', expires_at = now() - interval '1 second'"
                + " where id = ?::uuid", expired.getString("id"));
        assertProblem(use(User.random(), expired.getString("code")), 410);

        JsonObject once = link(crew.owner(), crew.groupId(), "{\"max_uses\": 1}");
        assertThat(use(User.random(), once.getString("code")).status()).isEqualTo(201);
        User late = User.random();
        assertProblem(use(late, once.getString("code")), 410);
        assertThat(isMember(crew.owner(), crew.groupId(), late)).isFalse();

        assertProblem(use(User.random(), "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), 404);
        assertProblem(use(User.random(), "x"), 404);

        JsonObject open = link(crew.owner(), crew.groupId(), "{}");
        Fixtures.archive(crew.owner(), crew.groupId());
        assertProblem(use(User.random(), open.getString("code")), 410);
        assertProblem(crew.owner().api().post("/api/groups/" + crew.groupId() + "/links", "{}"), 409);
    }

    @Test
    void onlyTheOwnerAndAdminsManageLinks() {
        Crew crew = Fixtures.crew();
        String links = "/api/groups/" + crew.groupId() + "/links";
        JsonObject link = link(crew.owner(), crew.groupId(), "{}");
        String one = links + "/" + link.getString("id");

        assertProblem(Api.anonymous().post(links, "{}"), 401);
        assertProblem(Api.anonymous().get(links), 401);
        assertProblem(Api.anonymous().delete(one), 401);
        assertProblem(Api.anonymous().post("/api/links/" + link.getString("code") + ":join", null), 401);
        assertProblem(crew.member().api().post(links, "{}"), 403);
        assertProblem(crew.member().api().get(links), 403);
        assertProblem(crew.member().api().get(one), 403);
        assertProblem(crew.member().api().delete(one), 403);
        User stranger = User.random();
        assertProblem(stranger.api().post(links, "{}"), 404);
        assertProblem(stranger.api().get(links), 404);
        assertProblem(stranger.api().delete(one), 404);
        Crew other = Fixtures.crew();
        assertProblem(other.owner().api().delete("/api/groups/" + other.groupId() + "/links/" + link.getString("id")), 404);
        assertProblem(crew.owner().api().delete(links + "/4f1c2a5e-0000-4000-8000-000000000000"), 404);
    }

    @Test
    void aLinksTermsAreChecked() {
        Crew crew = Fixtures.crew();
        String links = "/api/groups/" + crew.groupId() + "/links";
        assertInvalid(crew.owner().api().post(links, "{\"expires_at\": \"" + Instant.now().minusSeconds(60) + "\"}"), "expires_at");
        assertInvalid(crew.owner().api().post(links, "{\"expires_at\": \"" + Instant.now().plus(Duration.ofDays(91)) + "\"}"), "expires_at");
        assertInvalid(crew.owner().api().post(links, "{\"max_uses\": 0}"), "max_uses");
        assertInvalid(crew.owner().api().post(links, "{\"max_uses\": 1001}"), "max_uses");
        assertProblem(crew.owner().api().post(links, "{\"expires_at\": \"soon\"}"), 422);
        assertProblem(crew.owner().api().post(links, "{\"max_uses\": \"many\"}"), 422);
        assertProblem(crew.owner().api().post(links, "[]"), 422);
        JsonObject ninety = link(crew.owner(), crew.groupId(), "{\"expires_at\": \"" + Instant.now().plus(Duration.ofDays(89)) + "\", \"max_uses\": 1000}");
        assertThat(ninety.getInt("max_uses")).isEqualTo(1000);
        assertThat(crew.owner().api().get(links).jsonArray()).hasSize(1);
    }

    @Test
    void fiftyPeopleRacingForTheLastUsesJoinExactlyAsManyAsAllowed() throws Exception {
        Crew crew = Fixtures.crew();
        int allowed = 7;
        String code = link(crew.owner(), crew.groupId(), "{\"max_uses\": " + allowed + "}").getString("code");
        List<User> racers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            racers.add(User.random());
        }
        ExecutorService pool = Executors.newFixedThreadPool(25);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (User racer : racers) {
                racer.api().get("/api/me");   // their profile exists before the race
                replies.add(pool.submit((Callable<Reply>) () -> {
                    go.await();
                    return use(racer, code);
                }));
            }
            go.countDown();
            int joined = 0;
            int gone = 0;
            for (Future<Reply> reply : replies) {
                Reply r = reply.get();
                if (r.status() == 201) {
                    joined++;
                } else {
                    assertProblem(r, 410);
                    gone++;
                }
            }
            assertThat(joined).isEqualTo(allowed);
            assertThat(gone).isEqualTo(50 - allowed);
        } finally {
            pool.shutdownNow();
        }
        assertThat(SQL.count("select uses from join_links where code = ?", code)).isEqualTo(allowed);
        assertThat(crew.owner().api().get("/api/groups/" + crew.groupId() + "/members").jsonArray()).hasSize(3 + allowed);
    }
}
