package app.lockin.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Api;
import app.lockin.testing.Contract;
import app.lockin.testing.Fixtures;
import app.lockin.testing.Focus;
import app.lockin.testing.LockinServer;
import app.lockin.testing.Reply;
import app.lockin.testing.User;

/**
 * No input makes the API fail: every operation of the OpenAPI document gets
 * hostile values in each of its path, query, header and body fields, and
 * hostile bodies. Whatever comes back is never a 5xx, never an empty or HTML error:
 * a 4xx is application/problem+json with its status, a 2xx is JSON (a
 * hostile value may be a valid one, such as a display name that reads like
 * SQL, and is then stored as text), and every answer is one the OpenAPI
 * document describes for the operation (its status, content type and schema).
 */
@LockinServer
class RobustnessIT {

    private static final String LONG = "x".repeat(10_000);

    /** Text for path segments and query values (sent percent-encoded, UTF-8). */
    private static final List<String> HOSTILE_TEXT = List.of(
            "", " ", "abc", "'; drop table groups; --", "<script>alert(1)</script>", "../../etc/passwd",
            "00000000-0000-0000-0000-00000000000g", "-1", "99999999999999999999999999", "1e400", "NaN",
            "\u202e", "😀", "%00", "a:b", "{\"a\":1}", "..%2F..%2Fetc%2Fpasswd", LONG);

    /** Query values only: the connector refuses these in a path before the application sees them. */
    private static final List<String> HOSTILE_QUERY_ONLY = List.of("\u0000", "a\u0000b", "\u202e\u0000", "\\", "\ud800");

    /**
     * Header values: the texts an HTTP client sends at all (printable ASCII;
     * the 10,000 characters are past the connector's limit for a header, so
     * 1,000 here), and look-alikes of a log position (LockIN-Read-After).
     */
    private static final List<String> HOSTILE_HEADER = Stream.concat(
            HOSTILE_TEXT.stream().filter(v -> v.length() < 1_000 && v.chars().allMatch(c -> c >= 0x20 && c < 0x7f)),
            Stream.of("x".repeat(1_000), "0/0", "FFFFFFFF/FFFFFFFF", "ffffffff/0", "1/2/3", "/", "1/",
                    "100000000/0", "-1/1", "0x1/0x2", "1 / 2")).toList();

    /** JSON values for body fields. */
    private static final List<String> HOSTILE_JSON = List.of(
            "\"a\\u0000b\"", "\"\\ud800\"", "\"" + LONG + "\"", "\"'; drop table groups; --\"", "\"\"",
            "99999999999999999999999999", "-99999999999999999999999999", "1e400", "-1", "0.5", "true",
            "[]", "{}", "[".repeat(2_000) + "]".repeat(2_000), "{\"a\":".repeat(500) + "1" + "}".repeat(500));

    /** Whole bodies. */
    private static final List<String> HOSTILE_BODIES = List.of(
            "{", "{\"a\": 1} trailing", "{} {}", "[]", "\"text\"", "42", "null", "{\"unknown_field\": 1}",
            "[".repeat(100_000), "\u0000", "{\"a\":\"\\ud800\"}", "{\"" + LONG + "\": 1}");

    private record Call(String method, String path, String body, String contentType, String header, String headerValue) {

        Call(String method, String path, String body, String contentType) {
            this(method, path, body, contentType, null, null);
        }
    }

    @Test
    void noInputMakesAnyOperationFail() throws Exception {
        User user = User.random();
        Map<String, String> ids = realResources(user);
        JsonObject document = Api.anonymous().get("/openapi?format=JSON").json();
        JsonObject paths = document.getJsonObject("paths");

        List<Call> calls = new ArrayList<>();
        for (String template : paths.keySet()) {
            JsonObject item = paths.getJsonObject(template);
            for (String method : List.of("get", "post", "patch", "put", "delete")) {
                if (item.containsKey(method)) {
                    calls.addAll(callsFor(document, template, item, method, item.getJsonObject(method), ids));
                }
            }
        }
        assertThat(calls).as("hostile calls derived from the document").hasSizeGreaterThan(500);

        List<String> failures = new ArrayList<>();
        String token = user.accessToken();
        for (Call call : calls) {
            String sent = call.method() + " " + abbreviate(call.path()) + " body " + abbreviate(call.body())
                    + (call.header() == null ? "" : " " + call.header() + ": " + abbreviate(call.headerValue())) + " → ";
            try {
                HttpResponse<String> response = send(token, call);
                String problem = judge(response);
                if (problem != null) {
                    failures.add(sent + response.statusCode() + " " + problem + ": " + abbreviate(response.body()));
                }
            } catch (Contract.Violation e) {
                // collected like the others, so one run lists every answer the document does not describe
                failures.add(sent + e.getMessage());
            }
        }
        assertThat(failures).as("calls answered wrongly, of " + calls.size()).isEmpty();
    }

    /** A group (owned, with another member and a webhook), a session in it, an invite to the user: real ids for path fields. */
    private static Map<String, String> realResources(User user) {
        User other = User.random();
        JsonObject group = Fixtures.group(user);
        String groupId = group.getString("id");
        JsonObject member = Fixtures.member(user, groupId, other, "member");
        String session = Focus.session(user, groupId);
        String othersGroup = Fixtures.group(other).getString("id");
        Reply invite = other.api().post("/api/groups/" + othersGroup + ":invite",
                "{\"recipient_id\": \"" + Fixtures.profileOf(user) + "\"}");
        assertThat(invite.status()).as(invite.toString()).isEqualTo(201);
        // a webhook of the group (the suite's server allows its loopback address; nothing listens there)
        Reply webhook = user.api().post("/api/groups/" + groupId + "/webhooks",
                "{\"url\": \"https://localhost:9/robustness\", \"events\": [\"member_joined\"]}");
        assertThat(webhook.status()).as(webhook.toString()).isEqualTo(201);
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("/api/groups/{id}", groupId);
        ids.put("{webhook_id}", webhook.json().getString("id"));
        ids.put("/api/sessions/{id}", session);
        ids.put("/api/notifications/{id}", invite.json().getString("id"));
        ids.put("/api/invites/{id}", invite.json().getString("id"));
        ids.put("{user_id}", member.getString("user_id"));
        return ids;
    }

