package app.lockin.testing;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.util.Optional;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;

/** An HTTP answer of the API, with its body read as JSON on demand. */
public record Reply(int status, HttpResponse<String> response) {

    public String body() {
        return response.body();
    }

    public Optional<String> header(String name) {
        return response.headers().firstValue(name);
    }

    public String contentType() {
        return header("Content-Type").orElse("");
    }

    public JsonObject json() {
        return (JsonObject) structure();
    }

    public JsonArray jsonArray() {
        return (JsonArray) structure();
    }

    private JsonStructure structure() {
        try (var reader = Json.createReader(new StringReader(body()))) {
            return reader.read();
        } catch (RuntimeException e) {
            throw new AssertionError("not JSON (" + status + "): " + body(), e);
        }
    }

    @Override
    public String toString() {
        return status + " " + contentType() + " " + body();
    }
}
