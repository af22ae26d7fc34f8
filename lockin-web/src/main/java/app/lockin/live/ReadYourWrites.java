package app.lockin.live;

import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import app.lockin.database.Lsn;
import app.lockin.database.Reads;
import app.lockin.database.Replicas;
import app.lockin.idempotency.IdempotentRetries;
import app.lockin.rest.Problem;
import app.lockin.security.CallerToken;

/**
 * Read-your-writes with replicas: a caller's reads show their own writes,
 * on any instance, although reads go to replicas that may lag.
 * <ul>
 * <li>With replicas ({@code DATABASE_READ_URL}), the successful answer of
 * every write (any method but GET, HEAD and OPTIONS) carries
 * {@value #HEADER}: the primary's log position after its commit.</li>
 * <li>A request that presents it (the client echoes the last one it got)
 * reads only where that position is visible ({@link ReadPositions}: a
 * replica that has replayed it, else the primary); so does every read of a
 * caller who wrote through this instance lately ({@link RecentWrites}).</li>
 * </ul>
 * A value that is not a position is 400. Without replicas the header is
 * neither sent nor needed (it is still checked, and otherwise ignored).
 */
@Provider
@ApplicationScoped   // a bean: IdempotentRetries tells it of the commits it makes
@Priority(Priorities.USER - 100)
public class ReadYourWrites implements ContainerRequestFilter, ContainerResponseFilter {

    public static final String HEADER = "LockIN-Read-After";

    private static final Logger LOG = Logger.getLogger(ReadYourWrites.class.getName());

    @Inject
    RecentWrites writes;

    @Inject
    Replicas replicas;

    @Inject
    Reads reads;

    /** A header that is not a position: 400 ({@link ReadPositions} set what the reads must show). */
    @Override
    public void filter(ContainerRequestContext request) {
        String presented = request.getHeaderString(HEADER);
        if (presented != null) {
            try {
                Lsn.parse(presented);
            } catch (IllegalArgumentException e) {
                request.abortWith(Problem.of(Response.Status.BAD_REQUEST, "The " + HEADER + " header is "
                        + e.getMessage() + ": send back the value of the last answer that carried it.")
                        .toResponse().build());
            }
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatusInfo().getFamily() == Response.Status.Family.SUCCESSFUL
                && !readOnly(request.getMethod())
                && request.getSecurityContext().getUserPrincipal() instanceof CallerToken caller
                && !IdempotentRetries.commitsLater(request)) {
            committed(caller.profileId(), response.getHeaders());
        }
    }

    /**
     * A write of the caller's has committed: its answer's headers get the
     * position after it. When the primary cannot tell it just then, the
     * answer goes without it (the write did commit: a 503 would be untrue).
     */
    public void committed(UUID caller, MultivaluedMap<String, Object> headers) {
        Lsn after = committed(caller);
        if (after != null) {
            headers.putSingle(HEADER, after.toString());
        }
    }

    /**
     * A write for the caller committed outside an answer of theirs (their
     * profile provisioned as their request was authenticated, with the
     * invites that waited for them): their reads through this instance show
     * it. The position, or null (no replicas, or the primary could not tell).
     */
    public Lsn committed(UUID caller) {
        if (!replicas.configured()) {
            return null;
        }
        Lsn after;
        try {
            after = reads.primaryPosition();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "A write committed, but the primary's log position could not be read after it: "
                    + "its answer goes without " + HEADER, e);
            return null;
        }
        writes.committed(caller, after);
        return after;
    }

    private static boolean readOnly(String method) {
        return "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method);
    }
}
