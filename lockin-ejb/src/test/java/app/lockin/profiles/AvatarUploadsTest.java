package app.lockin.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import app.lockin.rules.Invalid;
import app.lockin.rules.Unavailable;

class AvatarUploadsTest {

    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private final UUID profileId = UUID.randomUUID();

    private static AvatarLocations locations(String bucket, String endpoint, String baseUrl) {
        return new AvatarLocations(Optional.ofNullable(bucket), "eu-west-1", Optional.ofNullable(endpoint),
                Optional.ofNullable(baseUrl));
    }

    private static AvatarUploads uploads(AvatarLocations locations) {
        return new AvatarUploads(locations,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")));
    }

    private static Map<String, String> query(URI url) {
        return Arrays.stream(url.getRawQuery().split("&"))
                .map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
    }

    @Test
    void presignedPutIsSignedWithTypeAndLengthForTheCallersOwnKeyForFiveMinutes() {
        AvatarLocations locations = locations("lockin-avatars", null, null);
        Instant before = Instant.now();

        AvatarUpload upload = uploads(locations).issue(profileId, AvatarFormat.PNG, 1234);

        assertThat(upload.key()).matches("avatars/" + profileId + "/" + UUID_PATTERN + "\\.png");
        assertThat(upload.method()).isEqualTo("PUT");
        assertThat(upload.url().getScheme()).isEqualTo("https");
        assertThat(upload.url().getHost()).isEqualTo("lockin-avatars.s3.eu-west-1.amazonaws.com");
        assertThat(upload.url().getPath()).isEqualTo("/" + upload.key());

        Map<String, String> query = query(upload.url());
        assertThat(query.get("X-Amz-Algorithm")).isEqualTo("AWS4-HMAC-SHA256");
        assertThat(List.of(query.get("X-Amz-SignedHeaders").split(";")))
                .contains("content-type", "content-length", "host");
        assertThat(query.get("X-Amz-Credential")).startsWith("AKIDEXAMPLE/").endsWith("/eu-west-1/s3/aws4_request");
        assertThat(query.get("X-Amz-Expires")).isEqualTo("300");
        assertThat(query.get("X-Amz-Signature")).matches("[0-9a-f]{64}");

        assertThat(upload.headers()).containsEntry("Content-Type", "image/png").containsEntry("Content-Length", "1234");
        assertThat(upload.headers().keySet()).as("every signed header but Host, which clients set themselves")
                .map(name -> name.toLowerCase(Locale.ROOT))
                .containsExactlyInAnyOrder("content-length", "content-type");
        assertThat(query.get("X-Amz-SignedHeaders")).isEqualTo("content-length;content-type;host");
        assertThat(upload.expiresAt()).isBetween(before.plus(Duration.ofMinutes(5)).minusSeconds(1),
                Instant.now().plus(Duration.ofMinutes(5)).plusSeconds(1));

        assertThat(upload.avatarUrl()).isEqualTo("https://lockin-avatars.s3.eu-west-1.amazonaws.com/" + upload.key());
        assertThat(locations.belongsTo(profileId, upload.avatarUrl())).isTrue();
        assertThat(locations.belongsTo(UUID.randomUUID(), upload.avatarUrl())).isFalse();
    }

    @Test
    void eachFormatHasItsExtensionAndTypeAndEveryKeyIsNew() {
        AvatarUploads uploads = uploads(locations("lockin-avatars", null, null));
        AvatarUpload jpeg = uploads.issue(profileId, AvatarFormat.JPEG, 1);
        AvatarUpload webp = uploads.issue(profileId, AvatarFormat.WEBP, AvatarUploads.MAX_BYTES);

        assertThat(jpeg.key()).endsWith(".jpg");
        assertThat(jpeg.headers()).containsEntry("Content-Type", "image/jpeg").containsEntry("Content-Length", "1");
        assertThat(webp.key()).endsWith(".webp");
        assertThat(webp.headers()).containsEntry("Content-Type", "image/webp").containsEntry("Content-Length", "5242880");
        assertThat(uploads.issue(profileId, AvatarFormat.JPEG, 1).key()).isNotEqualTo(jpeg.key());
    }

    @Test
    void anEndpointOverrideIsAddressedPathStyleAndAvatarsAreReadThere() {
        AvatarLocations locations = locations("lockin-avatars", "http://localhost:9090/", null);

        AvatarUpload upload = uploads(locations).issue(profileId, AvatarFormat.PNG, 10);

        assertThat(upload.url().toString()).startsWith("http://localhost:9090/lockin-avatars/" + upload.key() + "?");
        assertThat(query(upload.url()).get("X-Amz-SignedHeaders")).contains("content-length", "content-type");
        assertThat(upload.avatarUrl()).isEqualTo("http://localhost:9090/lockin-avatars/" + upload.key());
        assertThat(locations.belongsTo(profileId, upload.avatarUrl())).isTrue();
    }

    @Test
    void avatarsMayBeReadFromAnotherBase() {
        AvatarLocations locations = locations("lockin-avatars", null, "https://cdn.lockin.app/media");

        AvatarUpload upload = uploads(locations).issue(profileId, AvatarFormat.PNG, 10);

        assertThat(upload.url().getHost()).isEqualTo("lockin-avatars.s3.eu-west-1.amazonaws.com");
        assertThat(upload.avatarUrl()).isEqualTo("https://cdn.lockin.app/media/" + upload.key());
        assertThat(locations.belongsTo(profileId, upload.avatarUrl())).isTrue();
    }

    @Test
    void onlyUrlsOfTheProfilesOwnNewKeysBelongToIt() {
        AvatarLocations locations = locations("lockin-avatars", null, null);
        String base = "https://lockin-avatars.s3.eu-west-1.amazonaws.com/avatars/" + profileId + "/";

        assertThat(locations.belongsTo(profileId, base + UUID.randomUUID() + ".webp")).isTrue();
        assertThat(locations.belongsTo(profileId, base + "../" + UUID.randomUUID() + ".png")).isFalse();
        assertThat(locations.belongsTo(profileId, base + UUID.randomUUID() + ".gif")).isFalse();
        assertThat(locations.belongsTo(profileId, base + UUID.randomUUID() + ".png?x=1")).isFalse();
        assertThat(locations.belongsTo(profileId, "https://evil.example.com/avatars/" + profileId + "/" + UUID.randomUUID() + ".png"))
                .isFalse();
        assertThat(locations.belongsTo(profileId, base.replace(profileId.toString(), UUID.randomUUID().toString())
                + UUID.randomUUID() + ".png")).isFalse();
    }

    @Test
    void withoutABucketThereAreNoUploads() {
        AvatarLocations locations = locations(null, null, "https://cdn.lockin.app/");

        assertThat(locations.configured()).isFalse();
        assertThat(locations.belongsTo(profileId, "https://cdn.lockin.app/avatars/" + profileId + "/" + UUID.randomUUID() + ".png"))
                .isFalse();
        assertThatThrownBy(() -> new AvatarUploads(locations).issue(profileId, AvatarFormat.PNG, 10))
                .isInstanceOf(Unavailable.class)
                .hasMessage("avatar uploads are not configured");
    }

    @Test
    void lengthsOutsideOneByteToFiveMebibytesAreRefused() {
        AvatarUploads uploads = uploads(locations("lockin-avatars", null, null));

        for (long length : new long[] {0, -1, AvatarUploads.MAX_BYTES + 1}) {
            assertThatThrownBy(() -> uploads.issue(profileId, AvatarFormat.PNG, length))
                    .isInstanceOfSatisfying(Invalid.class,
                            invalid -> assertThat(invalid.errors()).singleElement()
                                    .satisfies(e -> assertThat(e.field()).isEqualTo("content_length")));
        }
    }

    @Test
    void aMalformedEndpointIsAConfigurationError() {
        assertThatThrownBy(() -> locations("lockin-avatars", "localhost:9090", null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("S3_ENDPOINT_URL");
    }
}
