package app.lockin.testing;

import static com.atlassian.oai.validator.whitelist.rule.WhitelistRules.allOf;
import static com.atlassian.oai.validator.whitelist.rule.WhitelistRules.messageHasKey;
import static com.atlassian.oai.validator.whitelist.rule.WhitelistRules.responseStatusIs;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.whitelist.ValidationErrorsWhitelist;

/**
 * Every answer the tests get from {@code /api} is checked against the OpenAPI
 * document the server serves ({@code GET /openapi}, read once per run), with
 * Atlassian's swagger-request-validator: the status must be documented for
 * the operation, and the content type, headers and body must match what the
 * document says for that status (a problem+json answer its Problem schema). A
 * mismatch fails the test with what did not match.
 *
 * <p>Only the answer is checked, never the request: tests send hostile and
 * malformed requests on purpose. A request that no operation of the document
 * matches (an unknown path or method) must be answered 401, 404 or 405.
 */
public final class Contract {

    /** The validator's keys for "no operation of the document matches this request". */
    private static final Set<String> NO_OPERATION = Set.of(
            "validation.request.path.missing", "validation.request.operation.notAllowed");

    /**
     * What the validator reports that is not a mismatch between the code and the document, each with its reason.
     */
    private static final ValidationErrorsWhitelist KNOWN_GAPS = ValidationErrorsWhitelist.create()
            // 405 says the server has no operation for this method on the path; the document lists
            // operations only. (The validator takes GET /api/groups/{id}:clone for GET /api/groups/{id}
            // with id "{id}:clone", and then finds 405 missing there.)
            .withRule("405 answers a method the document has no operation for",
                    allOf(messageHasKey("validation.response.status.unknown"), responseStatusIs(405)));

    /** What a request no operation matches may get: 401 first without a valid token (every /api path needs one), else 404 or 405. */
    private static final Set<Integer> NO_OPERATION_ANSWERS = Set.of(401, 404, 405);

    private static volatile OpenApiInteractionValidator validator;

    private Contract() {
    }

    /** An answer that does not match the document. */
    public static final class Violation extends AssertionError {

        private static final long serialVersionUID = 1L;

        Violation(String message) {
            super(message);
        }
    }

    /** Throws a {@link Violation} when the answer to the request does not match the document. */
    static void check(HttpRequest request, HttpResponse<String> response) {
        String path = request.uri().getRawPath();
        if (!path.startsWith("/api/") || request.method().equals("OPTIONS") || request.method().equals("HEAD")) {
            // outside the API (health, metrics, the document itself), a CORS preflight (HTTP
            // machinery the filters answer, not an operation), or a HEAD (its GET's answer without
            // the body, RFC 9110: the document describes the GET)
            return;
        }
        SimpleResponse.Builder answer = new SimpleResponse.Builder(response.statusCode());
        response.headers().map().forEach(answer::withHeader);
        if (!response.body().isEmpty()) {
            answer.withBody(response.body());
        }
        ValidationReport report = validator().validateResponse(path, Request.Method.valueOf(request.method()), answer.build());

        List<String> mismatches = new ArrayList<>();
        boolean noOperation = false;
        for (ValidationReport.Message message : report.getMessages()) {
            if (NO_OPERATION.contains(message.getKey())) {
                noOperation = true;
            } else if (message.getLevel() == ValidationReport.Level.ERROR) {
                mismatches.add(message.getKey() + ": " + message.getMessage()
                        + (message.getAdditionalInfo().isEmpty() ? "" : " " + message.getAdditionalInfo()));
            }
        }
        if (noOperation && !NO_OPERATION_ANSWERS.contains(response.statusCode())) {
            mismatches.add("no operation of the document matches the request, yet it was answered " + response.statusCode());
        }
        if (!mismatches.isEmpty()) {
            throw new Violation("the answer to " + request.method() + " " + abbreviate(request.uri().getRawPath()) + " does not match "
                    + "the OpenAPI document:\n  " + String.join("\n  ", mismatches) + "\nanswer: " + response.statusCode() + " "
                    + response.headers().firstValue("Content-Type").orElse("(no content type)") + " " + abbreviate(response.body()));
        }
    }

    private static OpenApiInteractionValidator validator() {
        OpenApiInteractionValidator v = validator;
        if (v == null) {
            synchronized (Contract.class) {
                v = validator;
                if (v == null) {
                    validator = v = OpenApiInteractionValidator.createForInlineApiSpecification(servedDocument())
                            .withWhitelist(KNOWN_GAPS)
                            .build();
                }
            }
        }
        return v;
    }

    /** The server's document, as JSON, without Payara's non-standard root key {@code endpoints}. */
    private static String servedDocument() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(TestEnvironment.baseUrl() + "/openapi?format=JSON"))
                .timeout(Duration.ofSeconds(30)).build();
        try {
            // HTTP/1.1 as Api sends: the default client offers an h2c upgrade, and Payara Micro's listener
            // stopped accepting connections after one (every later request: connection refused)
            HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /openapi answered " + response.statusCode() + ": " + response.body());
            }
            try (var reader = Json.createReader(new StringReader(response.body()))) {
                JsonObject document = reader.readObject();
                return Json.createObjectBuilder(document).remove("endpoints").build().toString();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the OpenAPI document", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String text) {
        String printable = text.replace("\u0000", "\\u0000");
        return printable.length() > 300 ? printable.substring(0, 300) + "…(" + printable.length() + ")" : printable;
    }
}
