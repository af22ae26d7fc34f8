package app.lockin.profiles;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

import app.lockin.rules.Invalid;
import app.lockin.rules.Unavailable;

/**
 * Avatar uploads go from the app straight to S3: this hands out a presigned
 * PUT, valid five minutes, for a new key under the caller's own prefix
 * ({@link AvatarLocations}), signed with the declared content type and
 * length, so the upload can be neither another person's key, nor another
 * type, nor bigger. The presigner is built once (it only signs, it makes no
 * calls); credentials come from the default AWS chain (environment, the
 * EC2 instance role, ...), resolved when the first URL is signed.
 */
@ApplicationScoped
public class AvatarUploads {

    /** 5 MiB. */
    public static final long MAX_BYTES = 5L * 1024 * 1024;
    static final Duration VALIDITY = Duration.ofMinutes(5);

    private static final Logger LOG = Logger.getLogger(AvatarUploads.class.getName());

    private final AvatarLocations locations;
    private final AwsCredentialsProvider credentials;
    private final S3Presigner presigner;
    private final S3Client storage;

    @Inject
    public AvatarUploads(AvatarLocations locations) {
        this(locations, locations.configured() ? DefaultCredentialsProvider.builder().build() : null);
    }

    /** With given credentials (the tests'); {@code null} when {@code locations} has no bucket. */
    AvatarUploads(AvatarLocations locations, AwsCredentialsProvider credentials) {
        this.locations = locations;
        this.credentials = credentials;
        this.presigner = locations.configured() ? presigner(locations, credentials) : null;
        this.storage = locations.configured() ? storage(locations, credentials) : null;
    }

    /** For the CDI proxy only. */
    protected AvatarUploads() {
        this.locations = null;
        this.credentials = null;
        this.presigner = null;
        this.storage = null;
    }

    private static S3Presigner presigner(AvatarLocations locations, AwsCredentialsProvider credentials) {
        S3Presigner.Builder builder = S3Presigner.builder()
                .region(Region.of(locations.region()))
                .credentialsProvider(credentials);
        locations.endpoint().ifPresent(endpoint -> builder
                .endpointOverride(endpoint)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()));
        return builder.build();
    }

    /** The bucket's client for deletes: short timeouts, no retries beyond the SDK's default. */
    private static S3Client storage(AvatarLocations locations, AwsCredentialsProvider credentials) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(locations.region()))
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(10))
                        .build());
        locations.endpoint().ifPresent(endpoint -> builder.endpointOverride(endpoint).forcePathStyle(true));
        return builder.build();
    }

    /** A presigned upload of one avatar of the profile, {@code contentLength} bytes of {@code format}. */
    public AvatarUpload issue(UUID profileId, AvatarFormat format, long contentLength) {
        if (presigner == null) {
            throw new Unavailable("avatar uploads are not configured");
        }
        if (contentLength < 1 || contentLength > MAX_BYTES) {
            throw new Invalid("content_length", "must be from 1 to " + MAX_BYTES + " bytes");
        }
        String key = locations.newKey(profileId, format);
        PutObjectRequest put = PutObjectRequest.builder()
                .bucket(locations.bucket())
                .key(key)
                .contentType(format.mediaType())
                .contentLength(contentLength)
                .build();
        PresignedPutObjectRequest presigned;
        try {
            presigned = presigner.presignPutObject(request -> request.signatureDuration(VALIDITY).putObjectRequest(put));
        } catch (SdkClientException e) {
            // no credentials in the environment or from the instance role
            LOG.log(Level.WARNING, "Cannot sign avatar uploads: {0}", e.getMessage());
            throw new Unavailable("avatar uploads are not available right now");
        }
        return new AvatarUpload(URI.create(presigned.url().toString()), presigned.httpRequest().method().name(),
                headersToSend(presigned.signedHeaders()), key, locations.urlOf(key), presigned.expiration());
    }

    /**
     * Deletes every avatar object the profile ever uploaded (an erasure's:
     * {@code avatars/{profile_id}/}, the one in use and any it replaced or
     * never used), best effort: a failure is logged with the prefix (an
     * operator deletes what is left), never thrown.
     */
    public void deleteAllOf(UUID profileId) {
        if (storage == null) {
            return;
        }
        String prefix = locations.prefixOf(profileId);
        try {
            storage.listObjectsV2Paginator(list -> list.bucket(locations.bucket()).prefix(prefix))
                    .contents()
                    .forEach(object -> storage.deleteObject(delete -> delete.bucket(locations.bucket()).key(object.key())));
        } catch (SdkException e) {
            LOG.log(Level.WARNING, "The avatars {0} of an erased person could not all be deleted: {1}",
                    new Object[] {prefix, e.toString()});
        }
    }

    /** The signed headers the uploader must send (Host aside, which every HTTP client sets), as HTTP spells them. */
    static Map<String, String> headersToSend(Map<String, List<String>> signed) {
        return signed.entrySet().stream()
                .filter(header -> !header.getKey().equalsIgnoreCase("host"))
                .collect(Collectors.toMap(header -> httpName(header.getKey()), header -> String.join(",", header.getValue()),
                        (a, b) -> a, TreeMap::new));
    }

    /** {@code content-type} as {@code Content-Type}. */
    private static String httpName(String name) {
        return Stream.of(name.toLowerCase(Locale.ROOT).split("-", -1))
                .map(part -> part.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1))
                .collect(Collectors.joining("-"));
    }

    @PreDestroy
    void close() {
        if (presigner != null) {
            presigner.close();
        }
        if (storage != null) {
            storage.close();
        }
        if (credentials instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "closing the AWS credentials provider", e);
            }
        }
    }
}
