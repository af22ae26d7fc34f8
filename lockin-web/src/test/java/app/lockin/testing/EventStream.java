package app.lockin.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;

/**
 * A real Server-Sent Events client of the suite's server (the JDK's
 * HttpClient reading the stream line by line, as the text/event-stream
 * format says): events arrive in a queue, with the instant each was read.
 */
public final class EventStream implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    /** One event as the client saw it: a comment is an event named "comment". */
    public record Event(String name, String id, String data, Instant receivedAt) {

        public JsonStructure json() {
            try (JsonReader reader = Json.createReader(new StringReader(data))) {
                return reader.read();
            }
        }

        public JsonArray board() {
            assertThat(name).isEqualTo("leaderboard");
            return (JsonArray) json();
        }

        public JsonObject object() {
            return (JsonObject) json();
        }
    }

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean ended;

    private EventStream(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code path} with the user's token (and the extra headers, name and value pairs); asserts a 200 stream. */
    public static EventStream open(User user, String path, String... headers) {
        HttpResponse<InputStream> response = request(user == null ? null : user.accessToken(), path, headers);
        assertThat(response.statusCode()).as("opening " + path).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        return new EventStream(response);
    }

    /** An attempt to open a stream: the stream when it opened (200), else the status and body of the refusal. */
    public record Attempt(int status, String body, EventStream stream, java.net.http.HttpHeaders headers) {

        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }
    }

    public static Attempt attempt(User user, String path) {
        HttpResponse<InputStream> response = request(user.accessToken(), path);
        if (response.statusCode() == 200) {
            return new Attempt(200, null, new EventStream(response), response.headers());
        }
        try (InputStream body = response.body()) {
            return new Attempt(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8), null,
                    response.headers());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static EventStream openWithToken(String token, String path) {
        HttpResponse<InputStream> response = request(token, path);
        assertThat(response.statusCode()).as("opening " + path).isEqualTo(200);
        return new EventStream(response);
    }

    private static HttpResponse<InputStream> request(String token, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(TestEnvironment.baseUrl() + path))
                .header("Accept", "text/event-stream");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return CLIENT.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String name = null;
            String id = null;
            List<String> data = new ArrayList<>();
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (name != null || !data.isEmpty()) {
                        events.add(new Event(name == null ? "message" : name, id, String.join("\n", data), Instant.now()));
                    }
                    name = null;
                    id = null;
                    data.clear();
                } else if (line.startsWith(":")) {
                    events.add(new Event("comment", null, line.substring(1).strip(), Instant.now()));
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "event" -> name = value;
                        case "id" -> id = value;
                        case "data" -> data.add(value);
                        default -> { }
                    }
                }
            }
        } catch (IOException e) {
            // closed by the test or the server
        } finally {
            ended = true;
            events.add(new Event("closed", null, "", Instant.now()));
        }
    }

    /** The next event that is not a comment, waiting at most {@code timeout}. */
    public Event next(Duration timeout) {
        return next(e -> !e.name().equals("comment"), timeout);
    }

    /** The next event named {@code name} (others are skipped), waiting at most {@code timeout}. */
    public Event next(String name, Duration timeout) {
        return next(e -> e.name().equals(name), timeout);
    }

    /** The next event matching, skipping others; fails when none comes in time. */
    public Event next(Predicate<Event> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                Event e = events.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                if (e == null) {
                    throw new AssertionError("no matching event within " + timeout);
                }
                if (wanted.test(e)) {
                    return e;
                }
                if (e.name().equals("closed")) {
                    throw new AssertionError("the stream closed before a matching event came");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every event that arrives within {@code window} (comments included). */
    public List<Event> during(Duration window) {
        List<Event> seen = new ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return seen;
                }
                Event e = events.poll(left, TimeUnit.NANOSECONDS);
                if (e != null) {
                    seen.add(e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return seen;
        }
    }

    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // closing anyway
        }
        reader.interrupt();
    }
}
