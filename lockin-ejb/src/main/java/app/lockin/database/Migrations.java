package app.lockin.database;

import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.annotation.sql.DataSourceDefinitions;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Defines the application's DataSources (the primary's, and the replicas' of
 * {@link ReplicaMonitor}) and brings the schema up to date
 * (the Flyway migrations of {@code db/}) before the application serves
 * anything: a deployment whose database cannot be migrated does not start.
 */
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
@DataSourceDefinitions({
        @DataSourceDefinition(
                name = Migrations.DATA_SOURCE,
                className = "app.lockin.database.ConfiguredDataSource",
                minPoolSize = 2,
                maxPoolSize = 32,
                maxIdleTime = 300,
                properties = {
                        Migrations.VALIDATED,
                        Migrations.VALIDATED_BY,
                        Migrations.VALIDATOR,
                        // validate each connection at most once every 30 s rather than on every
                        // checkout: a validation is a round trip ("SELECT 1") before the request's SQL
                        "fish.payara.validate-atmost-once-period-in-seconds=30",
                        Migrations.FAIL_ALL
                }),
        // the replicas (DATABASE_READ_URL): reads outside transactions only (Reads), so never
        // enlisted in one; no connection is opened until a read wants one
        @DataSourceDefinition(
                name = Migrations.READ_DATA_SOURCE,
                className = "app.lockin.database.ReplicaDataSource",
                transactional = false,
                minPoolSize = 0,
                maxPoolSize = 32,
                maxIdleTime = 300,
                properties = {
                        Migrations.VALIDATED,
                        Migrations.VALIDATED_BY,
                        Migrations.VALIDATOR,
                        // a replica restarts on its own: its pool finds its connections gone within
                        // 2 s (then all are dropped), and reads go to the primary meanwhile
                        "fish.payara.validate-atmost-once-period-in-seconds=2",
                        Migrations.FAIL_ALL
                })
})
public class Migrations {

    public static final String DATA_SOURCE = "java:app/jdbc/lockin";
    public static final String READ_DATA_SOURCE = "java:app/jdbc/lockin-read";

    private static final Logger LOG = Logger.getLogger(Migrations.class.getName());

    /** Both pools: connections validated (how often: each pool's own), by PostgreSQL's validation, all dropped when one fails. */
    static final String VALIDATED = "fish.payara.is-connection-validation-required=true";
    static final String VALIDATED_BY = "fish.payara.connection-validation-method=custom-validation";
    static final String VALIDATOR = "fish.payara.validation-classname=org.glassfish.api.jdbc.validation.PostgresConnectionValidation";
    static final String FAIL_ALL = "fish.payara.fail-all-connections=true";

    @Resource(lookup = DATA_SOURCE)
    DataSource dataSource;

    /**
     * Where the migrations run: {@code DATABASE_MIGRATION_URL} (a role that
     * owns the schema) when set, so that the application's own role
     * ({@code DATABASE_URL}) needs no right to change it; else the
     * application's data source (one role for both: development, tests).
     */
    @Inject
    @ConfigProperty(name = "DATABASE_MIGRATION_URL")
    Optional<String> migrationUrl;

    /** The application's role, granted what it needs after each migration run by another role (afterMigrate.sql). */
    @Inject
    @ConfigProperty(name = "LOCKIN_DB_APP_ROLE")
    Optional<String> appRole;

    @PostConstruct
    void migrate() {
        FluentConfiguration flyway = Flyway.configure(getClass().getClassLoader())
                .locations("classpath:db/migration")
                .baselineOnMigrate(false)
                .placeholders(Map.of("lockin_app_role", appRole.map(String::strip).orElse("")));
        Optional<DatabaseUrl> owner = migrationUrl.filter(url -> !url.isBlank()).map(DatabaseUrl::parse);
        if (owner.isPresent()) {
            flyway.dataSource(owner.get().jdbcUrl(), owner.get().user().orElse(null), owner.get().password().orElse(null));
            LOG.info(() -> "Migrating as the role of DATABASE_MIGRATION_URL"
                    + appRole.map(role -> "; granting the application's role " + role.strip() + " what it needs").orElse(""));
        } else {
            flyway.dataSource(dataSource);
        }
        MigrateResult result = flyway.load().migrate();
        LOG.info(() -> "Database schema at version " + (result.targetSchemaVersion == null
                ? result.initialSchemaVersion : result.targetSchemaVersion)
                + " (" + result.migrationsExecuted + " migrations applied now)");
    }
}
