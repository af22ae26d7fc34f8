package app.lockin.testing;


import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A webhook receiver of a test's own: a real HTTPS server (the JDK's) on
 * 127.0.0.1 presenting the tests' certificate for {@code localhost}
 * ({@link TestTls}, which the server trusts), recording every request
 * (headers, body, path) and answering as the test says: 200 by default, or
 * the answers queued with {@link #answer} one request each (a status, a
 * delay before it, a redirect, an endless body).
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived: header names in lower case (first value of each). */
    public record Received(String path, Map<String, String> headers, String body, Instant at) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** How to answer one request. */
    public record Answer(int status, Duration delay, String location, boolean endlessBody) {

        public static Answer status(int status) {
            return new Answer(status, Duration.ZERO, null, false);
        }

        public static Answer slow(Duration delay) {
            return new Answer(200, delay, null, false);
        }

        public static Answer redirect(String location) {
            return new Answer(302, Duration.ZERO, location, false);
        }

        /** 200 with a body that never ends (until the client hangs up). */
        public static Answer endless() {
            return new Answer(200, Duration.ZERO, null, true);
        }
    }

    private final HttpsServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();

    private WebhookReceiver() throws IOException {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(TestTls.get().serverContext()));
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    public static WebhookReceiver start() {
        try {
            return new WebhookReceiver();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code https://localhost:<port><path>}: the name its certificate is for. */
    public String url(String path) {
        return "https://localhost:" + server.getAddress().getPort() + path;
    }

    /** The next requests get these answers, in order; then 200 again. */
    public WebhookReceiver answer(Answer... next) {
        answers.addAll(List.of(next));
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The requests to a path, in order. */
    public List<Received> receivedAt(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Waits until at least {@code count} requests reached the path; returns them. */
    public List<Received> awaitAt(String path, int count, Duration most) {
        org.awaitility.Awaitility.await().atMost(most).pollInterval(Duration.ofMillis(100)).until(() -> receivedAt(path).size() >= count);
        return receivedAt(path);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), values.isEmpty() ? "" : values.get(0)));
            received.add(new Received(exchange.getRequestURI().getPath(), headers,
                    new String(body, StandardCharsets.UTF_8), Instant.now()));
            Answer answer = answers.poll();
            if (answer == null) {
                answer = Answer.status(200);
            }
            if (!answer.delay().isZero()) {
                try {
                    Thread.sleep(answer.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (answer.location() != null) {
                exchange.getResponseHeaders().set("Location", answer.location());
            }
            if (answer.endlessBody()) {
                exchange.sendResponseHeaders(answer.status(), 0);   // chunked
                byte[] chunk = new byte[16 * 1024];
                try (OutputStream out = exchange.getResponseBody()) {
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (System.nanoTime() < deadline) {
                        out.write(chunk);
                    }
                } catch (IOException e) {
                    // the client hung up: what it should do
                }
                return;
            }
            byte[] answerBody = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), answerBody.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answerBody);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    @Override
    public String toString() {
        return "webhook receiver at " + url("/") + " (" + received.size() + " requests)";
    }

    /** For assertions' messages. */
    public List<String> summary() {
        List<String> lines = new ArrayList<>();
        received.forEach(r -> lines.add(r.at() + " " + r.path() + " " + r.body()));
        return lines;
    }
}
