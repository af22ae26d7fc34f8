package app.lockin.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's check of a signed webhook, written from the Standard Webhooks
 * specification alone (not with LockIN's classes): the signed content is
 * {@code webhook-id + "." + webhook-timestamp + "." + body}; the key is the
 * base64 after {@code whsec_}; {@code webhook-signature} holds space-separated
 * {@code v1,<base64 HMAC-SHA256>} entries, any of which may match.
 */
public final class StandardWebhooks {

    private StandardWebhooks() {
    }

    /** The signatures of the header ({@code v1,...} entries, their base64 part). */
    public static List<String> signatures(String header) {
        return Arrays.stream(header.split(" ")).filter(s -> s.startsWith("v1,")).map(s -> s.substring(3)).toList();
    }

    /** Whether one of the header's signatures is that of this secret over id.timestamp.body. */
    public static boolean verifies(String secret, WebhookReceiver.Received request) {
        String expected = signature(secret, request.header("webhook-id"), request.header("webhook-timestamp"), request.body());
        return signatures(request.header("webhook-signature")).contains(expected);
    }

    /** base64(HMAC-SHA256(base64-decoded secret after whsec_, id.timestamp.body)). */
    public static String signature(String secret, String id, String timestamp, String body) {
        if (!secret.startsWith("whsec_")) {
            throw new IllegalArgumentException("not a Standard Webhooks secret: " + secret);
        }
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            String content = id + "." + timestamp + "." + body;
            return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
