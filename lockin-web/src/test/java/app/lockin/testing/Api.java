package app.lockin.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Real HTTP calls to the suite's server, as one caller: with a bearer token, or
 * none ({@link #anonymous()}). Every answer from {@code /api} is checked against
 * the served OpenAPI document ({@link Contract}) before the test sees it.
 */
public final class Api {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final String authorization;
    private final List<String> headers;
    /** Whether requests echo the run's latest {@link ReadAfter} position, as the app echoes its last one. */
    private final boolean echoes;
    /** Where the requests go: the suite's server unless {@link #at} said otherwise. */
    private final String baseUrl;

    private Api(String authorization, List<String> headers, String baseUrl) {
        this(authorization, headers, baseUrl, true);
    }

    private Api(String authorization, List<String> headers, String baseUrl, boolean echoes) {
        this.authorization = authorization;
        this.headers = headers;
        this.baseUrl = baseUrl;
        this.echoes = echoes;
    }

    public static Api anonymous() {
        return new Api(null, List.of(), null);
    }

    public static Api withToken(String token) {
        return new Api("Bearer " + token, List.of(), null);
    }

    public static Api withAuthorization(String header) {
        return new Api(header, List.of(), null);
    }

    /** The same caller, sending this header too (or instead of the default, for Accept). */
    public Api withHeader(String name, String value) {
        List<String> more = new ArrayList<>(headers);
        more.add(name);
        more.add(value);
        return new Api(authorization, List.copyOf(more), baseUrl, echoes);
    }

    /** The same caller, whose requests do not send {@value ReadAfter#HEADER} (a client that does not echo it). */
    public Api withoutReadAfter() {
        return new Api(authorization, headers, baseUrl, false);
    }

    /** The same caller, calling another server ({@code http://host:port}, an {@link OwnServer}'s). */
    public Api at(String otherBaseUrl) {
        return new Api(authorization, headers, otherBaseUrl, echoes);
    }

    public Reply head(String path) {
        return send(request(path).method("HEAD", HttpRequest.BodyPublishers.noBody()));
    }

    public Reply get(String path) {
        return send(request(path).GET());
    }

    public Reply get(String path, String accept) {
        return send(request(path).setHeader("Accept", accept).GET());
    }

    public Reply delete(String path) {
        return send(request(path).DELETE());
    }

    public Reply post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json").POST(body(json)));
    }

    public Reply patch(String path, String json) {
        return send(request(path).header("Content-Type", "application/json").method("PATCH", body(json)));
    }

    /** Any method, body and content type, for malformed requests. */
    public Reply send(String method, String path, String contentType, String body) {
        HttpRequest.Builder request = request(path).method(method, body(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request);
    }

    /** A body of unknown length: sent chunked, without Content-Length. */
    public Reply sendChunked(String method, String path, String contentType, byte[] body) {
        return send(request(path).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
    }

    /** A request without a body, with an Origin (when not null) and extra headers as name, value pairs. */
    public Reply sendWith(String method, String path, String origin, String... headers) {
        HttpRequest.Builder request = request(path).method(method, HttpRequest.BodyPublishers.noBody());
        if (origin != null) {
            request.header("Origin", origin);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create((baseUrl == null ? TestEnvironment.baseUrl() : baseUrl) + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json, application/problem+json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        String readAfter = echoes ? ReadAfter.header() : null;
        if (readAfter != null) {
            request.header(ReadAfter.HEADER, readAfter);
        }
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            request.setHeader(headers.get(i), headers.get(i + 1));
        }
        return request;
    }

    private static HttpRequest.BodyPublisher body(String json) {
        return json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
    }

    private static Reply send(HttpRequest.Builder request) {
        try {
            HttpRequest built = request.build();
            HttpResponse<String> response = CLIENT.send(built, HttpResponse.BodyHandlers.ofString());
            Contract.check(built, response);
            ReadAfter.answered(response.headers().firstValue(ReadAfter.HEADER).orElse(null));
            return new Reply(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
