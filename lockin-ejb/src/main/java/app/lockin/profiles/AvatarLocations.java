package app.lockin.profiles;

import java.net.URI;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where avatars live, the one place that says so: objects
 * {@code avatars/{profile_id}/{uuid}.{jpg|png|webp}} of the bucket
 * {@code S3_BUCKET_NAME} in {@code AWS_REGION}, uploaded to S3 itself or to
 * the S3-compatible store at {@code S3_ENDPOINT_URL} (path-style), and read
 * at {@code LOCKIN_AVATAR_BASE_URL} + key. That base defaults to the
 * bucket's address: {@code https://{bucket}.s3.{region}.amazonaws.com/}, or
 * {@code {S3_ENDPOINT_URL}/{bucket}/} with an endpoint. The upload answer's
 * {@code avatar_url} and the check of {@code PATCH /api/me} both come from
 * here, so a profile can point only at an avatar under its own key prefix.
 */
@ApplicationScoped
public class AvatarLocations {

    static final String PREFIX = "avatars/";
    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final String EXTENSIONS = Arrays.stream(AvatarFormat.values())
            .map(AvatarFormat::extension).collect(Collectors.joining("|", "(", ")"));

    private final Optional<String> bucket;
    private final String region;
    private final Optional<URI> endpoint;
    private final Optional<String> baseUrl;

    @Inject
    public AvatarLocations(
            @ConfigProperty(name = "S3_BUCKET_NAME") Optional<String> bucket,
            @ConfigProperty(name = "AWS_REGION", defaultValue = "us-east-1") String region,
            @ConfigProperty(name = "S3_ENDPOINT_URL") Optional<String> endpoint,
            @ConfigProperty(name = "LOCKIN_AVATAR_BASE_URL") Optional<String> baseUrl) {
        this.bucket = bucket.map(String::strip).filter(b -> !b.isEmpty());
        this.region = region.strip();
        this.endpoint = endpoint.map(String::strip).filter(e -> !e.isEmpty()).map(AvatarLocations::endpoint);
        this.baseUrl = this.bucket.map(b -> baseUrl.map(String::strip).filter(u -> !u.isEmpty())
                .orElseGet(() -> this.endpoint.map(e -> withoutTrailingSlash(e.toString()) + "/" + b)
                        .orElse("https://" + b + ".s3." + this.region + ".amazonaws.com")))
                .map(u -> u.endsWith("/") ? u : u + "/");
    }

    protected AvatarLocations() {
        this.bucket = Optional.empty();
        this.region = "";
        this.endpoint = Optional.empty();
        this.baseUrl = Optional.empty();
    }

    /** Whether avatars can be uploaded here at all: a bucket is configured. */
    public boolean configured() {
        return bucket.isPresent();
    }

    public String bucket() {
        return bucket.orElseThrow(() -> new IllegalStateException("S3_BUCKET_NAME is not set"));
    }

    public String region() {
        return region;
    }

    /** The S3-compatible store to use instead of AWS S3 (addressed path-style), if any. */
    public Optional<URI> endpoint() {
        return endpoint;
    }

    /** The key prefix of every avatar object of the profile: {@code avatars/{profile_id}/}. */
    public String prefixOf(UUID profileId) {
        return PREFIX + profileId + "/";
    }

    /** A new, unguessable key for an avatar of the profile: {@code avatars/{profile_id}/{uuid}.{ext}}. */
    public String newKey(UUID profileId, AvatarFormat format) {
        return prefixOf(profileId) + UUID.randomUUID() + "." + format.extension();
    }

    /** The URL the object with this key is read at. */
    public String urlOf(String key) {
        return baseUrl.orElseThrow(() -> new IllegalStateException("S3_BUCKET_NAME is not set")) + key;
    }

    /** The key of the avatar object a URL of {@link #urlOf} names, if it is one (under the avatars' prefix). */
    public Optional<String> keyOf(String url) {
        return baseUrl.filter(base -> url != null && url.startsWith(base + PREFIX))
                .map(base -> url.substring(base.length()))
                .filter(key -> !key.contains("..") && !key.contains("?") && !key.contains("#"));
    }

    /** True when the URL names an avatar object under the profile's own prefix (as {@link #newKey} makes them). */
    public boolean belongsTo(UUID profileId, String url) {
        return baseUrl.map(base -> Pattern.compile(Pattern.quote(base + PREFIX + profileId + "/")
                        + UUID_PATTERN + "\\." + EXTENSIONS).matcher(url).matches())
                .orElse(false);
    }

    private static URI endpoint(String value) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("S3_ENDPOINT_URL is not a URL: " + value, e);
        }
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                || uri.getQuery() != null) {
            throw new IllegalStateException("S3_ENDPOINT_URL must be an http(s) URL like http://localhost:9090: " + value);
        }
        return uri;
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
