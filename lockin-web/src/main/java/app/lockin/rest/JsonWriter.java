package app.lockin.rest;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Collection;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;

/**
 * Writes the API's answers (records, and lists of them) as JSON with
 * {@link JsonConfig#JSONB}, straight into the response. Jersey's own JSON-B
 * writer makes the whole answer a String first and then its bytes: for a
 * history page of 400 entries that was three copies of the answer in garbage
 * and a fifth of the request's allocations (BENCHMARKS.md, history).
 */
@Provider
@Produces({MediaType.APPLICATION_JSON, "application/*+json"})
public class JsonWriter implements MessageBodyWriter<Object> {

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return (type.isRecord() || Collection.class.isAssignableFrom(type)) && isJson(mediaType);
    }

    @Override
    public void writeTo(Object entity, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, Object> headers, OutputStream out) throws IOException {
        JsonConfig.JSONB.toJson(entity, new KeptOpen(out));
    }

    private static boolean isJson(MediaType type) {
        return type != null && "application".equals(type.getType())
                && ("json".equals(type.getSubtype()) || type.getSubtype().endsWith("+json"));
    }

    /** JSON-B closes the stream it wrote to; the response's stays open for the interceptors and Jersey. */
    private static final class KeptOpen extends FilterOutputStream {

        KeptOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
