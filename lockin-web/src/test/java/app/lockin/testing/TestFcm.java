package app.lockin.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A real FCM for the tests, over HTTPS with the certificate {@link TestTls}
 * signed: Google's OAuth2 token endpoint ({@code /token}: a service account's
 * RS256 JWT assertion checked against the public half of a key made for the
 * run, an access token answered) and FCM HTTP v1
 * ({@code /v1/projects/{project}/messages:send}: the bearer token checked,
 * the message recorded). The service account's JSON, whose {@code token_uri}
 * names this server, is written where {@code LOCKIN_FCM_CREDENTIALS} points:
 * the server under test only knows it through that file and
 * {@code LOCKIN_FCM_ENDPOINT}. A test may mark a device token gone (404
 * {@code UNREGISTERED}) or make the next messages to it fail with a status.
 */
public final class TestFcm implements AutoCloseable {

    public static final String PROJECT = "lockin-test";
    /** The audience Google's token endpoint wants in the assertion, wherever the JSON's token_uri points. */
    private static final String GOOGLE_AUDIENCE = "https://oauth2.googleapis.com/token";
    private static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
    private static final Pattern SEND = Pattern.compile("/v1/projects/([^/]+)/messages:send");

    /** One message as it arrived: the device token and the whole {@code message} object. */
    public record Message(String project, String token, JsonObject message, Instant at) {
    }

    private final HttpsServer server;
    private final RSASSAVerifier verifier;
    private final Set<String> accessTokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final ConcurrentLinkedQueue<Message> messages = new ConcurrentLinkedQueue<>();
    private final Set<String> gone = ConcurrentHashMap.newKeySet();
    private final Map<String, int[]> failures = new ConcurrentHashMap<>();   // token -> {status, times left}

    private TestFcm(int port, Path credentials) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        verifier = new RSASSAVerifier((RSAPublicKey) keys.getPublic());
        server = HttpsServer.create(new InetSocketAddress("localhost", port), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(TestTls.get().serverContext()));
        server.setExecutor(Executors.newFixedThreadPool(16, r -> {
            Thread thread = new Thread(r, "test-fcm");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/token", this::token);
        server.createContext("/v1/projects/", this::send);
        server.start();
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(new JcaPKCS8Generator(keys.getPrivate(), null));
        }
        Files.createDirectories(credentials.toAbsolutePath().getParent());
        Files.writeString(credentials, Json.createObjectBuilder()
                .add("type", "service_account")
                .add("project_id", PROJECT)
                .add("private_key_id", "lockin-test-key")
                .add("private_key", pem.toString())
                .add("client_email", "lockin-push@" + PROJECT + ".iam.gserviceaccount.com")
                .add("client_id", "100000000000000000001")
                .add("token_uri", endpoint() + "/token")
                .build().toString());
    }

    /** Writes a service account's JSON to {@code credentials} (its token_uri this server) and starts on {@code port}. */
    public static TestFcm start(int port, Path credentials) {
        try {
            return new TestFcm(port, credentials);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code https://localhost:<port>}: LOCKIN_FCM_ENDPOINT. */
    public String endpoint() {
        return "https://localhost:" + server.getAddress().getPort();
    }

    /** How many messages arrived, to any token. */
    public int received() {
        return messages.size();
    }

    /** The messages that arrived for this device token, in order. */
    public List<Message> to(String token) {
        return messages.stream().filter(m -> m.token().equals(token)).toList();
    }

    /** How many access tokens were asked for so far. */
    public int tokenRequests() {
        return tokenRequests.get();
    }

    /** From now on this device token is answered 404 UNREGISTERED. */
    public void unregister(String token) {
        gone.add(token);
    }

    /** The next {@code times} messages to this device token are answered {@code status}. */
    public void failNext(String token, int status, int times) {
        failures.put(token, new int[] {status, times});
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            tokenRequests.incrementAndGet();
            Map<String, String> form = form(read(exchange.getRequestBody()));
            try {
                SignedJWT assertion = SignedJWT.parse(form.getOrDefault("assertion", ""));
                String refusal = !"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type")) ? "grant_type"
                        : !assertion.verify(verifier) ? "signature"
                        : !assertion.getJWTClaimsSet().getAudience().contains(GOOGLE_AUDIENCE) ? "aud " + assertion.getJWTClaimsSet().getAudience()
                        : !String.valueOf(assertion.getJWTClaimsSet().getClaim("scope")).contains(SCOPE) ? "scope"
                        : null;
                if (refusal != null) {
                    answer(exchange, 400, "{\"error\": \"invalid_grant\", \"error_description\": \"" + refusal + "\"}");
                    return;
                }
            } catch (ParseException | JOSEException e) {
                answer(exchange, 400, "{\"error\": \"invalid_grant\", \"error_description\": \"not a signed JWT\"}");
                return;
            }
            String accessToken = "ya29.test-" + UUID.randomUUID();
            accessTokens.add(accessToken);
            answer(exchange, 200, Json.createObjectBuilder().add("access_token", accessToken).add("expires_in", 3600)
                    .add("token_type", "Bearer").build().toString());
        }
    }

    private void send(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher path = SEND.matcher(exchange.getRequestURI().getPath());
            if (!"POST".equals(exchange.getRequestMethod()) || !path.matches()) {
                answer(exchange, 404, error(404, "NOT_FOUND", null));
                return;
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null || !authorization.startsWith("Bearer ")
                    || !accessTokens.contains(authorization.substring("Bearer ".length()))) {
                answer(exchange, 401, error(401, "UNAUTHENTICATED", null));
                return;
            }
            JsonObject message;
            try (JsonReader reader = Json.createReader(new StringReader(read(exchange.getRequestBody())))) {
                message = reader.readObject().getJsonObject("message");
            } catch (RuntimeException e) {
                answer(exchange, 400, error(400, "INVALID_ARGUMENT", null));
                return;
            }
            String token = message == null ? null : message.getString("token", null);
            if (token == null) {
                answer(exchange, 400, error(400, "INVALID_ARGUMENT", null));
                return;
            }
            int[] failure = failures.computeIfPresent(token, (t, f) -> f[1] > 0 ? new int[] {f[0], f[1] - 1} : null);
            if (failure != null) {
                answer(exchange, failure[0], error(failure[0], "UNAVAILABLE", null));
                return;
            }
            if (gone.contains(token)) {
                answer(exchange, 404, error(404, "NOT_FOUND", "UNREGISTERED"));
                return;
            }
            messages.add(new Message(path.group(1), token, message, Instant.now()));
            answer(exchange, 200, "{\"name\": \"projects/" + path.group(1) + "/messages/" + UUID.randomUUID() + "\"}");
        }
    }

    private static String error(int code, String status, String errorCode) {
        var error = Json.createObjectBuilder().add("code", code).add("message", status).add("status", status);
        if (errorCode != null) {
            error.add("details", Json.createArrayBuilder().add(Json.createObjectBuilder()
                    .add("@type", "type.googleapis.com/google.firebase.fcm.v1.FcmError").add("errorCode", errorCode)));
        }
        return Json.createObjectBuilder().add("error", error).build().toString();
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static Map<String, String> form(String body) {
        return Arrays.stream(body.split("&")).map(pair -> pair.split("=", 2)).filter(kv -> kv.length == 2)
                .collect(Collectors.toMap(kv -> URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv -> URLDecoder.decode(kv[1], StandardCharsets.UTF_8), (a, b) -> b));
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
