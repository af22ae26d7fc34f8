package app.lockin.idempotency;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.transaction.HeuristicMixedException;
import jakarta.transaction.HeuristicRollbackException;
import jakarta.transaction.NotSupportedException;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.UserTransaction;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;

import app.lockin.live.ReadYourWrites;
import app.lockin.rest.Problem;
import app.lockin.rules.FieldError;
import app.lockin.rules.Unavailable;
import app.lockin.security.CallerToken;

/**
 * {@code Idempotency-Key} on every POST, one mechanism for all of them: a
 * retry after a lost answer gets the first answer again (same status, body
 * and Location, with {@code Idempotency-Replayed: true}) and the work is
 * done once. The key is the caller's (1..255 visible ASCII characters) and
 * lives 24 hours in PostgreSQL ({@link IdempotencyKeys}); the same key with
 * another method, path or body answers 422.
 *
 * <p>A request with a key runs in one transaction, begun here: the claim of
 * the key, the resource's work (the EJBs join it) and the answer, kept
 * before the commit and sent after it. So the answer is kept exactly when
 * the work commits; a 5xx rolls both back and frees the key for the retry;
 * a 4xx whose work rolled back keeps its answer in a transaction of its own.
 * A repeat that arrives while the first is still running waits on the
 * database's lock of the claimed key, up to {@link #WAIT}, then gets the
 * first answer (or does the work, if the first rolled back), or 409.
 */
@Provider
@Priority(Priorities.USER)
public class IdempotentRetries implements ContainerRequestFilter, ContainerResponseFilter, WriterInterceptor {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED = "Idempotency-Replayed";

    /** How long a repeat waits for the first request to end. */
    static final Duration WAIT = Duration.ofSeconds(5);

    private static final Pattern KEY = Pattern.compile("[!-~]{1,255}");
    private static final String PENDING = IdempotentRetries.class.getName() + ".pending";
    private static final Logger LOG = Logger.getLogger(IdempotentRetries.class.getName());

    @Inject
    IdempotencyKeys keys;

    @Inject
    UserTransaction transaction;

    @Inject
    ReadYourWrites readYourWrites;

    /** A request that claimed its key in the transaction it runs in, and its answer once made. */
    private record Pending(UUID caller, String key, byte[] requestHash, int status, String contentType, String location) {

        Pending(UUID caller, String key, byte[] requestHash) {
            this(caller, key, requestHash, 0, null, null);
        }

        Pending answered(ContainerResponseContext response) {
            return new Pending(caller, key, requestHash, response.getStatus(),
                    response.getMediaType() == null ? null : response.getMediaType().toString(),
                    response.getHeaderString(HttpHeaders.LOCATION));
        }

        IdempotencyKeys.Answer answer(byte[] body) {
            return new IdempotencyKeys.Answer(status, contentType, location, body);
        }
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        String key = request.getHeaderString(HEADER);
        if (key == null || !"POST".equals(request.getMethod())) {
            return;
        }
        if (!KEY.matcher(key).matches()) {
            request.abortWith(Problem.of(Response.Status.BAD_REQUEST,
                    "The Idempotency-Key header must be 1 to 255 visible ASCII characters.").toResponse().build());
            return;
        }
        // at most 1 MiB: rest.BodyLimit ends the request past it
        byte[] body = request.hasEntity() ? request.getEntityStream().readAllBytes() : new byte[0];
        request.setEntityStream(new ByteArrayInputStream(body));
        Pending pending = new Pending(CallerToken.profileOf(request.getSecurityContext()), key, hash(request, body));
        begin();
        IdempotencyKeys.Claim claim;
        try {
            claim = keys.claim(pending.caller(), key, pending.requestHash(), WAIT);
        } catch (RuntimeException e) {
            rollback();
            throw e;
        }
        if (claim.outcome() == IdempotencyKeys.Outcome.CLAIMED) {
            request.setProperty(PENDING, pending);
            return;
        }
        rollback();
        request.abortWith(switch (claim.outcome()) {
            case MISMATCH -> Problem.invalid(List.of(new FieldError(HEADER,
                    "was used for another request in the last 24 hours: a new request needs a new key"))).toResponse().build();
            case IN_PROGRESS -> Problem.of(Response.Status.CONFLICT,
                    "The first request with this Idempotency-Key is still in progress: try again shortly.")
                    .toResponse().build();
            default -> replay(claim);
        });
    }

