package app.lockin.database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;

/**
 * How the database's refusals read to a client, as the schema says it: the
 * comments of its constraints and unique indexes (db/migration/V1__schema.sql),
 * read once the migrations have run. A check constraint's comment is
 * {@code "<field>: <what the value must be>"}, a unique constraint's or
 * index's what a duplicate means. The wording of a rule thus stands beside
 * the rule, and changes with it, in one migration.
 */
@Singleton
@Startup
@DependsOn("Migrations")
@TransactionManagement(TransactionManagementType.BEAN)
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)   // read-only after start
public class ConstraintTexts {

    private static final String COMMENTS = """
            select c.conname, d.description
              from pg_constraint c
              join pg_description d on d.objoid = c.oid and d.classoid = 'pg_constraint'::regclass
             where c.connamespace = current_schema()::regnamespace
            union all
            select i.relname, d.description
              from pg_class i
              join pg_description d on d.objoid = i.oid and d.classoid = 'pg_class'::regclass and d.objsubid = 0
             where i.relkind = 'i' and i.relnamespace = current_schema()::regnamespace
            """;

    @Resource(lookup = Migrations.DATA_SOURCE)
    DataSource dataSource;

    private Map<String, String> byName = Map.of();

    @PostConstruct
    void read() {
        Map<String, String> comments = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(COMMENTS)) {
            while (rows.next()) {
                comments.put(rows.getString("conname"), rows.getString("description"));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the schema's constraint comments: " + e.getMessage(), e);
        }
        byName = Map.copyOf(comments);
    }

    /** The comment of the constraint or unique index of this name, if it has one. */
    public Optional<String> of(String constraint) {
        return constraint == null ? Optional.empty() : Optional.ofNullable(byName.get(constraint));
    }
}