    private static List<Call> callsFor(JsonObject document, String template, JsonObject item, String method,
            JsonObject operation, Map<String, String> ids) {
        String verb = method.toUpperCase(java.util.Locale.ROOT);
        List<JsonObject> parameters = new ArrayList<>();
        for (JsonObject[] list : new JsonObject[][] {array(item, "parameters"), array(operation, "parameters")}) {
            for (JsonObject parameter : list) {
                parameters.add(resolve(document, parameter));
            }
        }
        String realPath = template;
        for (Map.Entry<String, String> id : ids.entrySet()) {
            if (id.getKey().startsWith("/") ? template.startsWith(id.getKey()) : template.contains(id.getKey())) {
                String placeholder = id.getKey().startsWith("/") ? "{id}" : id.getKey();
                realPath = realPath.replace(placeholder, id.getValue());
            }
        }
        realPath = realPath.replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
        boolean hasBody = Set.of("POST", "PATCH", "PUT").contains(verb);
        String validBody = hasBody ? "{}" : null;

        List<Call> calls = new ArrayList<>();
        for (JsonObject parameter : parameters) {
            String name = parameter.getString("name");
            String in = parameter.getString("in");
            if ("path".equals(in)) {
                for (String value : HOSTILE_TEXT) {
                    String path = template.replace("{" + name + "}", encode(value))
                            .replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
                    calls.add(new Call(verb, path, validBody, "application/json"));
                }
            } else if ("query".equals(in)) {
                List<String> values = new ArrayList<>(HOSTILE_TEXT);
                values.addAll(HOSTILE_QUERY_ONLY);
                for (String value : values) {
                    calls.add(new Call(verb, realPath + "?" + name + "=" + encode(value), validBody, "application/json"));
                }
            } else if ("header".equals(in)) {
                for (String value : HOSTILE_HEADER) {
                    calls.add(new Call(verb, realPath, validBody, "application/json", name, value));
                }
            }
        }
        if (hasBody) {
            for (String body : HOSTILE_BODIES) {
                calls.add(new Call(verb, realPath, body, "application/json"));
            }
            calls.add(new Call(verb, realPath, "{}", "text/plain"));
            for (String field : bodyFields(document, operation)) {
                for (String value : HOSTILE_JSON) {
                    calls.add(new Call(verb, realPath, "{\"" + field + "\": " + value + "}", "application/json"));
                }
            }
        }
        return calls;
    }

    private static List<String> bodyFields(JsonObject document, JsonObject operation) {
        if (!operation.containsKey("requestBody")) {
            return List.of();
        }
        JsonObject content = operation.getJsonObject("requestBody").getJsonObject("content");
        if (content == null || !content.containsKey("application/json")) {
            return List.of();
        }
        JsonObject schema = resolve(document, content.getJsonObject("application/json").getJsonObject("schema"));
        return schema.containsKey("properties") ? List.copyOf(schema.getJsonObject("properties").keySet()) : List.of();
    }

    private static JsonObject[] array(JsonObject object, String name) {
        return object.containsKey(name)
                ? object.getJsonArray(name).getValuesAs(JsonObject.class).toArray(JsonObject[]::new)
                : new JsonObject[0];
    }

    /** Follows a {@code $ref} within the document. */
    private static JsonObject resolve(JsonObject document, JsonObject node) {
        JsonObject current = node;
        while (current.containsKey("$ref")) {
            JsonValue target = document;
            for (String part : current.getString("$ref").substring(2).split("/")) {
                target = target.asJsonObject().get(part);
            }
            current = target.asJsonObject();
        }
        return current;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static HttpResponse<String> send(String token, Call call) {
        Api api = Api.withToken(token)
                .withHeader("Accept", "application/json, application/problem+json, text/csv, text/calendar");
        // a header under test is the request's only one of its name (the client echoes no position of its own)
        return (call.header() == null ? api : api.withoutReadAfter().withHeader(call.header(), call.headerValue()))
                .send(call.method(), call.path(), call.body() == null ? null : call.contentType(), call.body())
                .response();
    }

    /** Null when the answer is acceptable, else what is wrong with it. */
    private static String judge(HttpResponse<String> response) {
        int status = response.statusCode();
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (status >= 500) {
            return "a server error";
        }
        if (status >= 400) {
            if (!type.startsWith("application/problem+json")) {
                return "not problem+json (" + type + ")";
            }
            try (var reader = Json.createReader(new StringReader(response.body()))) {
                JsonObject problem = reader.readObject();
                if (problem.getInt("status") != status || problem.getString("detail", "").isBlank()) {
                    return "a problem without its status or detail";
                }
            } catch (RuntimeException e) {
                return "a problem that is not JSON";
            }
            return null;
        }
        if (status == 204 || type.startsWith("text/csv") || type.startsWith("text/calendar")) {
            return null;
        }
        if (!type.startsWith("application/json")) {
            return "a success that is not JSON (" + type + ")";
        }
        return null;
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "-";
        }
        String printable = text.replace("\u0000", "\\u0000");
        return printable.length() > 120 ? printable.substring(0, 120) + "…(" + printable.length() + ")" : printable;
    }
}
