package app.lockin.notifications;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook secrets and signatures as the Standard Webhooks specification has
 * them: a secret is {@code whsec_} + base64 of 32 random bytes; a delivery is
 * signed {@code v1,} + base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)),
 * the key being the secret's bytes after {@code whsec_}; several signatures
 * (a rotated secret's, within its 24 hours) are separated by spaces.
 */
public final class WebhookSignatures {

    public static final String SECRET_PREFIX = "whsec_";
    private static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignatures() {
    }

    /** A new secret: {@code whsec_} + base64 of 32 random bytes. */
    public static String newSecret() {
        byte[] key = new byte[SECRET_BYTES];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The {@code webhook-signature} header: the secret's signature, and the previous secret's when given. */
    public static String header(String secret, Optional<String> previousSecret, String id, long timestamp, String body) {
        String current = sign(secret, id, timestamp, body);
        return previousSecret.map(previous -> current + " " + sign(previous, id, timestamp, body)).orElse(current);
    }

    /** One signature: {@code v1,} + base64(HMAC-SHA256(key, id.timestamp.body)). */
    public static String sign(String secret, String id, long timestamp, String body) {
        byte[] key = Base64.getDecoder().decode(secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] signature = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available: " + e.getMessage(), e);
        }
    }
}
