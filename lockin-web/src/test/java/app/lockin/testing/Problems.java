package app.lockin.testing;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;

/** What every refusal of the API looks like: application/problem+json, never a stack trace or an HTML page. */
public final class Problems {

    private Problems() {
    }

    /** A problem with the status, a title and a detail, and nothing of the server's insides. */
    public static void assertProblem(Reply reply, int status) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().getInt("status")).isEqualTo(status);
        assertThat(reply.json().getString("title")).isNotBlank();
        assertThat(reply.json().getString("detail")).isNotBlank();
        assertThat(reply.body()).doesNotContain("Exception", "<html", "java.", "SQL", "org.");
    }

    /** A 422 naming exactly these fields in its {@code errors}. */
    public static void assertInvalid(Reply reply, String... fields) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(422);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().getString("detail")).isNotBlank();
        assertThat(reply.json().getJsonArray("errors").getValuesAs(JsonObject.class))
                .extracting(e -> e.getString("field"))
                .containsExactlyInAnyOrder(fields);
    }

    /** A 401 problem with a Bearer challenge. */
    public static void assertRefused(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().getInt("status")).isEqualTo(401);
        assertThat(reply.json().getString("detail")).isNotBlank();
        assertThat(reply.body()).doesNotContain("Exception").doesNotContain("at app.lockin");
    }
}
