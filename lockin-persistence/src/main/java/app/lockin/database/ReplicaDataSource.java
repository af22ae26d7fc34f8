package app.lockin.database;

import java.util.List;

/**
 * The DataSource of the read replicas, pooled as {@code java:app/jdbc/lockin-read}:
 * the PostgreSQL streaming replicas listed in {@code DATABASE_READ_URL}
 * (comma-separated), a new connection going to each in turn. Only reads
 * outside transactions use it ({@code Reads}); without the setting nothing
 * does, and the pool opens no connection.
 */
public class ReplicaDataSource extends ConfiguredDataSource {

    private static final long serialVersionUID = 1L;

    public static final String SETTING = "DATABASE_READ_URL";
    /** What its connections call themselves ({@code pg_stat_activity.application_name}). */
    public static final String APPLICATION_NAME = "lockin-read";

    @Override
    protected String setting() {
        return SETTING;
    }

    @Override
    protected List<DatabaseUrl> databases(String value) {
        return DatabaseUrl.list(SETTING, value);
    }

    @Override
    protected String applicationName() {
        return APPLICATION_NAME;
    }
}
