package app.lockin.idempotency;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
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

import app.lockin.rest.Problem;
import app.lockin.rules.FieldError;
import app.lockin.security.Caller;

/**
 * {@code Idempotency-Key} on every POST, one mechanism for all of them: a
 * retry after a lost answer gets the first answer again (same status, body
 * and Location, with {@code Idempotency-Replayed: true}) and the work is
 * done once. The key is the caller's (1..255 visible ASCII characters) and
 * lives 24 hours in PostgreSQL ({@link IdempotencyKeys}). The same key with
 * another method, path or body answers 422. A repeat that arrives while the
 * first is still running waits up to {@link #WAIT} for its answer and then
 * answers 409. A first request that fails on the server's side (5xx) keeps
 * no answer: its key is free for the retry.
 */
@Provider
@Priority(Priorities.USER)
public class IdempotentRetries implements ContainerRequestFilter, ContainerResponseFilter, WriterInterceptor {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED = "Idempotency-Replayed";

    /** How long a repeat waits for the first request's answer. */
    static final Duration WAIT = Duration.ofSeconds(5);

    private static final Pattern KEY = Pattern.compile("[!-~]{1,255}");
    private static final int LARGEST_BODY = 1 << 20;
    private static final String PENDING = IdempotentRetries.class.getName() + ".pending";

    @Inject
    Caller caller;

    @Inject
    IdempotencyKeys keys;

    /** A request that holds its key until its answer is kept. */
    private static final class Pending {
        final UUID caller;
        final String key;
        int status;
        String contentType;
        String location;

        Pending(UUID caller, String key) {
            this.caller = caller;
            this.key = key;
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
        byte[] body = request.hasEntity() ? read(request.getEntityStream()) : new byte[0];
        if (body == null) {
            request.abortWith(Problem.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "The request body is too large.")
                    .toResponse().build());
            return;
        }
        request.setEntityStream(new ByteArrayInputStream(body));
        UUID profile = caller.profileId();
        IdempotencyKeys.Claim claim = awaitClaim(profile, key, hash(request, body));
        switch (claim.outcome()) {
            case CLAIMED -> request.setProperty(PENDING, new Pending(profile, key));
            case MISMATCH -> request.abortWith(Problem.invalid(List.of(new FieldError(HEADER,
                    "was used for another request in the last 24 hours: a new request needs a new key"))).toResponse().build());
            case IN_PROGRESS -> request.abortWith(Problem.of(Response.Status.CONFLICT,
                    "The first request with this Idempotency-Key is still in progress: try again shortly.")
                    .toResponse().build());
            case REPLAY -> request.abortWith(replay(claim));
        }
    }

    /** Claims the key; a repeat of a request in progress polls for its answer for up to {@link #WAIT}. */
    private IdempotencyKeys.Claim awaitClaim(UUID profile, String key, byte[] hash) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long pause = 10;
        while (true) {
            IdempotencyKeys.Claim claim = keys.claim(profile, key, hash);
            if (claim.outcome() != IdempotencyKeys.Outcome.IN_PROGRESS || System.nanoTime() > deadline) {
                return claim;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return claim;
            }
            pause = Math.min(pause * 2, 200);
        }
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

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(PENDING) instanceof Pending pending)) {
            return;
        }
        if (response.getStatus() >= 500) {
            request.removeProperty(PENDING);
            keys.release(pending.caller, pending.key);
            return;
        }
        pending.status = response.getStatus();
        pending.contentType = response.getMediaType() == null ? null : response.getMediaType().toString();
        pending.location = response.getHeaderString(HttpHeaders.LOCATION);
        if (!response.hasEntity()) {
            request.removeProperty(PENDING);
            keys.complete(pending.caller, pending.key, pending.status, null, pending.location, null);
        }
    }

    /** Keeps the bytes of the first answer as they are written. */
    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        if (!(context.getProperty(PENDING) instanceof Pending pending)) {
            context.proceed();
            return;
        }
        context.removeProperty(PENDING);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        OutputStream original = context.getOutputStream();
        context.setOutputStream(new FilterOutputStream(original) {
            @Override
            public void write(int b) throws IOException {
                original.write(b);
                copy.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                original.write(b, off, len);
                copy.write(b, off, len);
            }
        });
        boolean written = false;
        try {
            context.proceed();
            written = true;
        } finally {
            if (written) {
                keys.complete(pending.caller, pending.key, pending.status, pending.contentType, pending.location,
                        copy.toByteArray());
            } else {
                keys.release(pending.caller, pending.key);
            }
        }
    }

    /** The body, or null when it is larger than any API request may be. */
    private static byte[] read(InputStream in) throws IOException {
        byte[] body = in.readNBytes(LARGEST_BODY + 1);
        return body.length > LARGEST_BODY ? null : body;
    }

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
