package app.lockin.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Bad requests get a clear problem+json answer, never a stack trace or an HTML page. */
abstract class ErrorSpec {

    static void assertProblem(Reply reply, int status) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().getInt("status")).isEqualTo(status);
        assertThat(reply.json().getString("title")).isNotBlank();
        assertThat(reply.json().getString("detail")).isNotBlank();
        assertThat(reply.body()).doesNotContain("Exception", "<html", "java.", "SQL", "org.");
    }

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
}
