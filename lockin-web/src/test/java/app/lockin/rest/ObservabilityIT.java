package app.lockin.rest;

import static app.lockin.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Api;
import app.lockin.testing.LockinServer;
import app.lockin.testing.Reply;
import app.lockin.testing.User;

/** CORS for the listed origins only, request ids, and the application metrics in Prometheus format. */
@LockinServer
class ObservabilityIT {

    private static final String APP = "https://app.lockin.test";

    private static Reply withOrigin(String method, String path, String origin, String... headers) {
        return Api.anonymous().sendWith(method, path, origin, headers);
    }

    @Test
    void aListedOriginGetsCorsHeadersAndItsPreflightAnswered() {
        Reply preflight = withOrigin("OPTIONS", "/api/groups", APP, "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization, content-type");
        assertThat(preflight.status()).as(preflight.toString()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).hasValue(APP);
        assertThat(preflight.header("Access-Control-Allow-Methods")).hasValueSatisfying(m -> assertThat(m).contains("POST", "PATCH"));
        assertThat(preflight.header("Access-Control-Allow-Headers")).hasValueSatisfying(h -> assertThat(h).contains("Authorization", "Idempotency-Key"));
        assertThat(preflight.header("Access-Control-Allow-Credentials")).isEmpty();

        User user = User.random();
        Reply actual = Api.withToken(user.accessToken()).sendWith("GET", "/api/me", APP);
        assertThat(actual.status()).isEqualTo(200);
        assertThat(actual.header("Access-Control-Allow-Origin")).hasValue(APP);
        assertThat(actual.header("Access-Control-Expose-Headers")).hasValueSatisfying(h -> assertThat(h).contains("Location", "Link", "Retry-After", "RateLimit-Policy", "RateLimit"));
        assertThat(actual.header("Vary")).hasValueSatisfying(v -> assertThat(v).contains("Origin"));

        Reply refused = withOrigin("GET", "/api/me", APP);
        assertThat(refused.status()).as("CORS headers on a 401 too, so the app can read it").isEqualTo(401);
        assertThat(refused.header("Access-Control-Allow-Origin")).hasValue(APP);
    }

    @Test
    void otherOriginsGetNoCorsHeaders() {
        String evil = "https://evil.example.com";
        Reply preflight = withOrigin("OPTIONS", "/api/groups", evil, "Access-Control-Request-Method", "POST");
        assertProblem(preflight, 403);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEmpty();

        Reply actual = Api.withToken(User.random().accessToken()).sendWith("GET", "/api/me", evil);
        assertThat(actual.status()).isEqualTo(200);
        assertThat(actual.header("Access-Control-Allow-Origin")).isEmpty();
        assertThat(withOrigin("OPTIONS", "/api/groups", APP + ".evil.com", "Access-Control-Request-Method", "GET").status()).isEqualTo(403);
    }

    @Test
    void everyAnswerCarriesARequestId() {
        Reply generated = User.random().api().get("/api/me");
        assertThat(generated.header("X-Request-Id")).hasValueSatisfying(id -> assertThat(UUID.fromString(id)).isNotNull());

        Reply kept = Api.withToken(User.random().accessToken()).sendWith("GET", "/api/me", null, "X-Request-Id", "mobile-42.abc");
        assertThat(kept.header("X-Request-Id")).hasValue("mobile-42.abc");

        Reply replaced = Api.anonymous().sendWith("GET", "/api/me", null, "X-Request-Id", "bad id with spaces");
        assertThat(replaced.status()).isEqualTo(401);
        assertThat(replaced.header("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).doesNotContain(" "));
    }

    @Test
    void applicationMetricsAreInPrometheusFormat() {
        User user = User.random();
        user.api().get("/api/me");
        user.api().get("/api/groups/" + UUID.randomUUID());

        Reply metrics = Api.anonymous().get("/metrics?scope=application", "text/plain");
        assertThat(metrics.status()).as(metrics.toString()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("lockin_requests_total{", "route=\"GET /api/me\"", "status=\"200\"")
                .contains("route=\"GET /api/groups/{id}\"", "status=\"404\"")
                .contains("lockin_request_seconds")
                .contains("lockin_sessions_running")
                .doesNotContain("route=\"GET /api/groups/0");
    }
}
