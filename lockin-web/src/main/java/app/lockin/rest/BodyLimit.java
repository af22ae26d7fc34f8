package app.lockin.rest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * The application's own limit on request bodies: at most {@link #LARGEST}
 * bytes, so an instance reached without nginx (which has the same limit) is
 * protected too. A declared {@code Content-Length} over it is refused at
 * once; a body of unknown length (chunked) is cut off when it passes it.
 * Either way 413 problem+json, and nothing of the request is done.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public class BodyLimit implements ContainerRequestFilter {

    /** 1 MiB. */
    public static final int LARGEST = 1 << 20;

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getLength() > LARGEST) {
            request.abortWith(tooLarge().toResponse().build());
        } else if (request.hasEntity()) {
            request.setEntityStream(new Limited(request.getEntityStream()));
        }
    }

    static Problem tooLarge() {
        return Problem.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "The request body is too large (at most 1 MiB).");
    }

    /** Reading past the limit. */
    public static final class TooLarge extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public TooLarge() {
            super("request body over " + LARGEST + " bytes", null, false, false);
        }
    }

    /** The body, throwing {@link TooLarge} once more than {@link #LARGEST} bytes have been read. */
    private static final class Limited extends FilterInputStream {

        private long read;

        Limited(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) {
            read += n;
            if (read > LARGEST) {
                throw new TooLarge();
            }
        }
    }
}
