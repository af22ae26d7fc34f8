package app.lockin.database;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.PersistenceException;

/**
 * The primary's side of {@link Reads#snapshot}: the work in a transaction of
 * its own, read only at repeatable read, on a connection of the application's
 * data source (enlisted in that transaction, so not in auto-commit: what a
 * cursor needs).
 */
@Stateless
public class PrimarySnapshots {

    @Resource(lookup = Migrations.DATA_SOURCE)
    DataSource primary;

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void read(Reading work) {
        try (Connection connection = primary.getConnection()) {
            Reads.readOnlySnapshot(connection);
            work.read(connection);
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }
}
