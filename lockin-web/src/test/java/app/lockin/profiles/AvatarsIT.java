package app.lockin.profiles;

import static app.lockin.testing.Problems.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Api;
import app.lockin.testing.LockinServer;
import app.lockin.testing.Reply;
import app.lockin.testing.TestEnvironment;
import app.lockin.testing.User;

/**
 * POST /api/profiles/avatar/upload-url: a presigned PUT to the suite's S3
 * (S3Mock, which does not check signatures: the signed headers are checked by
 * AvatarUploadsTest), the real upload with exactly what the answer says, and
 * PATCH /api/me with the answer's avatar_url.
 */
@LockinServer
class AvatarsIT {

    private static final String PATH = "/api/profiles/avatar/upload-url";
    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final long FIVE_MIB = 5L * 1024 * 1024;

    private static final HttpClient STORAGE = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private static String request(String contentType, long contentLength) {
        return "{\"content_type\": \"" + contentType + "\", \"content_length\": " + contentLength + "}";
    }

    /** A real PNG, 8×8 pixels. */
    private static byte[] png() throws IOException {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 8; x++) {
            image.setRGB(x, x, Color.ORANGE.getRGB());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    private static String profileId(User user) {
        return user.api().get("/api/me").json().getString("id");
    }

    /**
     * The upload as an app makes it: the answer's method, URL and headers, the
     * image as the body. Java's client sets Content-Length itself (it may not be
     * set by hand), from the body: it must be the signed value.
     */
    private static HttpResponse<String> upload(JsonObject answer, byte[] image) throws IOException, InterruptedException {
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(answer.getString("upload_url")))
                .timeout(Duration.ofSeconds(30))
                .method(answer.getString("method"), HttpRequest.BodyPublishers.ofByteArray(image));
        for (Map.Entry<String, String> header : headers(answer).entrySet()) {
            if (header.getKey().equalsIgnoreCase("Content-Length")) {
                assertThat(header.getValue()).isEqualTo(String.valueOf(image.length));
            } else {
                put.header(header.getKey(), header.getValue());
            }
        }
        return STORAGE.send(put.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> headers(JsonObject answer) {
        return answer.getJsonObject("headers").entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> ((JsonString) e.getValue()).getString()));
    }

    @Test
    void anAvatarGoesUpWithTheAnswerAndIsThenSetOnTheProfile() throws Exception {
        User user = User.random();
        String id = profileId(user);
        byte[] image = png();
        Instant before = Instant.now();

        Reply reply = user.api().post(PATH, request("image/png", image.length));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/json");
        JsonObject answer = reply.json();
        assertThat(answer.keySet()).containsExactlyInAnyOrder("upload_url", "method", "headers", "key", "avatar_url", "expires_at");
        String key = answer.getString("key");
        assertThat(key).matches("avatars/" + id + "/" + UUID_PATTERN + "\\.png");
        assertThat(answer.getString("method")).isEqualTo("PUT");
        assertThat(headers(answer)).containsEntry("Content-Type", "image/png")
                .containsEntry("Content-Length", String.valueOf(image.length));
        assertThat(answer.getString("avatar_url")).isEqualTo(TestEnvironment.avatarBaseUrl() + key);
        assertThat(answer.getString("upload_url"))
                .startsWith(TestEnvironment.avatarBaseUrl() + key + "?")
                .contains("X-Amz-Signature=", "X-Amz-Expires=300", "X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost");
        assertThat(Instant.parse(answer.getString("expires_at")))
                .isBetween(before.plus(Duration.ofMinutes(5)).minusSeconds(2), Instant.now().plus(Duration.ofMinutes(5)).plusSeconds(2));

        HttpResponse<String> uploaded = upload(answer, image);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);

