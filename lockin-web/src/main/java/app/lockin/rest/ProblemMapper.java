package app.lockin.rest;

import java.io.StringReader;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.ejb.EJBException;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.bind.JsonbException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import app.lockin.limits.TooManyRequests;
import app.lockin.rules.Conflict;
import app.lockin.rules.FieldError;
import app.lockin.rules.Forbidden;
import app.lockin.rules.Gone;
import app.lockin.rules.Invalid;
import app.lockin.rules.NotFound;
import app.lockin.rules.Unavailable;

/**
 * The one place where failures become answers: every exception that leaves
 * a resource is turned into {@code application/problem+json} here. Domain
 * exceptions and the database's own rules (SQLSTATE class {@code LI}, and
 * constraint violations) keep their message; anything unexpected is logged
 * and answered 500 without details, so no stack trace or SQL reaches a client.
 */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class.getName());
    private static final JsonReaderFactory JSON = Json.createReaderFactory(java.util.Map.of());

    @Inject
    RefusedValues refused;

    public ProblemMapper() {
    }

    /** With the schema's wording given (unit tests). */
    ProblemMapper(RefusedValues refused) {
        this.refused = refused;
    }

    @Override
    public Response toResponse(Throwable thrown) {
        Throwable failure = unwrap(thrown);
        if (failure instanceof WebApplicationException web) {
            return fromWebApplication(web);
        }
        if (failure instanceof TooManyRequests tooMany) {
            return Problem.of(Response.Status.TOO_MANY_REQUESTS, tooMany.getMessage()).toResponse()
                    .header(HttpHeaders.RETRY_AFTER, tooMany.retryAfterSeconds())
                    .build();
        }
        Problem problem = problemFor(failure);
        if (problem == null) {
            LOG.log(Level.SEVERE, thrown, () -> "Unexpected failure (request " + RequestLog.currentId() + ")");
            problem = Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "Something went wrong on our side. Please try again.");
        }
        return problem.toResponse().build();
    }

    private Problem problemFor(Throwable failure) {
        if (failure instanceof Invalid invalid) {
            return Problem.invalid(invalid.errors());
        }
        if (failure instanceof ConstraintViolationException violations) {
            return Problem.invalid(fieldErrors(violations));
        }
        if (failure instanceof NotFound) {
            return Problem.of(Response.Status.NOT_FOUND, failure.getMessage());
        }
        if (failure instanceof Forbidden) {
            return Problem.of(Response.Status.FORBIDDEN, failure.getMessage());
        }
        if (failure instanceof Conflict) {
            return Problem.of(Response.Status.CONFLICT, failure.getMessage());
        }
        if (failure instanceof Gone) {
            return Problem.of(Response.Status.GONE, failure.getMessage());
        }
        if (failure instanceof Unavailable) {
            return Problem.of(Response.Status.SERVICE_UNAVAILABLE, failure.getMessage());
        }
        if (causedBy(failure, BodyLimit.TooLarge.class)) {
            return BodyLimit.tooLarge();
        }
        if (failure instanceof JsonException || failure instanceof JsonbException) {
            return Problem.of(Response.Status.BAD_REQUEST, "The request body is not valid JSON.");
        }
        SQLException sql = find(failure, SQLException.class);
        if (sql != null) {
            return fromDatabase(sql);
        }
        return null;
    }

    /** The database's answers: its own rules (class LI), constraint violations, and being unreachable. */
    private Problem fromDatabase(SQLException sql) {
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        String message = serverMessage(sql);
        return switch (state) {
            case "LI404" -> Problem.of(Response.Status.NOT_FOUND, message);
            case "LI409" -> withDetails(Problem.of(Response.Status.CONFLICT, message), sql);
            case "LI410" -> Problem.of(Response.Status.GONE, message);
            case "LI422" -> Problem.invalid(List.of(new FieldError(columnOf(sql, "body"), message)));
            case "23505" -> Problem.of(Response.Status.CONFLICT, refused.duplicate(constraintOf(sql)));
            case "23P01" -> Problem.of(Response.Status.CONFLICT, "time_logs_no_overlap".equals(constraintOf(sql))
                    ? "This time overlaps another time log of yours."
                    : "This overlaps something that already exists.");
            case "23514" -> Problem.invalid(List.of(refused.value(constraintOf(sql), columnOf(sql, "body"))));
            default -> {
                if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57") || state.isEmpty()) {
                    LOG.log(Level.WARNING, "Database unavailable (request {0}): {1}",
                            new Object[] {RequestLog.currentId(), sql.getMessage()});
                    yield Problem.of(Response.Status.SERVICE_UNAVAILABLE,
                            "The service is temporarily unavailable. Please try again shortly.");
                }
                yield null;
            }
        };
    }

    /**
     * A rule of the database may add machine-readable members to its problem as
     * a JSON object in the error's DETAIL ({@code {"running_session_id": "..."}},
     * {@code {"owned_groups": ["..."]}}).
     */
    private static Problem withDetails(Problem problem, SQLException sql) {
        if (!(sql instanceof PSQLException psql) || psql.getServerErrorMessage() == null) {
            return problem;
        }
        String detail = psql.getServerErrorMessage().getDetail();
        if (detail == null || !detail.startsWith("{")) {
            return problem;
        }
        try (JsonReader reader = JSON.createReader(new StringReader(detail))) {
            JsonObject members = reader.readObject();
            if (members.get("owned_groups") instanceof JsonArray owned) {
                return problem.withOwnedGroups(owned.getValuesAs(JsonString.class).stream()
                        .map(id -> UUID.fromString(id.getString())).toList());
            }
            String running = members.getString("running_session_id", null);
            return running == null ? problem : problem.withRunningSession(UUID.fromString(running));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Unreadable details of a database error: {0}", detail);
            return problem;
        }
    }

    private static String serverMessage(SQLException sql) {
        if (sql instanceof PSQLException psql && psql.getServerErrorMessage() != null
                && psql.getServerErrorMessage().getMessage() != null) {
            return psql.getServerErrorMessage().getMessage();
        }
        return "The request conflicts with the data.";
    }

    private static String constraintOf(SQLException sql) {
        return sql instanceof PSQLException psql && psql.getServerErrorMessage() != null
                ? psql.getServerErrorMessage().getConstraint() : null;
    }

    private static String columnOf(SQLException sql, String fallback) {
        if (sql instanceof PSQLException psql) {
            ServerErrorMessage server = psql.getServerErrorMessage();
            if (server != null && server.getColumn() != null) {
                return server.getColumn();
            }
        }
        return fallback;
    }

    private static Response fromWebApplication(WebApplicationException web) {
        Response original = web.getResponse();
        Response.StatusType status = original.getStatusInfo();
        String detail = switch (status.getStatusCode()) {
            case 400 -> find(web, JsonException.class) != null || find(web, JsonbException.class) != null
                    ? "The request body is not valid JSON."
                    : safeMessage(web, "The request is malformed.");
            case 403 -> "Your account does not have the role this operation needs.";
            case 404 -> web instanceof NotFoundException ? "There is no such resource." : safeMessage(web, "Not found.");
            case 405 -> "This resource does not support that method.";
            case 406 -> "This resource answers application/json only.";
            case 413 -> "The request body is too large.";
            case 415 -> "Send the request body as application/json.";
            default -> status.getReasonPhrase();
        };
        Response.ResponseBuilder answer = Problem.of(status, detail).toResponse();
        if (web instanceof NotAllowedException) {
            answer.allow(original.getAllowedMethods());
        }
        String authenticate = original.getHeaderString(HttpHeaders.WWW_AUTHENTICATE);
        if (authenticate != null) {
            answer.header(HttpHeaders.WWW_AUTHENTICATE, authenticate);
        }
        return answer.build();
    }

    /** A WebApplicationException's own message, unless it is the generic "HTTP 400 Bad Request" or comes from a library. */
    private static String safeMessage(WebApplicationException web, String fallback) {
        String message = web.getMessage();
        return message == null || message.startsWith("HTTP ") || web.getCause() != null ? fallback : message;
    }

    static List<FieldError> fieldErrors(ConstraintViolationException violations) {
        return fieldErrors(violations.getConstraintViolations());
    }

    /** Bean Validation's violations, each named by its field as spelled on the wire. */
    public static List<FieldError> fieldErrors(java.util.Set<? extends ConstraintViolation<?>> violations) {
        return violations.stream()
                .map(v -> new FieldError(fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(FieldError::field))
                .toList();
    }

    /** The properties' path, in snake_case, a nested record's field as {@code outer.inner} ({@code quiet_hours.from}). */
    private static String fieldName(ConstraintViolation<?> violation) {
        List<String> names = new ArrayList<>();
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getName() != null && node.getKind() == jakarta.validation.ElementKind.PROPERTY) {
                names.add(SnakeCase.of(node.getName()));
            }
        }
        return names.isEmpty() ? "body" : String.join(".", names);
    }

    /** The failure inside container wrappers (EJB, JAX-RS processing, JPA). */
    private static Throwable unwrap(Throwable thrown) {
        Throwable current = thrown;
        while (isWrapper(current) && causeOf(current) != null) {
            current = causeOf(current);
        }
        return current;
    }

    private static boolean isWrapper(Throwable t) {
        if (t instanceof WebApplicationException) {
            return false; // an answer already (Jersey's ParamException is one, with the parse failure as cause)
        }
        String type = t.getClass().getName();
        return t instanceof EJBException || t instanceof ProcessingException
                || type.startsWith("jakarta.persistence.") || type.startsWith("org.eclipse.persistence.")
                || type.startsWith("jakarta.transaction.") || type.startsWith("org.glassfish.jersey.");
    }

    private static Throwable causeOf(Throwable t) {
        Throwable cause = t instanceof EJBException ejb && ejb.getCausedByException() != null
                ? ejb.getCausedByException() : t.getCause();
        return cause == t ? null : cause;
    }

    /** Whether the failure is, or was caused by, one of this type. */
    static boolean causedBy(Throwable thrown, Class<? extends Throwable> type) {
        return find(thrown, type) != null;
    }

    private static <T extends Throwable> T find(Throwable thrown, Class<T> type) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t instanceof SQLException sql && sql.getNextException() != null && type.isInstance(sql.getNextException())) {
                return type.cast(sql.getNextException());
            }
        }
        return null;
    }

    /**
     * Takes validation failures away from the JAX-RS runtime's own mapper
     * (which answers an HTML 400) and through the same mapping as the rest.
     */
    @Provider
    public static class ForValidation implements ExceptionMapper<jakarta.validation.ValidationException> {

        private final ProblemMapper problems = new ProblemMapper();

        @Override
        public Response toResponse(jakarta.validation.ValidationException exception) {
            return problems.toResponse(exception);
        }
    }
}
