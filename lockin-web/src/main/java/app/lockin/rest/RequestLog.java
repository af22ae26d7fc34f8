package app.lockin.rest;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * Every API request gets a request id (the caller's {@code X-Request-Id} when
 * it is a sane token, else a new UUID), answered in the {@code X-Request-Id}
 * header; when it ends, one JSON line in the access log (logger
 * {@code lockin.access}) and the application metrics
 * {@code lockin_requests_total} and {@code lockin_request_seconds}, by route
 * template (never the raw path, so ids do not explode the series) and status.
 */
@Provider
@PreMatching
@Priority(1)
public class RequestLog implements ContainerRequestFilter, ContainerResponseFilter {

    public static final String HEADER = "X-Request-Id";
    static final String ID = "lockin.request-id";
    private static final String STARTED = "lockin.request-started";
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Logger ACCESS = Logger.getLogger("lockin.access");
    private static final Map<Method, String> ROUTES = new ConcurrentHashMap<>();
    // made once: each Json.createObjectBuilder() looks the JSON provider up again (a class-path
    // scan that was 7 % of the server's CPU under load, BENCHMARKS.md)
    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

    @Context
    ResourceInfo resource;

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry metrics;

    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    /** The id of the request this thread is serving, for log lines about it ("-" outside a request). */
    public static String currentId() {
        String id = CURRENT.get();
        return id == null ? "-" : id;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String given = request.getHeaderString(HEADER);
        String id = given != null && SANE_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
        request.setProperty(ID, id);
        request.setProperty(STARTED, System.nanoTime());
        CURRENT.set(id);
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        CURRENT.remove();
        Object id = request.getProperty(ID);
        Object started = request.getProperty(STARTED);
        if (id == null || started == null) {
            return;
        }
        response.getHeaders().putSingle(HEADER, id);
        Duration took = Duration.ofNanos(System.nanoTime() - (Long) started);
        String route = route(request.getMethod());
        String status = String.valueOf(response.getStatus());

        metrics.counter("lockin_requests_total", new Tag("route", route), new Tag("status", status)).inc();
        metrics.timer("lockin_request_seconds", new Tag("route", route)).update(took);

        if (ACCESS.isLoggable(Level.INFO)) {
            ACCESS.info(accessLine(Instant.now(), id.toString(), request.getMethod(),
                    request.getUriInfo().getRequestUri().getRawPath(), route, response.getStatus(), took));
        }
    }

    /** One access-log line: a JSON object. */
    static String accessLine(Instant time, String requestId, String method, String path, String route, int status,
            Duration took) {
        return JSON.createObjectBuilder()
                .add("time", time.toString())
                .add("request_id", requestId)
                .add("method", method)
                .add("path", path)
                .add("route", route)
                .add("status", status)
                .add("duration_ms", took.toNanos() / 1_000_000.0)
                .build().toString();
    }

    /** "GET /api/groups/{id}" for the matched resource method; "unmatched" when none matched. */
    private String route(String verb) {
        Method method = resource == null ? null : resource.getResourceMethod();
        if (method == null) {
            return verb + " unmatched";
        }
        return ROUTES.computeIfAbsent(method, m -> verb + " " + template(resource.getResourceClass(), m));
    }

    /** The API path of a resource method as the OpenAPI document writes it: {@code /api/groups/{id}:clone}. */
    public static String template(Class<?> type, Method method) {
        Path root = type.getAnnotation(Path.class);
        Path sub = method.getAnnotation(Path.class);
        String path = "/api/" + (root == null ? "" : root.value().replaceAll("^/+|/+$", ""))
                + (sub == null ? "" : "/" + sub.value().replaceAll("^/+", ""));
        return path.replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}").replace("/:", ":").replaceAll("/+$", "");
    }
}
