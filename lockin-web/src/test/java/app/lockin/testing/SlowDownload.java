package app.lockin.testing;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A GET read at the test's pace, over a plain socket with a small receive
 * buffer: the test reads the first bytes of an answer, and the server, whose
 * writes the client no longer takes, has to wait with the rest. For exports
 * written as they are read: what the server does meanwhile shows whether it
 * reads as it writes, and the end of the transfer shows whether a failure
 * cut it short. HTTP/1.1, {@code Connection: close}; the body as the server
 * sent it (chunked or not), decoded by {@link #rest()}.
 */
public final class SlowDownload implements Closeable {

    private final Socket socket;
    private final InputStream in;
    private final String head;
    private final boolean chunked;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private long chunkLeft;
    private boolean ended;

    private SlowDownload(Socket socket, InputStream in, String head) {
        this.socket = socket;
        this.in = in;
        this.head = head;
        this.chunked = head.toLowerCase(Locale.ROOT).contains("\r\ntransfer-encoding: chunked");
    }

    /** Sends the GET and reads the status line and headers. */
    public static SlowDownload get(String path, String token, String accept) throws IOException {
        return get(TestEnvironment.baseUrl(), path, token, accept);
    }

    /** The same from another server than the suite's (an {@link OwnServer}'s base URL). */
    public static SlowDownload get(String baseUrl, String path, String token, String accept) throws IOException {
        URI base = URI.create(baseUrl);
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()), 5_000);
        socket.setSoTimeout(60_000);
        OutputStream out = socket.getOutputStream();
        String readAfter = ReadAfter.header();   // echoed as the app does: the download shows what the run wrote
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nAuthorization: Bearer " + token + "\r\nAccept: " + accept
                + (readAfter == null ? "" : "\r\n" + ReadAfter.HEADER + ": " + readAfter)
                + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed before the headers ended: " + head);
            }
            head.write(b);
        }
        return new SlowDownload(socket, in, head.toString(StandardCharsets.ISO_8859_1));
    }

    /** The status line and headers. */
    public String head() {
        return head;
    }

    public int status() {
        return Integer.parseInt(head.substring(9, 12));
    }

    /** Reads at least {@code bytes} more of the body (less at its end); answers the body read so far. */
    public String read(int bytes) throws IOException {
        int target = body.size() + bytes;
        while (body.size() < target && !ended) {
            readSome();
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    /**
     * Reads the rest of the body. A chunked body must end with its last
     * (empty) chunk: a connection that closes before it is a transfer cut
     * short, and an {@link IOException}, as an HTTP client reports it.
     */
    public String rest() throws IOException {
        while (!ended) {
            readSome();
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private void readSome() throws IOException {
        if (!chunked) {
            byte[] buffer = new byte[8192];
            int n = in.read(buffer);
            if (n < 0) {
                ended = true;
            } else {
                body.write(buffer, 0, n);
            }
            return;
        }
        if (chunkLeft == 0) {
            String size = line();
            chunkLeft = Long.parseLong(size.split(";")[0].trim(), 16);
            if (chunkLeft == 0) {
                line();
                ended = true;
                return;
            }
        }
        byte[] buffer = new byte[(int) Math.min(8192, chunkLeft)];
        int n = in.read(buffer);
        if (n < 0) {
            throw new IOException("the transfer was cut short: the connection closed inside a chunk, after "
                    + body.size() + " bytes of the body");
        }
        body.write(buffer, 0, n);
        chunkLeft -= n;
        if (chunkLeft == 0) {
            line();
        }
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the transfer was cut short: the connection closed without the last chunk, after "
                        + body.size() + " bytes of the body");
            }
            if (previous == '\r' && b == '\n') {
                return line.substring(0, line.length() - 1);
            }
            line.append((char) b);
            previous = b;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
