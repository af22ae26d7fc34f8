package app.lockin.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * For tests that need PostgreSQL and the schema, not the server: a database of
 * their own ({@value #DATABASE}) on the run's PostgreSQL, made new once per run
 * and migrated with Flyway from db/migration as the application migrates its
 * own at start-up (app.lockin.database.Migrations). No Payara, no timer: what
 * these tests see is the schema alone. A test takes it as an {@link Sql}
 * parameter (constructor or method).
 */
public final class MigratedDatabase implements BeforeAllCallback, ParameterResolver {

    static final String DATABASE = "lockin_schema";

    private static boolean migrated;

    private static final Sql SQL = new Sql(() -> TestDatabase.jdbcUrl(DATABASE));

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        migrate();
    }

    private static synchronized void migrate() throws Exception {
        if (migrated) {
            return;
        }
        TestDatabase.start();
        try (Connection c = DriverManager.getConnection(TestDatabase.jdbcUrl("postgres")); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + DATABASE);
            s.execute("create database " + DATABASE);
        }
        Flyway.configure(MigratedDatabase.class.getClassLoader())
                .dataSource(TestDatabase.jdbcUrl(DATABASE), "postgres", null)
                .locations("classpath:db/migration")
                .placeholders(java.util.Map.of("lockin_app_role", ""))   // one role (afterMigrate.sql)
                .load()
                .migrate();
        migrated = true;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Sql.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return SQL;
    }
}
