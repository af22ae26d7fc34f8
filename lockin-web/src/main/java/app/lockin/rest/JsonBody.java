package app.lockin.rest;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;

/**
 * Request bodies read as one JSON value and nothing else: trailing content
 * after the value ({@code {"name": "x"} trailing}, or a second value) makes
 * the body malformed (400), where the runtime's own reader stops after the
 * first value and ignores the rest. Resources taking a {@link JsonValue}
 * get it from here; those whose body is optional read it with {@link #parse}.
 */
@Provider
@Priority(Priorities.USER - 100) // before the runtime's own JSON-P reader, which also takes application/json
@Consumes({MediaType.APPLICATION_JSON, "application/*+json"})
public class JsonBody implements MessageBodyReader<JsonValue> {

    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return JsonValue.class.isAssignableFrom(type);
    }

    @Override
    public JsonValue readFrom(Class<JsonValue> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, String> httpHeaders, InputStream entityStream) {
        return parse(entityStream);
    }

    /** An optional body: null when there is none (or only white space). */
    public static JsonValue parseOptional(String body) {
        return body == null || body.isBlank() ? null
                : parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** Exactly one JSON value (UTF-8); anything else is a 400 naming what is wrong. */
    public static JsonValue parse(InputStream body) {
        try (JsonParser parser = PARSERS.createParser(body, StandardCharsets.UTF_8)) {
            if (!parser.hasNext()) {
                throw new BadRequestException("The request body is empty: send a JSON object.");
            }
            parser.next();
            JsonValue value = parser.getValue();
            if (parser.hasNext()) {
                throw malformed();
            }
            return value;
        } catch (BadRequestException | BodyLimit.TooLarge e) {
            throw e;
        } catch (RuntimeException e) {
            if (ProblemMapper.causedBy(e, BodyLimit.TooLarge.class)) {
                throw new BodyLimit.TooLarge();
            }
            // JsonParsingException, and the parser's plain RuntimeException for nesting deeper than it allows
            throw malformed();
        }
    }

    private static BadRequestException malformed() {
        return new BadRequestException("The request body is not valid JSON: send one JSON value and nothing after it.");
    }
}
