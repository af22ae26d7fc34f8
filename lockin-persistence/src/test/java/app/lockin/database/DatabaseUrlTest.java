package app.lockin.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
