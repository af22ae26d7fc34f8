package app.lockin.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

import app.lockin.dev.EmbeddedDatabase;

/**
 * A real streaming replica of the test run's PostgreSQL, on the port the
 * build reserved (the server reads from it through DATABASE_READ_URL, set by
 * Failsafe). The embedded binaries have no {@code pg_basebackup}, so the
 * base backup is the low-level one PostgreSQL documents (Continuous
 * Archiving, "Making a Base Backup Using the Low Level API"): a physical
 * replication slot keeps the WAL from the backup's start, the data folder is
 * copied between {@code pg_backup_start} and {@code pg_backup_stop} (named
 * {@code pg_start_backup}/{@code pg_stop_backup} before PostgreSQL 15) on one
 * connection, whose stop gives the {@code backup_label}; {@code standby.signal}
 * and {@code primary_conninfo} make the copy a hot standby that streams from
 * the primary through the slot, as {@code pg_basebackup -R} would.
 */
public final class TestReplica {

    static final String SLOT = "lockin_it_replica";

    /** What the copy leaves out: the server's own running files, and what it rebuilds or streams. */
    private static final Set<String> LEFT_OUT = Set.of("postmaster.pid", "postmaster.opts", "epg-lock", "backup_label",
            "tablespace_map");
    private static final Set<String> EMPTIED = Set.of("pg_wal", "pg_replslot", "pg_stat_tmp", "pg_dynshmem",
            "pg_notify", "pg_serial", "pg_snapshots", "pg_subtrans");

    private static EmbeddedDatabase replica;
    private static Path dataFolder;

    private TestReplica() {
    }

    /** Makes and starts the replica of the primary whose data folder and port are given (once per run). */
    static synchronized void start(Path primaryData, int primaryPort, int port) throws IOException {
        if (replica != null) {
            return;
        }
        Path data = Files.createTempDirectory(TestDatabase.work(), "pgdata-replica-");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + primaryPort + "/postgres?user=postgres");
             Statement s = c.createStatement()) {
            s.execute("select pg_create_physical_replication_slot('" + SLOT + "', true)");
            boolean v15 = c.getMetaData().getDatabaseMajorVersion() >= 15;
            s.execute(v15 ? "select pg_backup_start('lockin-it-replica', true)" : "select pg_start_backup('lockin-it-replica', true, false)");
            copy(primaryData, data);
            try (ResultSet stop = s.executeQuery(v15 ? "select labelfile from pg_backup_stop(true)"
                    : "select labelfile from pg_stop_backup(false, true)")) {
                stop.next();
                Files.writeString(data.resolve("backup_label"), stop.getString(1));
            }
        } catch (SQLException e) {
            throw new IOException("cannot make the replica's base backup: " + e.getMessage(), e);
        }
        Files.createFile(data.resolve("standby.signal"));
        Files.writeString(data.resolve("postgresql.auto.conf"), String.join("\n",
                "primary_conninfo = 'host=localhost port=" + primaryPort + " user=postgres application_name=" + SLOT + "'",
                "primary_slot_name = '" + SLOT + "'",
                // the replica tells the primary which rows its queries still read: vacuum keeps them
                // (a query is not cancelled by the primary's cleanup, as with RDS's default)
                "hot_standby_feedback = on",
                ""), StandardOpenOption.APPEND);
        dataFolder = data;
        replica = EmbeddedDatabase.start(data, port);
        Runtime.getRuntime().addShutdownHook(new Thread(TestReplica::stopQuietly, "test-replica-stop"));
    }

    /** The replica's port (the build reserved it). */
    public static int port() {
        return Integer.getInteger("lockin.it.db.replica.port");
    }

    /** Stops the replica (a fast shutdown); {@link #restart()} brings it back, a standby still. */
    public static synchronized void stop() throws IOException {
        if (replica != null) {
            replica.close();
            replica = null;
        }
    }

    /** Starts the stopped replica again on its data folder and port: it streams on from where it stopped. */
    public static synchronized void restart() throws IOException {
        if (replica == null) {
            replica = EmbeddedDatabase.start(dataFolder, port());
        }
    }

    /** A JDBC URL of the replica's copy of the server's database, as the superuser. */
    public static String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + EmbeddedDatabase.DATABASE + "?user=postgres";
    }

    private static void stopQuietly() {
        try {
            stop();
        } catch (IOException e) {
            System.err.println("could not stop the replica: " + e.getMessage());
        }
    }

    /** Copies the data folder as it is now (a file that goes while it is copied is left out: the WAL replays it). */
    private static void copy(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                String relative = from.relativize(dir).toString();
                Files.createDirectories(to.resolve(relative));
                if (EMPTIED.contains(relative)) {
                    if (relative.equals("pg_wal")) {
                        Files.createDirectories(to.resolve("pg_wal").resolve("archive_status"));
                    }
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                String relative = from.relativize(file).toString();
                if (!LEFT_OUT.contains(relative)) {
                    try {
                        Files.copy(file, to.resolve(relative), StandardCopyOption.COPY_ATTRIBUTES);
                    } catch (NoSuchFileException gone) {
                        // removed meanwhile (a temporary file): the WAL has what matters
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }

    /** Pauses (or resumes) the replica's replay of the primary's log: it stays where it is, still answering. */
    public static void replay(boolean running) {
        try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement s = c.createStatement()) {
            s.execute(running ? "select pg_wal_replay_resume()" : "select pg_wal_replay_pause()");
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
