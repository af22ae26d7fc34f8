package app.lockin.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.adobe.testing.s3mock.S3MockApplication;
import com.nimbusds.jose.jwk.RSAKey;

import app.lockin.dev.DevKeys;
import app.lockin.dev.EmbeddedDatabase;
import app.lockin.dev.TokenMint;

/**
 * What the suite's server needs before it starts, made once per test run: a
 * real PostgreSQL on the port the build reserved (the server finds it through
 * DATABASE_URL, set by Failsafe), an S3 (Adobe's S3Mock, in this JVM) with the
 * avatar bucket on another reserved port (S3_ENDPOINT_URL), the push providers
 * (Pushy's MockApnsServer and the tests' FCM, each on a reserved port, with the
 * .p8 key and the service account's JSON the server's LOCKIN_APNS_* and
 * LOCKIN_FCM_* settings name), and the signing key
 * whose public half is the JWKS file named by LOCKIN_JWKS_LOCATION. Registered
 * before Arquillian by {@link LockinServer}, so it runs first.
 */
public final class TestEnvironment implements BeforeAllCallback {

    private static S3MockApplication s3;
    private static TestApns apns;
    private static TestFcm fcm;
    private static TokenMint mint;

    /** The server's database, for set-ups past the API and checks of what the API wrote. */
    private static final Sql SQL = new Sql(TestEnvironment::jdbcUrl);

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        start();
    }

    static synchronized void start() throws IOException {
        if (mint != null) {
            return;
        }
        TestDatabase.start();
        TestTls.get();
        s3 = startS3(Files.createTempDirectory(TestDatabase.work(), "s3-"));
        Runtime.getRuntime().addShutdownHook(new Thread(s3::stop, "s3-stop"));
        apns = TestApns.start(Integer.getInteger("lockin.it.apns.port"), work().resolve("apns.p8"));
        fcm = TestFcm.start(Integer.getInteger("lockin.it.fcm.port"), work().resolve("fcm-service-account.json"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            apns.close();
            fcm.close();
        }, "push-servers-stop"));

        RSAKey key = DevKeys.generate();
        DevKeys.writeJwks(jwks(), key);
        mint = new TokenMint(key, System.getProperty("lockin.it.issuer"), System.getProperty("lockin.it.client.id"));
    }

    /** S3Mock on the reserved port, plain HTTP (its HTTPS connector on any free port), with the avatar bucket. */
    private static S3MockApplication startS3(Path root) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(S3MockApplication.PROP_HTTP_PORT, Integer.getInteger("lockin.it.s3.port"));
        properties.put(S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT);
        properties.put(S3MockApplication.PROP_SILENT, true);
        properties.put("spring.main.log-startup-info", false);
        properties.put("com.adobe.testing.s3mock.store.root", root.toString());
        properties.put("com.adobe.testing.s3mock.store.region", System.getProperty("lockin.it.aws.region"));
        properties.put("com.adobe.testing.s3mock.store.initial-buckets", avatarBucket());
        return S3MockApplication.start(properties);
    }

    private static Path work() {
        return Path.of(System.getProperty("lockin.it.work", "target/it"));
    }

    /** The APNs the server pushes to (LOCKIN_APNS_*: Pushy's MockApnsServer). */
    public static TestApns apns() {
        return apns;
    }

    /** The FCM the server pushes to (LOCKIN_FCM_*: its token endpoint and messages:send). */
    public static TestFcm fcm() {
        return fcm;
    }

    /** The JWKS file the server reads its keys from. */
    public static Path jwks() {
        return Path.of(System.getProperty("lockin.it.jwks"));
    }

    public static TokenMint mint() {
        return mint;
    }

    public static String jdbcUrl() {
        return TestDatabase.jdbcUrl(EmbeddedDatabase.DATABASE);
    }

    public static Sql sql() {
        return SQL;
    }

    public static String baseUrl() {
        return "http://localhost:" + Integer.getInteger("lockin.it.http.port");
    }

    /** The S3 the server uploads avatars to (S3_ENDPOINT_URL). */
    public static String s3Url() {
        return "http://localhost:" + Integer.getInteger("lockin.it.s3.port");
    }

    public static String avatarBucket() {
        return System.getProperty("lockin.it.s3.bucket");
    }

    /** Where the server says avatars are read: the bucket under the endpoint, path-style. */
    public static String avatarBaseUrl() {
        return s3Url() + "/" + avatarBucket() + "/";
    }
}