    private static Response replay(IdempotencyKeys.Claim claim) {
        Response.ResponseBuilder answer = Response.status(claim.status()).header(REPLAYED, "true");
        if (claim.body() != null && claim.body().length > 0) {
            answer.entity(claim.body()).type(claim.contentType());
        }
        if (claim.location() != null) {
            answer.header(HttpHeaders.LOCATION, claim.location());
        }
        return answer.build();
    }

    /** Whether the request's transaction commits only as its answer is written (an answer with a body, to a request with a key). */
    public static boolean commitsLater(ContainerRequestContext request) {
        return request.getProperty(PENDING) instanceof Pending;
    }

    /** Ends the transaction of an answer without a body here; one with a body ends as it is written. */
    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(PENDING) instanceof Pending pending)) {
            return;
        }
        if (response.getStatus() >= 500) {
            request.removeProperty(PENDING);
            rollback();
        } else if (response.hasEntity()) {
            request.setProperty(PENDING, pending.answered(response));
        } else {
            request.removeProperty(PENDING);
            keepAndCommit(pending, pending.answered(response).answer(null));
        }   // then ReadYourWrites, a later response filter, stamps the answer
    }

    /**
     * Writes the answer into memory, keeps it and commits, and only then
     * sends it: a client never sees an answer whose work did not commit. A
     * failure to keep or commit is thrown before anything is sent, so it
     * becomes the answer (a problem) instead.
     */
    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        if (!(context.getProperty(PENDING) instanceof Pending pending)) {
            context.proceed();
            return;
        }
        context.removeProperty(PENDING);
        OutputStream client = context.getOutputStream();
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        context.setOutputStream(written);
        try {
            context.proceed();
        } catch (IOException | RuntimeException e) {
            rollback();
            throw e;
        }
        keepAndCommit(pending, pending.answer(written.toByteArray()));
        if (pending.status() < 300) {
            readYourWrites.committed(pending.caller(), context.getHeaders());
        }
        context.setOutputStream(client);
        client.write(written.toByteArray());
    }

    /**
     * Keeps the answer with the work and commits both; when the work already
     * rolled back (a 4xx), keeps the answer in a transaction of its own. A
     * commit that fails after the work's own checks passed is the database
     * out of reach: nothing was kept, so the client may safely retry (503).
     */
    private void keepAndCommit(Pending pending, IdempotencyKeys.Answer answer) {
        try {
            if (transaction.getStatus() != Status.STATUS_ACTIVE) {
                rollback();
                begin();
            }
            keys.keep(pending.caller(), pending.key(), pending.requestHash(), answer);
            transaction.commit();
        } catch (RuntimeException e) {
            rollback();
            throw e;
        } catch (RollbackException | HeuristicMixedException | HeuristicRollbackException | SystemException e) {
            rollback();
            LOG.log(Level.WARNING, "The transaction of an idempotent request did not commit", e);
            throw new Unavailable("Your change could not be saved just now. Please try again.");
        }
    }

    private void begin() {
        try {
            transaction.begin();
        } catch (NotSupportedException | SystemException e) {
            throw new IllegalStateException("No transaction for an idempotent request", e);
        }
    }

    /** Rolls back the request's transaction, if it still has one. */
    private void rollback() {
        try {
            if (transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
                transaction.rollback();
            }
        } catch (SystemException | IllegalStateException e) {
            throw new IllegalStateException("The transaction of an idempotent request did not roll back", e);
        }
    }

    /** The body, or null when it is larger than any API request may be. */
    /** What makes two requests the same: method, path with query, body. */
    private static byte[] hash(ContainerRequestContext request, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String target = request.getMethod() + " " + request.getUriInfo().getRequestUri().getRawPath()
                    + "?" + request.getUriInfo().getRequestUri().getRawQuery() + "\n";
            sha.update(target.getBytes(StandardCharsets.UTF_8));
            sha.update(body);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
