package app.lockin.database;

import java.util.function.Function;

/**
 * Gauges read from the database when the metrics are scraped. While the
 * database cannot be read such a gauge is unknown (NaN), not an error: a
 * failing gauge would fail the whole scrape, and the metrics an operator
 * needs during an outage (the failures counted meanwhile) would go with it.
 */
public final class DatabaseGauges {

    private DatabaseGauges() {
    }

    /** {@code read}, or NaN when it fails. */
    public static <T> Function<T, Double> orUnknown(Function<T, ? extends Number> read) {
        return target -> {
            try {
                return read.apply(target).doubleValue();
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        };
    }
}
