package app.lockin.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import app.lockin.database.ConstraintTexts;
import app.lockin.rules.FieldError;

/**
 * How a constraint's refusal reads to a client, in the schema's own words:
 * the comment of the check constraint ({@code "<field>: <what the value must
 * be>"}) or of the unique constraint or index (what a duplicate means), as
 * {@link ConstraintTexts} read them. The database owns the rules and their
 * wording; nothing is restated here.
 */
@ApplicationScoped
public class RefusedValues {

    private static final String DUPLICATE = "This already exists.";
    private static final String OUT_OF_RANGE = "is out of the allowed range";

    @Inject
    ConstraintTexts texts;

    RefusedValues() {
    }

    /** With the comments given (unit tests). */
    RefusedValues(ConstraintTexts texts) {
        this.texts = texts;
    }

    /** Why a row would be a duplicate, for a unique constraint's or index's name. */
    public String duplicate(String constraint) {
        return texts.of(constraint).orElse(DUPLICATE);
    }

    /** The field and rule of a check constraint; the column (or the body) when its comment does not say. */
    public FieldError value(String constraint, String column) {
        return texts.of(constraint)
                .map(text -> text.split(": ", 2))
                .filter(fieldAndRule -> fieldAndRule.length == 2)
                .map(fieldAndRule -> new FieldError(fieldAndRule[0], fieldAndRule[1]))
                .orElseGet(() -> new FieldError(column, OUT_OF_RANGE));
    }
}
