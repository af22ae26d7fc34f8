package app.lockin.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import jakarta.ejb.EJBException;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.Response;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import app.lockin.database.ConstraintTexts;
import app.lockin.rules.Conflict;
import app.lockin.rules.Forbidden;
import app.lockin.rules.Invalid;
import app.lockin.rules.NotFound;
import app.lockin.rules.Unavailable;

class ProblemMapperTest {

    /** The schema's comments as ConstraintTexts reads them at start: one check, one unique constraint. */
    private static final ConstraintTexts TEXTS = new ConstraintTexts() {
        @Override
        public Optional<String> of(String constraint) {
            return constraint == null ? Optional.empty() : Optional.ofNullable(Map.of(
                    "groups_name_length", "name: must have 1 to 100 characters after trimming",
                    "group_members_group_user_key", "This person is already a member of the group.").get(constraint));
        }
    };

    private final ProblemMapper mapper = new ProblemMapper(new RefusedValues(TEXTS));

    private Problem problem(Throwable thrown) {
        Response response = mapper.toResponse(thrown);
        assertThat(response.getMediaType().toString()).isEqualTo("application/problem+json");
        return (Problem) response.getEntity();
    }

    /** A PostgreSQL error as the server sends it (fields S, C, M, D, ...). */
    private static PSQLException postgres(String sqlState, String message) {
        return new PSQLException(new ServerErrorMessage("SERROR\0VERROR\0C" + sqlState + "\0M" + message
                + "\0WPL/pgSQL function secret_function() line 7 at RAISE\0"));
    }

    @Test
    void domainExceptionsKeepTheirMessage() {
        assertThat(problem(new NotFound("group not found")).status()).isEqualTo(404);
        assertThat(problem(new Forbidden("only the owner")).status()).isEqualTo(403);
        Problem conflict = problem(new EJBException(new Conflict("the session is already ended")));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.detail()).isEqualTo("the session is already ended");
        Problem invalid = problem(new Invalid("display_name", "must not be blank"));
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.errors()).singleElement().satisfies(e -> assertThat(e.field()).isEqualTo("display_name"));
    }

    @Test
    void databaseRulesBecomeAnswersWithoutSqlDetails() {
        Problem archived = problem(new EJBException(new PersistenceException(postgres("LI409", "group 1 is archived"))));
        assertThat(archived.status()).isEqualTo(409);
        assertThat(archived.detail()).isEqualTo("group 1 is archived").doesNotContain("PL/pgSQL");
        assertThat(problem(postgres("LI404", "group not found")).status()).isEqualTo(404);
        assertThat(problem(postgres("LI422", "a time log cannot end in the future")).status()).isEqualTo(422);
        assertThat(problem(postgres("23P01", "conflicting key value violates exclusion constraint")).status()).isEqualTo(409);
        assertThat(problem(postgres("23505", "duplicate key value violates unique constraint \"x\"")).detail()).doesNotContain("constraint");
    }

    /** A PostgreSQL constraint violation naming its constraint (field n). */
    private static PSQLException violation(String sqlState, String constraint) {
        return new PSQLException(new ServerErrorMessage("SERROR\0VERROR\0C" + sqlState + "\0Mnew row violates constraint \""
                + constraint + "\"\0n" + constraint + "\0"));
    }

    @Test
    void constraintsAreRefusedInTheSchemasWords() {
        Problem invalid = problem(new PersistenceException(violation("23514", "groups_name_length")));
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("name");
            assertThat(e.message()).isEqualTo("must have 1 to 100 characters after trimming");
        });
        assertThat(problem(violation("23514", "some_check")).errors()).singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo("is out of the allowed range"));
        Problem duplicate = problem(violation("23505", "group_members_group_user_key"));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.detail()).isEqualTo("This person is already a member of the group.");
        assertThat(problem(violation("23505", "unknown_key")).detail()).isEqualTo("This already exists.");
        assertThat(problem(postgres("LI410", "The group is archived: it takes no new members.")).status()).isEqualTo(410);
    }

    @Test
    void anUnreachableDatabaseIs503() {
        assertThat(problem(new PersistenceException(new SQLException("Connection refused", "08001"))).status()).isEqualTo(503);
        assertThat(problem(new SQLException("Error in allocating a connection")).status()).isEqualTo(503);
    }

    @Test
    void anUnavailableFeatureIs503WithItsReason() {
        Problem problem = problem(new EJBException(new Unavailable("avatar uploads are not configured")));
        assertThat(problem.status()).isEqualTo(503);
        assertThat(problem.title()).isEqualTo("Service Unavailable");
        assertThat(problem.detail()).isEqualTo("avatar uploads are not configured");
    }

    @Test
    void anythingElseIs500WithoutDetails() {
        Problem problem = problem(new IllegalStateException("secret internals at /opt/lockin"));
        assertThat(problem.status()).isEqualTo(500);
        assertThat(problem.detail()).doesNotContain("secret", "/opt");
    }

    @Test
    void javaNamesBecomeWireNames() {
        assertThat(SnakeCase.of("displayName")).isEqualTo("display_name");
        assertThat(SnakeCase.of("periodTargetMinutes")).isEqualTo("period_target_minutes");
        assertThat(SnakeCase.of("name")).isEqualTo("name");
    }
}
