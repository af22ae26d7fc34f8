package app.lockin.notifications;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;

import app.lockin.config.SharedJson;

/**
 * Pushes to Android phones through Firebase Cloud Messaging's HTTP v1 API
 * ({@code POST {endpoint}/v1/projects/{project}/messages:send}), with the
 * OAuth2 access tokens of a service account (google-auth-library: a JWT signed
 * with the account's key, exchanged at the {@code token_uri} its JSON names).
 * Configured by {@code LOCKIN_FCM_CREDENTIALS} (the service account's JSON
 * file), {@code LOCKIN_FCM_PROJECT_ID} (default: the JSON's
 * {@code project_id}) and {@code LOCKIN_FCM_ENDPOINT} (default
 * {@value #DEFAULT_ENDPOINT}). No credentials: FCM is off here and every push
 * answers {@link Delivery.Outcome#SKIPPED}. A missing, unreadable or invalid
 * file stops the deployment with a message naming the setting.
 * <p>
 * Both the token exchange and the messages trust the JDK's authorities and
 * {@code LOCKIN_EXTRA_CA_CERTIFICATES}'s. A message carries the notification's
 * id (the item's when it has none) as its collapse key and APNs collapse id,
 * so a retry never shows twice. Neither device tokens nor access tokens are
 * ever logged.
 */
@ApplicationScoped
public class FcmPushes implements DeliveryChannel {

    static final String CREDENTIALS = "LOCKIN_FCM_CREDENTIALS";
    static final String PROJECT_ID = "LOCKIN_FCM_PROJECT_ID";
    static final String ENDPOINT = "LOCKIN_FCM_ENDPOINT";
    static final String DEFAULT_ENDPOINT = "https://fcm.googleapis.com";
    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Connections to FCM at most (HTTP/2 multiplexes the messages over one; HTTP/1.1 needs one a message in flight). */
    static final int CONNECTIONS = 64;
    /** An access token this close to its expiry is fetched again (google-auth's own margin is under 4 minutes). */
    private static final Duration TOKEN_MARGIN = Duration.ofMinutes(5);

    private final GoogleCredentials credentials;
    private final URI messages;
    private final String project;
    private final CloseableHttpAsyncClient http;
    /** Fetches access tokens (a blocking exchange, about once an hour), off the dispatcher's thread. */
    private final ExecutorService tokens;
    /** Set when FCM refused the access token (401/403): the next push gets a new one. */
    private volatile boolean tokenRefused;

    @Inject
    public FcmPushes(@ConfigProperty(name = CREDENTIALS) Optional<String> credentials,
                     @ConfigProperty(name = PROJECT_ID) Optional<String> projectId,
                     @ConfigProperty(name = ENDPOINT, defaultValue = DEFAULT_ENDPOINT) String endpoint,
                     TrustedCertificates trusted) {
        Optional<Path> file = credentials.map(String::strip).filter(f -> !f.isEmpty()).map(Path::of);
        if (file.isEmpty()) {
            this.credentials = null;
            this.messages = null;
            this.project = null;
            this.http = null;
            this.tokens = null;
            return;
        }
        NetHttpTransport transport = new NetHttpTransport.Builder()
                .setSslSocketFactory(trusted.sslContext().getSocketFactory()).build();
        ServiceAccountCredentials account = serviceAccount(file.get(), transport);
        this.credentials = account.createScoped(List.of(SCOPE));
        this.project = projectId.map(String::strip).filter(p -> !p.isEmpty()).or(() -> Optional.ofNullable(account.getProjectId()))
                .orElseThrow(() -> new IllegalStateException(CREDENTIALS + " names a service account without a project_id ("
                        + file.get() + "): set " + PROJECT_ID));
        this.messages = messagesUri(endpoint, project);
        this.tokens = Executors.newSingleThreadExecutor(daemons());
        this.http = client(trusted);
        this.http.start();
    }

