package app.lockin.rules;

/** One invalid field of a request body, named as it is on the wire ({@code display_name}). */
public record FieldError(String field, String message) {
}
