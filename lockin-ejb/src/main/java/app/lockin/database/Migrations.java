package app.lockin.database;

import java.util.logging.Logger;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Defines the application's DataSource and brings the schema up to date
 * (the Flyway migrations of {@code db/}) before the application serves
 * anything: a deployment whose database cannot be migrated does not start.
 */
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
@DataSourceDefinition(
        name = Migrations.DATA_SOURCE,
        className = "app.lockin.database.ConfiguredDataSource",
        minPoolSize = 2,
        maxPoolSize = 32,
        maxIdleTime = 300,
        properties = {
                "fish.payara.is-connection-validation-required=true",
                "fish.payara.connection-validation-method=custom-validation",
                "fish.payara.validation-classname=org.glassfish.api.jdbc.validation.PostgresConnectionValidation",
                // validate each connection at most once every 30 s rather than on every
                // checkout: a validation is a round trip ("SELECT 1") before the request's SQL
                "fish.payara.validate-atmost-once-period-in-seconds=30",
                "fish.payara.fail-all-connections=true"
        })
public class Migrations {

    public static final String DATA_SOURCE = "java:app/jdbc/lockin";

    private static final Logger LOG = Logger.getLogger(Migrations.class.getName());

    @Resource(lookup = DATA_SOURCE)
    DataSource dataSource;

    @PostConstruct
    void migrate() {
        MigrateResult result = Flyway.configure(getClass().getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .baselineOnMigrate(false)
                .load()
                .migrate();
        LOG.info(() -> "Database schema at version " + (result.targetSchemaVersion == null
                ? result.initialSchemaVersion : result.targetSchemaVersion)
                + " (" + result.migrationsExecuted + " migrations applied now)");
    }
}
