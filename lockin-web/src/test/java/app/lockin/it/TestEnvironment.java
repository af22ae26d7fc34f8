package app.lockin.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.nimbusds.jose.jwk.RSAKey;

import app.lockin.dev.DevKeys;
import app.lockin.dev.EmbeddedDatabase;
import app.lockin.dev.TokenMint;

/**
 * What the suite's server needs before it starts, made once per test run: a
 * real PostgreSQL on the port the build reserved (the server finds it through
 * DATABASE_URL, set by Failsafe), and the signing key whose public half is the
 * JWKS file named by LOCKIN_JWKS_LOCATION. Register it before Arquillian, so it
 * runs first.
 */
public final class TestEnvironment implements BeforeAllCallback {

    private static EmbeddedDatabase database;
    private static TokenMint mint;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        start();
    }

    static synchronized void start() throws IOException {
        if (database != null) {
            return;
        }
        Path work = Path.of(System.getProperty("lockin.it.work", "target/it"));
        Files.createDirectories(work);
        database = EmbeddedDatabase.start(Files.createTempDirectory(work, "pgdata-"), Integer.getInteger("lockin.it.db.port"));
        Runtime.getRuntime().addShutdownHook(new Thread(TestEnvironment::stop, "embedded-postgres-stop"));

        RSAKey key = DevKeys.generate();
        DevKeys.writeJwks(jwks(), key);
        mint = new TokenMint(key, System.getProperty("lockin.it.issuer"), System.getProperty("lockin.it.client.id"));
    }

    private static void stop() {
        try {
            database.close();
        } catch (IOException e) {
            System.err.println("could not stop the embedded PostgreSQL: " + e.getMessage());
        }
    }

    /** The JWKS file the server reads its keys from. */
    public static Path jwks() {
        return Path.of(System.getProperty("lockin.it.jwks"));
    }

    public static TokenMint mint() {
        return mint;
    }

    public static String jdbcUrl() {
        return database.jdbcUrl();
    }

    public static String baseUrl() {
        return "http://localhost:" + Integer.getInteger("lockin.it.http.port");
    }
}
