package app.lockin.rest;

import static app.lockin.testing.Problems.assertInvalid;
import static app.lockin.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Api;
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
        Reply reply = User.random().api().delete("/api/me");
        assertProblem(reply, 405);
        assertThat(reply.header("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("GET", "PATCH"));
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

    /** Reproduction 7: hostile path segments answer a problem, never an empty body. */
    @Test
    void hostilePathSegmentsAreProblems() {
        User user = User.random();
        assertProblem(user.api().post("/api/sessions/%22x:start", null), 404);
        assertProblem(user.api().get("/api/sessions/%22%3Cscript%3E"), 404);
        assertProblem(user.api().get("/api/groups/" + "a".repeat(2_000)), 404);
    }
}