        HttpResponse<byte[]> stored = STORAGE.send(HttpRequest.newBuilder(URI.create(answer.getString("avatar_url"))).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(stored.statusCode()).isEqualTo(200);
        assertThat(stored.body()).isEqualTo(image);
        assertThat(stored.headers().firstValue("Content-Type")).hasValue("image/png");

        Reply set = user.api().patch("/api/me", "{\"avatar_url\": \"" + answer.getString("avatar_url") + "\"}");
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.json().getString("avatar_url")).isEqualTo(answer.getString("avatar_url"));
        assertThat(user.api().get("/api/me").json().getString("avatar_url")).isEqualTo(answer.getString("avatar_url"));
    }

    @Test
    void eachImageTypeGetsItsExtensionAndSignedType() {
        User user = User.random();
        String id = profileId(user);

        JsonObject jpeg = user.api().post(PATH, request("image/jpeg", 1)).json();
        JsonObject webp = user.api().post(PATH, request("image/webp", FIVE_MIB)).json();

        assertThat(jpeg.getString("key")).matches("avatars/" + id + "/" + UUID_PATTERN + "\\.jpg");
        assertThat(headers(jpeg)).containsEntry("Content-Type", "image/jpeg").containsEntry("Content-Length", "1");
        assertThat(webp.getString("key")).matches("avatars/" + id + "/" + UUID_PATTERN + "\\.webp");
        assertThat(headers(webp)).containsEntry("Content-Type", "image/webp").containsEntry("Content-Length", String.valueOf(FIVE_MIB));
        assertThat(user.api().post(PATH, request("image/jpeg", 1)).json().getString("key"))
                .as("a new key every time").isNotEqualTo(jpeg.getString("key"));
    }

    @Test
    void invalidRequestsAre422NamingTheField() {
        User user = User.random();
        assertInvalid(user.api().post(PATH, request("image/gif", 100)), "content_type");
        assertInvalid(user.api().post(PATH, request("text/html", 100)), "content_type");
        assertInvalid(user.api().post(PATH, request("IMAGE/PNG", 100)), "content_type");
        assertInvalid(user.api().post(PATH, request("image/png", 0)), "content_length");
        assertInvalid(user.api().post(PATH, request("image/png", -1)), "content_length");
        assertInvalid(user.api().post(PATH, request("image/png", FIVE_MIB + 1)), "content_length");
        assertInvalid(user.api().post(PATH, "{\"content_type\": \"image/png\", \"content_length\": 99999999999999999999999}"),
                "content_length");
        assertInvalid(user.api().post(PATH, "{\"content_type\": \"image/png\", \"content_length\": 1.5}"), "content_length");
        assertInvalid(user.api().post(PATH, "{\"content_type\": \"image/png\", \"content_length\": \"100\"}"), "content_length");
        assertInvalid(user.api().post(PATH, "{\"content_type\": null, \"content_length\": 100}"), "content_type");
        assertInvalid(user.api().post(PATH, "{\"content_type\": 7, \"content_length\": 100}"), "content_type");
        assertInvalid(user.api().post(PATH, "{\"content_length\": 100}"), "content_type");
        assertInvalid(user.api().post(PATH, "{\"content_type\": \"image/png\"}"), "content_length");
        assertInvalid(user.api().post(PATH, "{}"), "content_type", "content_length");
        assertInvalid(user.api().post(PATH, "[]"), "body");
    }

    @Test
    void unknownFieldsAre422SoNoKeyCanBeAskedFor() {
        User user = User.random();
        User other = User.random();
        String otherKey = "avatars/" + profileId(other) + "/" + UUID.randomUUID() + ".png";

        assertInvalid(user.api().post(PATH, "{\"content_type\": \"image/png\", \"content_length\": 10, \"key\": \"" + otherKey + "\"}"),
                "key");
        assertInvalid(user.api().post(PATH, "{\"content_type\": \"image/png\", \"content_length\": 10, \"profile_id\": \"x\", \"size\": 1}"),
                "profile_id", "size");
    }

    @Test
    void malformedJsonIs400() {
        Reply reply = User.random().api().post(PATH, "{\"content_type\": ");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.contentType()).startsWith("application/problem+json");
    }

    @Test
    void withoutATokenThereIsNoUploadUrl() {
        Reply reply = Api.anonymous().post(PATH, request("image/png", 100));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
        assertThat(reply.body()).doesNotContain("upload_url");
    }

    @Test
    void nobodyGetsAKeyOrAvatarOfAnotherPerson() {
        User alice = User.random();
        User bob = User.random();
        String aliceId = profileId(alice);
        String bobId = profileId(bob);

        JsonObject forAlice = alice.api().post(PATH, request("image/png", 100)).json();
        JsonObject forBob = bob.api().post(PATH, request("image/png", 100)).json();

        assertThat(forAlice.getString("key")).startsWith("avatars/" + aliceId + "/").doesNotContain(bobId);
        assertThat(forAlice.getString("upload_url")).doesNotContain(bobId);
        assertThat(forBob.getString("key")).startsWith("avatars/" + bobId + "/").doesNotContain(aliceId);
        assertThat(forBob.getString("upload_url")).doesNotContain(aliceId);

        assertInvalid(bob.api().patch("/api/me", "{\"avatar_url\": \"" + forAlice.getString("avatar_url") + "\"}"), "avatar_url");
        assertThat(bob.api().get("/api/me").json().isNull("avatar_url")).isTrue();
    }

    @Test
    void avatarUrlsAreThoseOfTheConfiguredStoreOnly() {
        User user = User.random();
        String id = profileId(user);
        String sameKeyOnAws = "https://" + TestEnvironment.avatarBucket() + ".s3.eu-west-1.amazonaws.com/avatars/" + id + "/"
                + UUID.randomUUID() + ".png";

        assertInvalid(user.api().patch("/api/me", "{\"avatar_url\": \"" + sameKeyOnAws + "\"}"), "avatar_url");
    }
}
