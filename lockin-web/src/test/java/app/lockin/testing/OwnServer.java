package app.lockin.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A second Payara Micro with the built WAR and settings of a test's own
 * (a limit set low, say), for the few tests that need other settings than
 * the suite's server has. It shares everything else with the suite's server:
 * the database, the signing key, S3 (its environment is this JVM's, which
 * Failsafe set as for the suite's server, with {@code settings} on top), and
 * listens on a free port. A boot costs ~15 s and ~500 MB while it runs: a
 * test class starts one at most, and closes it when done. Its log is
 * {@code target/failsafe-reports/<name>-micro.log}.
 */
public final class OwnServer implements AutoCloseable {

    private final Process process;
    private final String baseUrl;
    private final Path log;

    private OwnServer(Process process, String baseUrl, Path log) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.log = log;
    }

    /** Boots the built WAR with the suite's environment plus {@code settings}; returns when it is ready. */
    public static OwnServer start(String name, Map<String, String> settings) throws IOException, InterruptedException {
        OwnServer server = launch(name, settings);
        try {
            server.awaitReady(Duration.ofSeconds(240));
        } catch (RuntimeException e) {   // not ready in time, or it ended (Awaitility's ConditionTimeoutException)
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * Boots the built WAR with {@code settings} that must stop its deployment, and returns the
     * server's log once Payara Micro is done with it: it ended, or it says it is ready (Micro runs
     * on without the application; it logs "successfully deployed" before the start-up beans run,
     * and "Exception while loading the app" when one of them fails). Fails when the application
     * started after all (no such exception, or it answers ready).
     */
    public static String failedStart(String name, Map<String, String> settings) throws IOException, InterruptedException {
        OwnServer server = launch(name, settings);
        try {
            await("Payara Micro done with the deployment (log: " + server.log + ")").atMost(Duration.ofSeconds(240))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> !server.process.isAlive() || server.logText().contains(" ready in "));
            String log = server.logText();
            if (server.process.isAlive() && (!log.contains("Exception while loading the app") || server.ready())) {
                throw new AssertionError("the application started with " + settings.keySet() + ": see " + server.log);
            }
            return log;
        } finally {
            server.close();
        }
    }

    private boolean ready() throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        try {
            return client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private static OwnServer launch(String name, Map<String, String> settings) throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path work = Files.createDirectories(Path.of(System.getProperty("lockin.it.work"), "own-" + name));
        // a root folder left by an earlier run holds that run's exploded WAR, which Payara Micro
        // would run instead of the one just built (seen: a server without the newest migration)
        deleteTree(work.resolve("micro"));
        Path log = Files.createDirectories(Path.of("target", "failsafe-reports")).resolve(name + "-micro.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-Duser.timezone=UTC",
                "-Dmp.health.default.readiness.empty.response=DOWN",
                "-jar", System.getProperty("payara.microJar"),
                "--deploy", System.getProperty("lockin.it.war"), "--contextroot", "/",
                "--port", String.valueOf(port),
                "--maxhttpthreads", "4",
                "--nocluster",
                "--rootdir", work.resolve("micro").toString(),
                "--prebootcommandfile", System.getProperty("lockin.it.preboot"),
                "--postdeploycommandfile", System.getProperty("lockin.it.postdeploy")));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(settings);
        return new OwnServer(builder.start(), "http://localhost:" + port, log);
    }

    private String logText() throws IOException {
        return Files.readString(log, StandardCharsets.ISO_8859_1);
    }

    /** {@code http://localhost:<port>}: give it to {@link Api#at}. */
    public String baseUrl() {
        return baseUrl;
    }

    private void awaitReady(Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl + "/health/ready")).timeout(Duration.ofSeconds(2)).build();
        await("Payara Micro ready (log: " + log + ")").atMost(timeout).pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(IOException.class)   // not listening yet
                .failFast("Payara Micro ended before it was ready: see " + log, () -> !process.isAlive())
                .until(() -> client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    /** Stops it as systemd would (SIGTERM, then SIGKILL after 30 s). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return "Payara Micro at " + baseUrl + " (log " + log.toAbsolutePath() + ")";
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
