package app.lockin.rest;

import static app.lockin.testing.Problems.assertInvalid;
import static app.lockin.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Api;
import app.lockin.testing.Fixtures;
import app.lockin.testing.Fixtures.Crew;
import app.lockin.testing.LockinServer;
import app.lockin.testing.Reply;
import app.lockin.testing.User;

/** Bad requests get a clear problem+json answer, never a stack trace or an HTML page. */
@LockinServer
class ErrorsIT {

    @Test
    void malformedJsonIs400() {
        assertProblem(User.random().api().patch("/api/me", "{\"display_name\": "), 400);
        assertProblem(User.random().api().patch("/api/me", "not json"), 400);
    }

    @Test
    void aBodyThatIsNotAnObjectIsRefused() {
        Reply reply = User.random().api().patch("/api/me", "[\"display_name\"]");
        assertThat(reply.status()).isIn(400, 422);
        assertProblem(reply, reply.status());
    }

    @Test
    void aMissingBodyIsRefused() {
        Reply reply = User.random().api().send("PATCH", "/api/me", "application/json", null);
        assertThat(reply.status()).isIn(400, 422);
        assertProblem(reply, reply.status());
    }

    @Test
    void bodiesOverOneMebibyteAre413WithoutNginxAndNothingIsWritten() {
        User user = User.random();
        String big = "{\"name\": \"" + "x".repeat(1 << 20) + "\"}";
        assertProblem(user.api().post("/api/groups", big), 413);
        assertProblem(user.api().withHeader("Idempotency-Key", "big-" + UUID.randomUUID()).post("/api/groups", big), 413);
        assertProblem(user.api().sendChunked("POST", "/api/groups", "application/json", big.getBytes(StandardCharsets.UTF_8)), 413);
        assertProblem(user.api().sendChunked("PATCH", "/api/me", "application/json", big.getBytes(StandardCharsets.UTF_8)), 413);
        assertThat(user.api().get("/api/groups").jsonArray()).isEmpty();
        // just under the limit: read, and refused for what it says (the name is too long)
        String under = "{\"name\": \"" + "x".repeat((1 << 20) - 100) + "\"}";
        assertThat(user.api().sendChunked("POST", "/api/groups", "application/json", under.getBytes(StandardCharsets.UTF_8)).status())
                .isEqualTo(422);
    }

    @Test
    void otherContentTypesAre415() {
        assertProblem(User.random().api().send("PATCH", "/api/me", "text/plain", "display_name=x"), 415);
    }

    @Test
    void wrongMethodIs405WithAllow() {
        Reply reply = User.random().api().send("PUT", "/api/me", "application/json", "{}");   // DELETE /api/me erases
        assertProblem(reply, 405);
        assertThat(reply.header("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("GET", "PATCH", "DELETE"));
    }

    @Test
    void unknownRoutesAre404() {
        assertProblem(User.random().api().get("/api/nothing/here"), 404);
        assertProblem(Api.anonymous().get("/no-such-page"), 404);
        assertProblem(Api.anonymous().get("/WEB-INF/web.xml"), 404);
    }

    /** Reproduction 5: a NUL in a text field used to answer 500. */
    @Test
    void textTheDatabaseCannotStoreIs422OnTheField() {
        User user = User.random();
        assertInvalid(user.api().patch("/api/me", "{\"display_name\": \"Alice\\u0000\"}"), "display_name");
        assertInvalid(user.api().patch("/api/me", "{\"display_name\": \"Alice\\ud800\"}"), "display_name");
        assertInvalid(user.api().post("/api/groups", "{\"name\": \"G\\u0000\", \"end_at\": \"2099-01-01T00:00:00Z\", "
                + "\"period_target_minutes\": 30}"), "name");
        assertThat(user.api().get("/api/me").json().getString("display_name")).doesNotContain("Alice");
    }

    /** Reproduction 6: content after the JSON value used to be ignored. */
    @Test
    void jsonWithTrailingContentIsMalformed() {
        User user = User.random();
        assertProblem(user.api().patch("/api/me", "{\"name\": \"x\"} trailing"), 400);
        assertProblem(user.api().patch("/api/me", "{\"display_name\": \"x\"} {}"), 400);
        assertProblem(user.api().post("/api/sessions", "{} []"), 400);
        assertProblem(user.api().patch("/api/me", "[".repeat(5_000)), 400);
        assertThat(user.api().get("/api/me").json().getString("display_name")).isNotEqualTo("x");
    }

    /**
     * Issue 26, reproduction 7: a DELETE with a body (any body, any content type) got the
     * connector's own empty 400. The body is ignored and the DELETE done, as HTTP gives a
     * DELETE's body no meaning (deploy/payara-preboot.asadmin); a GET's body likewise.
     */
    @Test
    void aBodyOnADeleteIsIgnoredAndTheDeleteDone() {
        Crew crew = Fixtures.crew();
        String links = "/api/groups/" + crew.groupId() + "/links";
        String[][] bodies = {
                {"application/json", "{\"reason\": \"tidying up\"}"},
                {"application/json", "not json at all {"},
                {"application/merge-patch+json", "{}"},
                {"text/plain", "delete it, please"},
                {"application/octet-stream", "\u0000\u0001\u00ff binary"},
                {null, "{}"}};
        for (String[] body : bodies) {
            String id = crew.owner().api().post(links, null).json().getString("id");
            Reply deleted = crew.owner().api().send("DELETE", links + "/" + id, body[0], body[1]);
            assertThat(deleted.status()).as(body[0] + " " + deleted).isEqualTo(204);
            assertThat(crew.owner().api().get(links + "/" + id).json().isNull("revoked_at")).as(body[0]).isFalse();
        }
        String id = crew.owner().api().post(links, null).json().getString("id");
        Reply chunked = crew.owner().api().sendChunked("DELETE", links + "/" + id, "application/json",
                "{\"sent\": \"in chunks\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(chunked.status()).as(chunked.toString()).isEqualTo(204);

        // a refusal still answers for what the DELETE asks, body or not
        assertProblem(crew.member().api().send("DELETE", links + "/" + id, "application/json", "{}"), 403);
        assertProblem(crew.owner().api().send("DELETE", links + "/" + UUID.randomUUID(), "text/plain", "x"), 404);
        String memberPath = "/api/groups/" + crew.groupId() + "/members/" + Fixtures.profileOf(crew.member());
        assertThat(crew.owner().api().send("DELETE", memberPath, "application/json", "{\"why\": \"x\"}").status()).isEqualTo(204);
        assertProblem(crew.member().api().get("/api/groups/" + crew.groupId()), 404);

        Reply read = crew.owner().api().send("GET", "/api/me", "application/json", "{\"ignored\": true}");
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
    }

    /** Reproduction 7: hostile path segments answer a problem, never an empty body. */
    @Test
    void hostilePathSegmentsAreProblems() {
        User user = User.random();
        assertProblem(user.api().post("/api/sessions/%22x:start", null), 404);
        assertProblem(user.api().get("/api/sessions/%22%3Cscript%3E"), 404);
        assertProblem(user.api().get("/api/groups/" + "a".repeat(2_000)), 404);
    }
}
