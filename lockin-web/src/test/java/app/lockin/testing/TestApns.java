package app.lockin.testing;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.RejectedNotificationException;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.eatthepath.pushy.apns.server.UnregisteredDeviceTokenException;

import io.netty.handler.codec.http2.Http2Headers;

/**
 * A real APNs server for the tests: Pushy's own {@link MockApnsServer}
 * (HTTP/2 over TLS, with the certificate {@link TestTls} signed), which
 * checks each request's provider token (an ES256 JWT, checked with the JDK) against the public half
 * of a .p8 key made for the run (written where {@code LOCKIN_APNS_KEY_PATH}
 * points), records what arrived, and answers {@code Unregistered} (410) for
 * the tokens a test marks gone. Tests find their own pushes by their device
 * token, so they never see another's.
 */
public final class TestApns implements AutoCloseable {

    public static final String TEAM_ID = "LOCKINTEAM";
    public static final String KEY_ID = "LOCKINKEY1";
    public static final String TOPIC = "app.lockin.test";

    /** One push as it arrived: the path's token, the headers, the JSON payload. */
    public record Push(String token, String topic, String collapseId, String apnsId, String pushType, String priority,
                       String payload, Instant at) {
    }

    private final MockApnsServer server;
    private final int port;
    private final ConcurrentLinkedQueue<Push> pushes = new ConcurrentLinkedQueue<>();
    private final Set<String> gone = ConcurrentHashMap.newKeySet();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    /** Provider tokens whose signature checked out: a client sends the same one for up to an hour. */
    private final Set<String> verified = ConcurrentHashMap.newKeySet();

    private TestApns(int port, Path key) throws IOException, GeneralSecurityException {
        this.port = port;
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        Files.createDirectories(key.toAbsolutePath().getParent());
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(new JcaPKCS8Generator(keys.getPrivate(), null));
        }
        Files.writeString(key, pem.toString(), StandardCharsets.US_ASCII);
        PublicKey verifier = keys.getPublic();
        TestTls.get();
        this.server = new MockApnsServerBuilder()
                .setServerCredentials(TestTls.serverCertificatePem().toFile(), TestTls.serverKeyPem().toFile(), null)
                .setHandlerFactory(session -> (headers, payload) -> handle(verifier, headers,
                        payload == null ? "" : payload.toString(StandardCharsets.UTF_8)))
                .build();
        try {
            server.start(port).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("the mock APNs server did not start on port " + port, e);
        }
    }

    /** Writes a new .p8 key to {@code key} and starts the server on {@code port}. */
    public static TestApns start(int port, Path key) {
        try {
            return new TestApns(port, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(PublicKey verifier, Http2Headers headers, String payload) throws RejectedNotificationException {
        CharSequence authorization = headers.get("authorization");
        if (authorization == null || !authorization.toString().startsWith("bearer ")) {
            throw new RejectedNotificationException(RejectionReason.MISSING_PROVIDER_TOKEN);
        }
        String jwt = authorization.toString().substring("bearer ".length());
        if (!verified.contains(jwt)) {
            if (!validProviderToken(verifier, jwt)) {
                throw new RejectedNotificationException(RejectionReason.INVALID_PROVIDER_TOKEN);
            }
            verified.add(jwt);
        }
        String path = headers.path().toString();
        String token = path.substring(path.lastIndexOf('/') + 1);
        if (gone.contains(token)) {
            throw new UnregisteredDeviceTokenException(Instant.now());
        }
        if (failing.contains(token)) {
            throw new RejectedNotificationException(RejectionReason.SERVICE_UNAVAILABLE);
        }
        pushes.add(new Push(token, text(headers, "apns-topic"), text(headers, "apns-collapse-id"),
                text(headers, "apns-id"), text(headers, "apns-push-type"), text(headers, "apns-priority"), payload,
                Instant.now()));
    }

    /**
     * An ES256 JWT signed by the run's .p8 key, of its key id and team. Apple takes the
     * signature DER-encoded (as Pushy sends it) or as JOSE's R||S; the JDK checks either.
     */
    private static boolean validProviderToken(PublicKey key, String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            Base64.Decoder base64 = Base64.getUrlDecoder();
            JsonObject header = Json.createReader(new StringReader(new String(base64.decode(parts[0]), StandardCharsets.UTF_8))).readObject();
            JsonObject claims = Json.createReader(new StringReader(new String(base64.decode(parts[1]), StandardCharsets.UTF_8))).readObject();
            byte[] signature = base64.decode(parts[2]);
            Signature ecdsa = Signature.getInstance(signature.length == 64 ? "SHA256withECDSAinP1363Format" : "SHA256withECDSA");
            ecdsa.initVerify(key);
            ecdsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return ecdsa.verify(signature) && "ES256".equals(header.getString("alg", null))
                    && KEY_ID.equals(header.getString("kid", null)) && TEAM_ID.equals(claims.getString("iss", null));
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static String text(Http2Headers headers, String name) {
        CharSequence value = headers.get(name);
        return value == null ? null : value.toString();
    }

    public int port() {
        return port;
    }

    /** How many pushes arrived, to any token. */
    public int received() {
        return pushes.size();
    }

    /** What arrived for this device token, in order. */
    public List<Push> to(String token) {
        return pushes.stream().filter(p -> p.token().equals(token)).toList();
    }

    /** From now on this token is answered 410 Unregistered. */
    public void unregister(String token) {
        gone.add(token);
    }

    /** From now on this token is answered 503, until {@link #recover}. */
    public void fail(String token) {
        failing.add(token);
    }

    public void recover(String token) {
        failing.remove(token);
    }

    @Override
    public void close() {
        try {
            server.shutdown().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the run is ending
        }
    }
}
