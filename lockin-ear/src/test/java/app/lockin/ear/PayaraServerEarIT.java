package app.lockin.ear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;

import app.lockin.dev.DevKeys;
import app.lockin.dev.EmbeddedDatabase;
import app.lockin.dev.TokenMint;

/**
 * The EAR on full Payara Server right after a fresh domain start, over real
 * HTTP: a new domain on free ports, configured only through the environment
 * the server process inherits (as in production), a real PostgreSQL, and
 * tokens signed by a key published as a JWKS file.
 *
 * <p>Payara Server was seen to skip {@code @RolesAllowed} on the first deploy
 * after a domain start, so the unauthenticated request comes first, against
 * a first deploy. Every asadmin call writes to its own log under
 * {@code target/ear-check/asadmin}; the server's log is
 * {@code target/ear-check/domains/lockin-ear-check/logs/server.log}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PayaraServerEarIT {

    private static final String DOMAIN = "lockin-ear-check";
    private static final String ISSUER = "https://issuer.ear-check.lockin.test/pool";
    private static final String CLIENT_ID = "lockin-ear-check-client";

    /** Payara uses ports portbase+0 to portbase+99 (admin +48, HTTP +80, Hazelcast +49 and +59...). */
    private static final int PORT_RANGE = 100;
    private static final Duration ASADMIN_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    private static final boolean WINDOWS = System.getProperty("os.name").startsWith("Windows");

    private static final Path PAYARA = Path.of(System.getProperty("lockin.it.payara.home", "target/payara-server/payara6")).toAbsolutePath();
    private static final Path EAR = Path.of(System.getProperty("lockin.it.ear", "target/lockin.ear")).toAbsolutePath();
    private static final Path WORK = Path.of(System.getProperty("lockin.it.work", "target/ear-check")).toAbsolutePath();
    private static final Path DOMAINS = WORK.resolve("domains");
    private static final Path ASADMIN_LOGS = WORK.resolve("asadmin");

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private static EmbeddedDatabase database;
    private static TokenMint mint;
    private static Map<String, String> serverEnvironment;
    private static int adminPort;
    private static URI base;
    private static boolean domainCreated;
    private static int asadminCalls;

    @BeforeAll
    static void startDomainAndDeploy() throws Exception {
        assertThat(PAYARA.resolve("bin")).as("Payara Server, unpacked by the pre-integration-test phase").isDirectory();
        assertThat(EAR).as("the EAR, built by the package phase").isRegularFile();
        stopLeftoverServer();
        deleteRecursively(WORK);
        Files.createDirectories(ASADMIN_LOGS);

        database = EmbeddedDatabase.start(WORK.resolve("postgres"), freePort());
        RSAKey key = DevKeys.generate();
        Path jwks = WORK.resolve("jwks.json");
        DevKeys.writeJwks(jwks, key);
        mint = new TokenMint(key, ISSUER, CLIENT_ID);
        serverEnvironment = Map.of(
                "DATABASE_URL", database.databaseUrl(),
                "LOCKIN_JWT_ISSUER", ISSUER,
                "LOCKIN_JWKS_LOCATION", jwks.toString(),
                "COGNITO_CLIENT_ID", CLIENT_ID);

        int portBase = freePortBase();
        adminPort = portBase + 48;
        base = URI.create("http://localhost:" + (portBase + 80));
        Duration create = asadmin("create-domain", "--nopassword", "--portbase", String.valueOf(portBase),
                "--domaindir", DOMAINS.toString(), DOMAIN);
        domainCreated = true;
        Duration start = asadmin("start-domain", "--domaindir", DOMAINS.toString(), DOMAIN);
        Duration deploy = asadmin("--port", String.valueOf(adminPort), "deploy", "--name", "lockin", EAR.toString());

        report("portbase %d: HTTP %s, admin console http://localhost:%d", portBase, base, adminPort);
        report("create-domain took %s, start-domain took %s, deploy took %s", seconds(create), seconds(start), seconds(deploy));
    }

    @AfterAll
    static void stopDomainAndDatabase() {
        if (domainCreated) {
            Optional<ProcessHandle> server = serverProcess();
            try {
                Duration stop = asadmin("stop-domain", "--domaindir", DOMAINS.toString(), DOMAIN);
                report("stop-domain took %s", seconds(stop));
            } catch (Exception | AssertionError e) {
                report("stop-domain failed (%s); ending the server process", e.getMessage());
            }
            server.filter(ProcessHandle::isAlive).ifPresent(PayaraServerEarIT::end);
        }
        if (database != null) {
            try {
                database.close();
            } catch (IOException e) {
                report("could not stop PostgreSQL: %s", e.getMessage());
            }
        }
    }

    @Test
    @Order(1)
    void theServerProcessInheritsTheEnvironment() throws IOException {
        ProcessHandle server = serverProcess().orElseThrow(() -> new AssertionError("no running server: "
                + DOMAINS.resolve(DOMAIN + "/config/pid") + " names no live process"));
        Path environ = Path.of("/proc", String.valueOf(server.pid()), "environ");
        if (!Files.isReadable(environ)) {
            report("no %s on this system: the environment is checked through the application only", environ);
            return;
        }
        Map<String, String> seen = new HashMap<>();
        for (String entry : new String(Files.readAllBytes(environ), StandardCharsets.UTF_8).split("\0")) {
            int equals = entry.indexOf('=');
            if (equals > 0) {
                seen.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        assertThat(seen).as("environment of the server process %d", server.pid()).containsAllEntriesOf(serverEnvironment);
    }

    @Test
    @Order(2)
    void healthIsUp() {
        Reply health = awaitStatus("/health", 200);
        assertThat(health.json()).containsEntry("status", "UP");
        assertThat(health.body()).as("the application's liveness check is registered").contains("\"lockin\"");
    }

    @Test
    @Order(3)
    void readyWithTheDatabaseFromDatabaseUrl() {
        Reply ready = awaitStatus("/health/ready", 200);
        assertThat(ready.json()).containsEntry("status", "UP");
        assertThat(ready.body()).as("the database readiness check is registered").contains("\"database\"");
    }

    @Test
    @Order(4)
    void meWithoutTokenIsRefusedOnTheFirstDeploy() {
        Reply reply = get("/api/me", null);
        assertThat(reply.status()).as("%s", reply).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).as("%s", reply).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(reply.header("Content-Type")).as("%s", reply).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    }

    /** @RolesAllowed holds on the first deploy: no token 401, a member of another group 403, an administrator 200. */
    @Test
    @Order(5)
    void maintenanceIsForAdministratorsOnTheFirstDeploy() {
        String path = "/api/maintenance/archive-expired-groups";
        Reply anonymous = send("POST", path, null);
        assertThat(anonymous.status()).as("%s", anonymous).isEqualTo(401);
        Reply member = send("POST", path, mint.accessToken(UUID.randomUUID().toString(), "ear-check", Duration.ofMinutes(10),
                List.of("editors")));
        assertThat(member.status()).as("%s", member).isEqualTo(403);
        assertThat(member.header("Content-Type")).as("%s", member)
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        Reply admin = send("POST", path, mint.accessToken(UUID.randomUUID().toString(), "ear-check", Duration.ofMinutes(10),
                List.of("admin")));
        assertThat(admin.status()).as("%s", admin).isEqualTo(200);
        assertThat(admin.json()).containsKeys("archived", "failed");
    }

    @Test
    @Order(6)
    void tokenSignedByAnotherKeyIsRefused() {
        String forged = TokenMint.sign(mint.access(UUID.randomUUID().toString(), "ear-check", Duration.ofMinutes(10), List.of()).build(),
                DevKeys.generate());
        Reply reply = get("/api/me", forged);
        assertThat(reply.status()).as("%s", reply).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).as("%s", reply).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    @Test
    @Order(7)
    void tokenOfAnotherClientIsRefused() {
        // proves COGNITO_CLIENT_ID reached the application: without it, any client's tokens are taken
        String otherClient = mint.sign(mint.access(UUID.randomUUID().toString(), "ear-check", Duration.ofMinutes(10), List.of())
                .claim("client_id", "another-client").build());
        Reply reply = get("/api/me", otherClient);
        assertThat(reply.status()).as("%s", reply).isEqualTo(401);
    }

    @Test
    @Order(8)
    void meWithTokenAnswersTheProfile() {
        String token = mint.accessToken(UUID.randomUUID().toString(), "ear-check", Duration.ofMinutes(10), List.of());
        Reply reply = get("/api/me", token);
        assertThat(reply.status()).as("%s", reply).isEqualTo(200);
        assertThat(reply.json()).containsKey("display_name");
    }

    @Test
    @Order(9)
    void aConstraintsRefusalReadsInTheSchemasWords() {
        // the wording comes from the constraint's comment (ConstraintTexts, injected into the web module's
        // ProblemMapper): it must reach a refusal in the EAR as on Payara Micro
        String token = mint.accessToken(UUID.randomUUID().toString(), "ear-check", Duration.ofMinutes(10), List.of());
        Reply reply = send("PATCH", "/api/me", token, "{\"display_name\": \"" + "x".repeat(51) + "\"}");
        assertThat(reply.status()).as("%s", reply).isEqualTo(422);
        assertThat(reply.body()).as("%s", reply).contains("display_name", "must have 1 to 50 characters after trimming");
    }

    @Test
    @Order(10)
    void openApiIsServed() {
        Reply reply = get("/openapi", null);
        assertThat(reply.status()).as("%s", reply).isEqualTo(200);
        assertThat(reply.body()).as("the document describes the API").contains("/api/me");
        // the written contract, not a reading of the code: snake_case schemas, plain custom-method paths
        assertThat(reply.body()).contains("display_name", "/api/groups/{id}:clone").doesNotContain("displayName");
        // the application's MicroProfile Config reaches the OpenAPI service in the EAR too: a relative
        // server, and the filter that keeps the document standard (no Payara root key "endpoints")
        Map<String, Object> document = get("/openapi?format=JSON", null).json();
        assertThat(document).doesNotContainKey("endpoints");
        assertThat((List<?>) document.get("servers")).singleElement()
                .satisfies(server -> assertThat(((Map<?, ?>) server).get("url")).isEqualTo("/"));
    }

    // --- HTTP ---

    /** An HTTP answer; its toString is what a failed assertion or a poll that timed out shows. */
    record Reply(String request, int status, Map<String, List<String>> headers, String body) {

        Optional<String> header(String name) {
            return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                    .flatMap(h -> h.getValue().stream()).findFirst();
        }

        Map<String, Object> json() {
            try {
                return JSONObjectUtils.parse(body);
            } catch (ParseException e) {
                throw new AssertionError("not a JSON object: " + this, e);
            }
        }

        @Override
        public String toString() {
            return request + " -> HTTP " + status + " " + headers + " " + body;
        }
    }

    private static Reply get(String path, String bearerToken) {
        return send("GET", path, bearerToken);
    }

    private static Reply send(String method, String path, String bearerToken) {
        return send(method, path, bearerToken, null);
    }

    private static Reply send(String method, String path, String bearerToken, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(method + " " + path + (bearerToken == null ? "" : " (with a token)"), response.statusCode(),
                    response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + base.resolve(path) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Polls {@code path} until it answers {@code status}: health checks may lag the deployment a little. */
    private static Reply awaitStatus(String path, int status) {
        return await("GET " + path + " answers " + status)
                .atMost(READY_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> get(path, null), reply -> reply.status() == status);
    }

    // --- asadmin and the server process ---

    /**
     * Runs asadmin with the JDK running this test, the server's environment,
     * no stdin and its output in a log file (a started domain keeps the
     * output open: a pipe would never close). Returns how long it took.
     */
    private static Duration asadmin(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(PAYARA.resolve(WINDOWS ? "bin/asadmin.bat" : "bin/asadmin").toString());
        command.add("--interactive=false");
        command.addAll(List.of(arguments));
        String subcommand = Stream.of(arguments).filter(a -> a.matches("[a-z]+(-[a-z]+)*")).findFirst().orElse("asadmin");
        Path log = ASADMIN_LOGS.resolve(String.format("%02d-%s.log", ++asadminCalls, subcommand));

        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(WORK.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File(WINDOWS ? "NUL" : "/dev/null")));
        String javaHome = System.getProperty("java.home");
        builder.environment().put("AS_JAVA", javaHome);
        builder.environment().put("JAVA_HOME", javaHome);
        builder.environment().putAll(serverEnvironment);

        long started = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(ASADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("asadmin " + subcommand + " did not end within " + seconds(ASADMIN_TIMEOUT)
                    + " (a server left on one of its ports?); its log " + log + ":\n" + tail(log));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (process.exitValue() != 0) {
            throw new AssertionError("asadmin " + String.join(" ", arguments) + " failed with exit code " + process.exitValue()
                    + "; its log " + log + ":\n" + tail(log) + "\nserver log: " + DOMAINS.resolve(DOMAIN + "/logs/server.log"));
        }
        return took;
    }

    /** The server JVM of the domain, from the pid file it writes while running. */
    private static Optional<ProcessHandle> serverProcess() {
        Path pidFile = DOMAINS.resolve(DOMAIN).resolve("config").resolve("pid");
        try {
            return Files.isRegularFile(pidFile)
                    ? ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).filter(ProcessHandle::isAlive)
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Ends the server of an interrupted earlier run of this test, identified by this build's domain directory. */
    private static void stopLeftoverServer() {
        serverProcess()
                .filter(p -> p.info().commandLine().map(c -> c.contains(DOMAINS.toString())).orElse(false))
                .ifPresent(p -> {
                    report("ending the leftover server %d of an earlier run", p.pid());
                    end(p);
                });
    }

    private static void end(ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }

    // --- small helpers ---

    /**
     * A port base whose hundred ports are all free, below Linux's ephemeral
     * range (32768+) so outgoing connections do not take them meanwhile.
     */
    private static int freePortBase() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(200, 320) * 100;
            boolean free = true;
            for (int port = candidate; port < candidate + PORT_RANGE && free; port++) {
                free = isFree(port);
            }
            if (free) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free range of " + PORT_RANGE + " ports between 20000 and 32000");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (BindException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static String seconds(Duration duration) {
        return String.format("%.1f s", duration.toMillis() / 1000.0);
    }

    private static void report(String format, Object... arguments) {
        System.out.println("[ear-check] " + String.format(format, arguments));
    }
}
