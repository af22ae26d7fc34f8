package app.lockin.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void seedFormBecomesJdbcUrlAndCredentials() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://lockin:s3cret@db.example.com:5432/lockin");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:5432/lockin");
        assertThat(url.user()).hasValue("lockin");
        assertThat(url.password()).hasValue("s3cret");
    }

    @Test
    void postgresSchemeQueryAndDefaultPortAreKept() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://app@rds.amazonaws.com/lockin?sslmode=require");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://rds.amazonaws.com/lockin?sslmode=require");
        assertThat(url.user()).hasValue("app");
        assertThat(url.password()).isEmpty();
    }

    @Test
    void percentEncodedCredentialsAreDecoded() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://us%40er:p%3Ass%2Fw+rd%40@localhost:6543/db");
        assertThat(url.user()).hasValue("us@er");
        assertThat(url.password()).hasValue("p:ss/w+rd@");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:6543/db");
    }

    @Test
    void ipv6HostsAreKept() {
        assertThat(DatabaseUrl.parse("postgresql://u:p@[::1]:5432/db").jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5432/db");
    }

    @Test
    void jdbcUrlsPassUnchanged() {
        DatabaseUrl url = DatabaseUrl.parse(" jdbc:postgresql://localhost:5432/lockin?user=x&password=y ");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/lockin?user=x&password=y");
        assertThat(url.user()).isEqualTo(Optional.empty());
    }

    @Test
    void toStringHidesCredentials() {
        assertThat(DatabaseUrl.parse("postgresql://u:secret@h/db").toString()).doesNotContain("secret");
        assertThat(DatabaseUrl.parse("jdbc:postgresql://h/db?password=secret").toString()).doesNotContain("secret");
    }

    @Test
    void otherValuesAreRefusedWithAReason() {
        assertThatThrownBy(() -> DatabaseUrl.parse(null)).hasMessageContaining("not set");
        assertThatThrownBy(() -> DatabaseUrl.parse("  ")).hasMessageContaining("not set");
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://u:p@h/db")).hasMessageContaining("postgresql://");
        assertThatThrownBy(() -> DatabaseUrl.parse("jdbc:mysql://h/db")).hasMessageContaining("postgresql://");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql:///db")).hasMessageContaining("host");
    }

    @Test
    void aRefusalNamesTheSettingItCameFrom() {
        assertThatThrownBy(() -> DatabaseUrl.parse("DATABASE_MIGRATION_URL", "mysql://h/db"))
                .hasMessageStartingWith("DATABASE_MIGRATION_URL must start with");
    }

    @Test
    void aListTakesCommasThatStartAnotherUrl() {
        List<DatabaseUrl> urls = DatabaseUrl.list("DATABASE_READ_URL",
                "postgresql://u:p%2Cq@replica-1:5432/lockin , postgres://u:p@replica-2/lockin?sslmode=require,"
                        + "jdbc:postgresql://replica-3:5433,replica-4:5433/lockin?targetServerType=any");
        assertThat(urls).extracting(DatabaseUrl::jdbcUrl).containsExactly(
                "jdbc:postgresql://replica-1:5432/lockin",
                "jdbc:postgresql://replica-2/lockin?sslmode=require",
                "jdbc:postgresql://replica-3:5433,replica-4:5433/lockin?targetServerType=any");
        assertThat(urls.get(0).password()).contains("p,q");
        assertThat(DatabaseUrl.list("DATABASE_READ_URL", "postgresql://h/db")).hasSize(1);
    }

    @Test
    void aMalformedListIsRefusedNamingTheUrlAtFault() {
        assertThatThrownBy(() -> DatabaseUrl.list("DATABASE_READ_URL", " ")).hasMessage("DATABASE_READ_URL is not set");
        assertThatThrownBy(() -> DatabaseUrl.list("DATABASE_READ_URL", "postgresql://a/db,mysql://b/db"))
                .hasMessageStartingWith("DATABASE_READ_URL's URL 2 of 2 must start with postgresql://");
        assertThatThrownBy(() -> DatabaseUrl.list("DATABASE_READ_URL", "jdbc:postgresql://a/db?user=x,mysql://b/db"))
                .as("a JDBC URL's query does not take in the next URL")
                .hasMessageStartingWith("DATABASE_READ_URL's URL 2 of 2 must start with postgresql://");
        assertThatThrownBy(() -> DatabaseUrl.list("DATABASE_READ_URL", "postgresql://a/db,postgresql:///db"))
                .hasMessageStartingWith("DATABASE_READ_URL's URL 2 of 2 names no host");
        assertThatThrownBy(() -> DatabaseUrl.list("DATABASE_READ_URL", ",postgresql://a/db"))
                .hasMessageStartingWith("DATABASE_READ_URL's URL 1 of 2 is not set");
        assertThatThrownBy(() -> DatabaseUrl.list("DATABASE_READ_URL", "postgresql://a/db,replica-2"))
                .hasMessageContaining("holds a comma that does not start another URL");
        assertThatThrownBy(() -> DatabaseUrl.list("DATABASE_READ_URL", "postgresql://u:p@a/db, postgresql://v:q@a/db"))
                .hasMessageContaining("listed twice");
    }
}
