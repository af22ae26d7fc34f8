package app.lockin.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import app.lockin.dev.EmbeddedDatabase;

/**
 * The test run's PostgreSQL: real binaries (lockin-dev's EmbeddedDatabase) on the
 * port the build reserved, started by the first test that needs it and stopped
 * when the JVM ends, with its streaming replica ({@link TestReplica}), from
 * which the server reads. The server's database is {@value EmbeddedDatabase#DATABASE};
 * the SQL-only tests make databases of their own beside it.
 */
public final class TestDatabase {

    private static EmbeddedDatabase postgres;

    private TestDatabase() {
    }

    public static synchronized void start() throws IOException {
        if (postgres != null) {
            return;
        }
        Path work = work();
        Path data = Files.createTempDirectory(work, "pgdata-");
        postgres = EmbeddedDatabase.start(data, Integer.getInteger("lockin.it.db.port"));
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::stop, "test-database-stop"));
        if (Integer.getInteger("lockin.it.db.replica.port") != null) {
            TestReplica.start(postgres, data);
        }
    }

    private static void stop() {
        try {
            postgres.close();
        } catch (IOException e) {
            System.err.println("could not stop the embedded PostgreSQL: " + e.getMessage());
        }
    }

    /** Where the run keeps its files (target/it). */
    static Path work() throws IOException {
        Path work = Path.of(System.getProperty("lockin.it.work", "target/it"));
        Files.createDirectories(work);
        return work;
    }

    /** A JDBC URL of a database of this PostgreSQL, as its superuser. */
    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + postgres.port() + "/" + database + "?user=postgres";
    }
}