    /**
     * The messages' client: asynchronous (an answer completes its push on the client's one I/O
     * thread, no thread waits for FCM), HTTP/2 when the server offers it (FCM does), no
     * redirects, cookies or retries of its own (the outbox retries).
     */
    private static CloseableHttpAsyncClient client(TrustedCertificates trusted) {
        return HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setTlsStrategy(new DefaultClientTlsStrategy(trusted.sslContext()))
                        .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.NEGOTIATE).build())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(CONNECT_TIMEOUT))
                                .setSocketTimeout(Timeout.of(REQUEST_TIMEOUT))
                                .setTimeToLive(TimeValue.ofMinutes(5))
                                .build())
                        .setMaxConnTotal(CONNECTIONS)
                        .setMaxConnPerRoute(CONNECTIONS)
                        .build())
                .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(1).build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.of(REQUEST_TIMEOUT))
                        .setResponseTimeout(Timeout.of(REQUEST_TIMEOUT))
                        .build())
                .setThreadFactory(daemons())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .evictExpiredConnections()
                .build();
    }

    protected FcmPushes() {
        this.credentials = null;
        this.messages = null;
        this.project = null;
        this.http = null;
        this.tokens = null;
    }

    private static ServiceAccountCredentials serviceAccount(Path file, NetHttpTransport transport) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalStateException(CREDENTIALS + " names a file that cannot be read: " + file);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return ServiceAccountCredentials.fromStream(in, () -> transport);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(CREDENTIALS + " names a file that is not a Google service account's JSON key: "
                    + file + " (" + e.getMessage() + ")", e);
        }
    }

    private static URI messagesUri(String endpoint, String project) {
        String base = endpoint.strip().replaceAll("/+$", "");
        try {
            URI uri = URI.create(base + "/v1/projects/" + URLEncoder.encode(project, StandardCharsets.UTF_8) + "/messages:send");
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(ENDPOINT + " must be an https URL such as " + DEFAULT_ENDPOINT + ", not '"
                    + endpoint + "'", e);
        }
    }

    private static ThreadFactory daemons() {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "lockin-fcm-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public String name() {
        return "fcm";
    }

    /** What this instance does with FCM pushes, for the start-up log. */
    public String describe() {
        return credentials == null
                ? "FCM is not configured (" + CREDENTIALS + "): pushes to Android phones are skipped"
                : "FCM pushes for project " + project + " go to " + messages;
    }

    @Override
    public CompletionStage<Delivery> send(OutboxItem item, OutboxItem.Address address) {
        if (credentials == null) {
            return CompletableFuture.completedFuture(Delivery.skipped("FCM is not configured"));
        }
        if (!(address instanceof OutboxItem.Device device)) {
            return CompletableFuture.completedFuture(Delivery.refused(null, "not a device"));
        }
        String body;
        try {
            body = message(item, device).toString();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(Delivery.refused(null, e.getMessage()));
        }
        try {
            return accessTokenNow()
                    .thenCompose(token -> exchange(body, token))
                    .orTimeout(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    .handle((response, failure) -> failure == null ? outcome(response) : failure(failure));
        } catch (RuntimeException e) {   // the client or the token fetcher shut down
            return CompletableFuture.completedFuture(failure(e));
        }
    }

    /** The access token: at once while it is fresh; fetched (off this thread) when it is about to expire or FCM refused it. */
    private CompletableFuture<String> accessTokenNow() {
        AccessToken current = credentials.getAccessToken();
        if (!tokenRefused && current != null && current.getExpirationTime() != null
                && current.getExpirationTime().toInstant().isAfter(Instant.now().plus(TOKEN_MARGIN))) {
            return CompletableFuture.completedFuture(current.getTokenValue());
        }
        return CompletableFuture.supplyAsync(this::accessToken, tokens);
    }

    /** One messages:send exchange, answered when FCM's answer has arrived. */
    private CompletableFuture<SimpleHttpResponse> exchange(String body, String token) {
        SimpleHttpRequest request = SimpleRequestBuilder.post(messages)
                .setHeader("Authorization", "Bearer " + token)
                .setBody(body, ContentType.APPLICATION_JSON)
                .build();
        CompletableFuture<SimpleHttpResponse> answered = new CompletableFuture<>();
        http.execute(request, new FutureCallback<>() {
            @Override
            public void completed(SimpleHttpResponse response) {
                answered.complete(response);
            }

            @Override
            public void failed(Exception e) {
                answered.completeExceptionally(e);
            }

            @Override
            public void cancelled() {
                answered.completeExceptionally(new CancellationException("cancelled"));
            }
        });
        return answered;
    }

    /** The current access token, fetched again when it is about to expire or FCM refused it. */
    private String accessToken() {
        try {
            if (tokenRefused) {
                tokenRefused = false;
                credentials.refresh();
            } else {
                credentials.refreshIfExpired();
            }
            AccessToken token = credentials.getAccessToken();
            if (token == null) {
                throw new IllegalStateException("no access token");
            }
            return token.getTokenValue();
        } catch (IOException e) {
            // google-auth's message quotes the token endpoint's refusal (never a token: it gave none)
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new CompletionException(new IOException("the access token could not be fetched: "
                    + (why.length() > 300 ? why.substring(0, 300) + "..." : why)));
        }
    }

    /** The FCM v1 request body of an item: its text in the device's language, data as strings, a collapse key. */
    static JsonObject message(OutboxItem item, OutboxItem.Device device) {
        PushPayload payload = PushPayload.parse(item.payload());
        PushTexts.Text text = PushTexts.of(payload, device.locale());
        String collapseId = payload.notificationId().orElse(item.id().toString());
        JsonObjectBuilder notification = SharedJson.PROVIDER.createObjectBuilder().add("title", text.title());
        text.body().ifPresent(b -> notification.add("body", b));
        JsonObjectBuilder data = SharedJson.PROVIDER.createObjectBuilder().add("kind", payload.kind());
        payload.notificationId().ifPresent(id -> data.add("notification_id", id));
        payload.groupId().ifPresent(id -> data.add("group_id", id));
        return SharedJson.PROVIDER.createObjectBuilder().add("message", SharedJson.PROVIDER.createObjectBuilder()
                        .add("token", device.token())
                        .add("notification", notification)
                        .add("data", data)
                        .add("android", SharedJson.PROVIDER.createObjectBuilder().add("collapse_key", collapseId).add("priority", "high"))
                        .add("apns", SharedJson.PROVIDER.createObjectBuilder().add("headers",
                                SharedJson.PROVIDER.createObjectBuilder().add("apns-collapse-id", collapseId))))
                .build();
    }

    private Delivery outcome(SimpleHttpResponse response) {
        int status = response.getCode();
        if (status / 100 == 2) {
            return Delivery.delivered(status);
        }
        FcmError error = FcmError.of(response.getBodyText());
        String detail = error.describe(status);
        if (status == 404 || "UNREGISTERED".equals(error.errorCode())) {
            return Delivery.gone(status, detail);
        }
        if (status == 401 || status == 403) {
            tokenRefused = true;
            return Delivery.failed(status, detail);
        }
        if (status == 408 || status == 429 || status >= 500) {
            return Delivery.failed(status, detail);
        }
        return Delivery.refused(status, detail);
    }

    private static Delivery failure(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof TimeoutException || cause instanceof SocketTimeoutException) {
            return Delivery.failed(null, "FCM did not answer within " + REQUEST_TIMEOUT.toSeconds() + " s");
        }
        return Delivery.failed(null, "FCM: " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"));
    }

    /** FCM's error answer: {@code {"error": {"status": "NOT_FOUND", "details": [{"errorCode": "UNREGISTERED"}]}}}. */
    record FcmError(String status, String errorCode) {

        static FcmError of(String body) {
            try (JsonReader reader = SharedJson.PROVIDER.createReader(new StringReader(body == null ? "" : body))) {
                JsonValue value = reader.readValue();
                if (!(value instanceof JsonObject root) || !(root.get("error") instanceof JsonObject error)) {
                    return new FcmError(null, null);
                }
                String errorCode = null;
                if (error.get("details") instanceof JsonArray details) {
                    errorCode = details.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
                            .map(d -> d.getString("errorCode", null)).filter(c -> c != null).findFirst().orElse(null);
                }
                return new FcmError(error.getString("status", null), errorCode);
            } catch (JsonException | IllegalStateException | ClassCastException e) {
                return new FcmError(null, null);
            }
        }

        String describe(int httpStatus) {
            return "HTTP " + httpStatus + (status == null ? "" : " " + status) + (errorCode == null ? "" : " " + errorCode);
        }
    }

    @PreDestroy
    void close() {
        if (http != null) {
            http.close(CloseMode.IMMEDIATE);
            tokens.shutdownNow();
        }
    }
}
