package app.lockin.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;

class RequestLogTest {

    @Path("groups")
    static class Groups {
        @GET
        @Path("{id: [^/:]+}")
        public void get() {
        }

        @POST
        @Path("{id: [^/:]+}:clone")
        public void cloneGroup() {
        }

        @GET
        public void list() {
        }
    }

    @Test
    void anAccessLogLineIsOneJsonObject() {
        String line = RequestLog.accessLine(Instant.parse("2026-11-24T09:30:00Z"), "req-1", "GET", "/api/groups/42\"x",
                "GET /api/groups/{id}", 404, Duration.ofMillis(12));
        assertThat(line).doesNotContain("\n");
        JsonObject json = Json.createReader(new StringReader(line)).readObject();
        assertThat(json.getString("time")).isEqualTo("2026-11-24T09:30:00Z");
        assertThat(json.getString("request_id")).isEqualTo("req-1");
        assertThat(json.getString("path")).isEqualTo("/api/groups/42\"x");
        assertThat(json.getInt("status")).isEqualTo(404);
        assertThat(json.getJsonNumber("duration_ms").doubleValue()).isEqualTo(12.0);
    }

    @Test
    void routesAreTemplatesWithoutRegularExpressions() throws Exception {
        assertThat(RequestLog.template(Groups.class, Groups.class.getMethod("get"))).isEqualTo("/api/groups/{id}");
        assertThat(RequestLog.template(Groups.class, Groups.class.getMethod("cloneGroup"))).isEqualTo("/api/groups/{id}:clone");
        assertThat(RequestLog.template(Groups.class, Groups.class.getMethod("list"))).isEqualTo("/api/groups");
    }
}
