package app.lockin.live;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;

/** Writes a {@link PreparedEvent} to an event stream: its bytes, in one write. */
@Provider
@Produces(MediaType.SERVER_SENT_EVENTS)
public class PreparedEventWriter implements MessageBodyWriter<PreparedEvent> {

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return PreparedEvent.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(PreparedEvent event, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, Object> headers, OutputStream out) throws IOException {
        out.write(event.bytes());
    }
}
