package app.lockin.rest;

import static app.lockin.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Api;
import app.lockin.testing.LockinServer;
import app.lockin.testing.Reply;
import app.lockin.testing.User;

/**
 * The bench's anchors (the suite's server runs with LOCKIN_BENCH_ANCHORS=true):
 * the API's one behind its authentication and filters, the bare one without.
 */
@LockinServer
class AnchorIT {

    @Test
    void theApisAnchorAnswersItsConstantToAnyoneWithAToken() {
        Reply reply = User.random().api().get("/api/anchor");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().getBoolean("ok")).isTrue();
        assertThat(reply.header("X-Request-Id")).as("the API's filters ran").isPresent();
        assertProblem(Api.anonymous().get("/api/anchor"), 401);
    }

    @Test
    void theBareAnchorAnswersWithoutTheApisPath() {
        Reply reply = Api.anonymous().get("/bare/anchor");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().getBoolean("ok")).isTrue();
        assertThat(reply.header("X-Request-Id")).as("none of the API's filters").isEmpty();
        assertThat(Api.anonymous().get("/bare/groups").status()).as("nothing but the anchor out there").isEqualTo(404);
        assertThat(Api.anonymous().get("/bare/me").status()).isEqualTo(404);
    }
}
