package app.lockin.rules;

/**
 * One invalid value of a request, named by the field that carried it: a
 * request field ({@code at}, {@code ended_at}) when the rule is about what the
 * client sent. The web layer names Bean Validation's violations and the
 * database's refusals the same way.
 */
public record FieldError(String field, String message) {
}
