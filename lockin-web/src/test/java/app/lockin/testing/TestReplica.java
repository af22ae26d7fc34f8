package app.lockin.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

import app.lockin.dev.EmbeddedDatabase;

/**
 * A real streaming replica of the test run's PostgreSQL on the port the build
 * reserved ({@link EmbeddedDatabase#replicaOf}: a base backup, then a hot
 * standby streaming from the primary); the server reads from it through
 * DATABASE_READ_URL, set by Failsafe. Tests may hold its replay behind, or
 * stop and restart it.
 */
public final class TestReplica {

    private static EmbeddedDatabase primary;
    private static Path primaryData;
    private static Path data;
    private static EmbeddedDatabase replica;

    private TestReplica() {
    }

    /** Makes and starts the replica of the run's database (once per run). */
    static synchronized void start(EmbeddedDatabase primaryDatabase, Path primaryDataFolder) throws IOException {
        if (data != null) {
            return;
        }
        primary = primaryDatabase;
        primaryData = primaryDataFolder;
        data = Files.createTempDirectory(TestDatabase.work(), "pgdata-replica-");
        restart();
        Runtime.getRuntime().addShutdownHook(new Thread(TestReplica::stopQuietly, "test-replica-stop"));
    }

    /** The replica's port (the build reserved it). */
    public static int port() {
        return Integer.getInteger("lockin.it.db.replica.port");
    }

    /** A JDBC URL of the replica's copy of the server's database, as the superuser. */
    public static String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + EmbeddedDatabase.DATABASE + "?user=postgres";
    }

    /** Stops the replica (a fast shutdown); {@link #restart()} brings it back, a standby still. */
    public static synchronized void stop() throws IOException {
        if (replica != null) {
            replica.close();
            replica = null;
        }
    }

    /** Starts the replica (again): it streams on from where it stopped. */
    public static synchronized void restart() throws IOException {
        if (replica == null) {
            replica = EmbeddedDatabase.replicaOf(primary, primaryData, data, port());
        }
    }

    /** Pauses (or resumes) the replica's replay of the primary's log: it stays where it is, still answering. */
    public static synchronized void replay(boolean running) throws SQLException {
        replica.replay(running);
    }

    private static void stopQuietly() {
        try {
            stop();
        } catch (IOException e) {
            System.err.println("could not stop the replica: " + e.getMessage());
        }
    }
}
