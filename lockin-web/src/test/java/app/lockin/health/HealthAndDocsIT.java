package app.lockin.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import jakarta.json.JsonObject;
import jakarta.ws.rs.HttpMethod;

import org.junit.jupiter.api.Test;

import app.lockin.rest.RequestLog;

import app.lockin.testing.Api;
import app.lockin.testing.LockinServer;
import app.lockin.testing.Reply;
import app.lockin.testing.User;

/** Health for load balancers, and the OpenAPI contract with its browsable UI. */
@LockinServer
class HealthAndDocsIT {

    @Test
    void healthIsUpWithTheDatabase() {
        Reply health = Api.anonymous().get("/health");
        assertThat(health.status()).as(health.toString()).isEqualTo(200);
        assertThat(health.json().getString("status")).isEqualTo("UP");

        Reply ready = Api.anonymous().get("/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().getJsonArray("checks").getValuesAs(JsonObject.class))
                .anySatisfy(check -> {
                    assertThat(check.getString("name")).isEqualTo("database");
                    assertThat(check.getString("status")).isEqualTo("UP");
                });

        Reply live = Api.anonymous().get("/health/live");
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.json().getString("status")).isEqualTo("UP");
    }

    @Test
    void openApiDocumentIsServedAsYamlAndJson() {
        Reply yaml = Api.anonymous().get("/openapi", "*/*");
        assertThat(yaml.status()).isEqualTo(200);
        assertThat(yaml.body()).contains("openapi: 3.", "/api/me:", "display_name");

        JsonObject json = Api.anonymous().get("/openapi?format=JSON").json();
        assertThat(json.getJsonObject("info").getString("title")).isEqualTo("LockIN API");
        assertThat(json.getJsonObject("components").getJsonObject("securitySchemes")).containsKey("cognito");
        // relative: clients and /docs/ call the host they read the document from, not localhost
        assertThat(json.getJsonArray("servers").getValuesAs(JsonObject.class))
                .extracting(server -> server.getString("url")).containsExactly("/");
    }

    /** Every resource method of the application is in the document, under a plain path template. */
    @Test
    void openApiDocumentsEveryResourceMethod() throws Exception {
        JsonObject paths = Api.anonymous().get("/openapi?format=JSON").json().getJsonObject("paths");
        assertThat(paths.keySet()).allSatisfy(path -> assertThat(path).doesNotContain(":[", " ", "\\"));

        List<String> operations = resourceOperations();
        assertThat(operations).isNotEmpty();
        for (String operation : operations) {
            String[] parts = operation.split(" ", 2);
            assertThat(paths.keySet()).as("documented paths").contains(parts[1]);
            assertThat(paths.getJsonObject(parts[1]).keySet()).as(operation).contains(parts[0].toLowerCase());
        }
    }

    @Test
    void browsableUiIsBundled() {
        Reply page = Api.anonymous().get("/docs/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("swagger-ui");
        String script = page.body().replaceAll("(?s).*src=\"\\.\\./(webjars/swagger-ui/[^\"]+bundle\\.js)\".*", "$1");
        assertThat(Api.anonymous().get("/" + script).status()).isEqualTo(200);
        assertThat(Api.anonymous().get("/docs/init.js").body()).contains("/openapi").doesNotContain("persistAuthorization");
    }

    @Test
    void answersCarrySecurityHeaders() {
        Reply docs = Api.anonymous().get("/docs/");
        assertThat(docs.header("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(docs.header("Content-Security-Policy")).get().asString()
                .contains("frame-ancestors 'none'").contains("default-src 'self'").doesNotContain("unsafe-eval");
        // the API's answers are personal: nothing keeps them, refusals and errors included
        for (Reply answer : List.of(User.random().api().get("/api/me"),
                Api.anonymous().get("/api/me"), Api.anonymous().get("/api/no-such-thing"))) {
            assertThat(answer.header("Cache-Control")).as(answer.toString()).hasValue("no-store");
            assertThat(answer.header("X-Content-Type-Options")).as(answer.toString()).hasValue("nosniff");
        }
        assertThat(Api.anonymous().get("/health/ready").header("X-Content-Type-Options")).hasValue("nosniff");
    }

    /**
     * Issue 26: however a path is spelled, an answer that may carry personal data is no-store,
     * 404s included (the header used to follow the path as sent: {@code /%61pi/me} and
     * {@code //api/me} went without). Only the documentation's own files may be kept
     * (revalidated), however their path is spelled.
     */
    @Test
    void everyAnswerButTheDocumentationsFilesIsNoStoreHoweverItsPathIsSpelled() {
        User user = User.random();
        for (String path : List.of("/api/me", "/api/me/", "/%61pi/me", "/%61%70%69/%6d%65", "//api/me", "/api/./me",
                "/api//me", "/API/me", "/api/%6De", "/api/x/../me", "/api/nothing", "/nothing", "/health/ready",
                "/docs/nothing.js", "/webjars/nothing.js", "/%64ocs/../api/me")) {
            for (Api api : List.of(user.api(), Api.anonymous())) {
                Reply answer = api.get(path);
                assertThat(answer.header("Cache-Control")).as(path + ": " + answer).hasValue("no-store");
                assertThat(answer.response().headers().allValues("Cache-Control")).as(path).hasSize(1);
            }
        }
        for (String path : List.of("/docs/", "/%64ocs/", "/docs/init.js", "/docs/./init.js")) {
            Reply answer = Api.anonymous().get(path);
            assertThat(answer.status()).as(path).isEqualTo(200);
            assertThat(answer.header("Cache-Control")).as(path).hasValue("no-cache");
            assertThat(answer.header("Content-Security-Policy")).as(path).isPresent();
        }
    }

    /** "GET /api/me" for each JAX-RS resource method of the application's classes. */
    private static List<String> resourceOperations() throws IOException, ClassNotFoundException {
        Path classes = Path.of("target/classes");
        List<String> operations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, HealthAndDocsIT.class.getClassLoader());
                jakarta.ws.rs.Path root = type.getAnnotation(jakarta.ws.rs.Path.class);
                if (root == null) {
                    continue;
                }
                for (Method method : type.getDeclaredMethods()) {
                    String verb = Stream.of(method.getAnnotations())
                            .map(a -> a.annotationType().getAnnotation(HttpMethod.class))
                            .filter(java.util.Objects::nonNull).map(HttpMethod::value).findFirst().orElse(null);
                    if (verb == null) {
                        continue;
                    }
                    operations.add(verb + " " + RequestLog.template(type, method));
                }
            }
        }
        return operations;
    }
}
