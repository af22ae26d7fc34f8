package app.lockin.rest;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import app.lockin.database.OutputFailed;

/**
 * Exports: files (Content-Disposition attachment) written while their rows
 * are read from the database, so that an instance's memory stays flat
 * whatever their size. Everything that can be refused (token, limits, query
 * parameters) is checked before the answer is made; the body then runs in
 * the writing of the answer. A failure before its first byte is written (the
 * database out of reach) still becomes a problem; after it, the answer's
 * status and first bytes may be on their way, so the connection is cut
 * ({@link Connections}): the client sees a broken transfer, never a short
 * file that ends like a whole one.
 */
public final class Attachments {

    private Attachments() {
    }

    /** Writes a file into the answer's stream, as its rows are read. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes one row out. */
    @FunctionalInterface
    public interface RowWrite {
        void run() throws IOException;
    }

    /** A 200 answer of the type, whose body the file is; {@code request} is the one answered. */
    public static Response streamed(HttpServletRequest request, String type, String filename, Body body) {
        StreamingOutput output = out -> {
            Written written = new Written(out);
            try {
                body.writeTo(written);
            } catch (OutputFailed e) {
                // the client went away while the rows were read: nothing left to tell it
                throw e.getCause();
            } catch (IOException | RuntimeException e) {
                if (written.any) {
                    Connections.cut(request);
                }
                throw e;
            }
        };
        return Response.ok(output, type)
                .header("Content-Disposition", "attachment; filename=\"" + filename + "\"")
                .build();
    }

    /** The answer's stream, noting whether anything was written into it. */
    private static final class Written extends FilterOutputStream {

        private boolean any;

        Written(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            any = true;
            out.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            any = any || length > 0;
            out.write(bytes, offset, length);
        }
    }

    /**
     * Writes a row inside a read (a callback of an EJB reading the rows): a
     * failure to write stops the read as {@link OutputFailed}.
     */
    public static void row(RowWrite write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new OutputFailed(e);
        }
    }
}
