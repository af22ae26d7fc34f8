package app.lockin.profiles;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where avatars live: objects {@code avatars/{profile_id}/{random}.{ext}}
 * of the bucket {@code S3_BUCKET_NAME}, read at
 * {@code LOCKIN_AVATAR_BASE_URL} (default: the bucket's S3 address). A
 * profile may only point at an avatar under its own key prefix.
 */
@ApplicationScoped
public class AvatarLocations {

    private final Optional<String> baseUrl;

    @Inject
    public AvatarLocations(
            @ConfigProperty(name = "S3_BUCKET_NAME") Optional<String> bucket,
            @ConfigProperty(name = "AWS_REGION", defaultValue = "us-east-1") String region,
            @ConfigProperty(name = "LOCKIN_AVATAR_BASE_URL") Optional<String> baseUrl) {
        this.baseUrl = baseUrl.or(() -> bucket.map(b -> "https://" + b + ".s3." + region + ".amazonaws.com/"))
                .map(u -> u.endsWith("/") ? u : u + "/");
    }

    protected AvatarLocations() {
        this.baseUrl = Optional.empty();
    }

    public boolean configured() {
        return baseUrl.isPresent();
    }

    /** True when the URL names an avatar object under the profile's own prefix. */
    public boolean belongsTo(UUID profileId, String url) {
        return baseUrl.map(base -> Pattern.compile(Pattern.quote(base + "avatars/" + profileId + "/")
                        + "[A-Za-z0-9-]{8,64}\\.(jpg|png|webp)").matcher(url).matches())
                .orElse(false);
    }
}
