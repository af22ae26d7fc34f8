package app.lockin.live;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;

/**
 * An event whose text/event-stream bytes are made once, when it is built:
 * a board goes to every subscriber of its group as the very same bytes
 * ({@link PreparedEventWriter} writes them as they are), instead of being
 * serialised again for each stream byte by byte (Jersey's own event writer
 * passes the data through a stream that looks at every byte for line ends,
 * which made a 52 KB board to 200 streams the largest cost of a change;
 * BENCHMARKS.md, live).
 */
final class PreparedEvent implements OutboundSseEvent {

    private final String name;
    private final String id;
    private final String comment;
    private final String data;
    private final byte[] bytes;

    private PreparedEvent(String name, String id, String comment, String data, String frame) {
        this.name = name;
        this.id = id;
        this.comment = comment;
        this.data = data;
        this.bytes = frame.getBytes(StandardCharsets.UTF_8);
    }

    /** An event with a name, an id and data (each line of the data on a data: line). */
    static PreparedEvent of(String name, String id, String data) {
        StringBuilder frame = new StringBuilder(data.length() + name.length() + id.length() + 32)
                .append("event: ").append(name).append('\n')
                .append("id: ").append(id).append('\n');
        for (String line : data.split("\n", -1)) {
            frame.append("data: ").append(line).append('\n');
        }
        return new PreparedEvent(name, id, null, data, frame.append('\n').toString());
    }

    /** A comment line (a ping), which clients ignore. */
    static PreparedEvent comment(String text) {
        return new PreparedEvent(null, null, text, null, ": " + text + "\n\n");
    }

    /** The bytes of the event on the wire, blank line included. */
    byte[] bytes() {
        return bytes;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getComment() {
        return comment;
    }

    @Override
    public long getReconnectDelay() {
        return -1;
    }

    @Override
    public boolean isReconnectDelaySet() {
        return false;
    }

    @Override
    public Class<?> getType() {
        return String.class;
    }

    @Override
    public Type getGenericType() {
        return String.class;
    }

    @Override
    public MediaType getMediaType() {
        return MediaType.TEXT_PLAIN_TYPE;
    }

    @Override
    public Object getData() {
        return data;
    }
}
