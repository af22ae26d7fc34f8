package app.lockin.database;

import java.util.regex.Pattern;

/**
 * A position in PostgreSQL's write-ahead log ({@code pg_lsn}), written as
 * PostgreSQL writes it: two hexadecimal numbers of at most 8 digits
 * separated by a slash ({@code 16/B374D848}). A replica that has replayed up
 * to a position shows every transaction committed before it.
 */
public record Lsn(long value) implements Comparable<Lsn> {

    private static final Pattern TEXT = Pattern.compile("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}");

    /** The position, or an {@link IllegalArgumentException} saying what it should look like. */
    public static Lsn parse(String text) {
        if (text == null || !TEXT.matcher(text.strip()).matches()) {
            throw new IllegalArgumentException("not a WAL position (two hexadecimal numbers joined by a slash, as 16/B374D848)");
        }
        String[] parts = text.strip().split("/");
        return new Lsn(Long.parseLong(parts[0], 16) << 32 | Long.parseLong(parts[1], 16));
    }

    /** The later of the two (either may be null). */
    public static Lsn later(Lsn a, Lsn b) {
        return a == null ? b : b == null || a.compareTo(b) >= 0 ? a : b;
    }

    public boolean isAfter(Lsn other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toHexString(value >>> 32).toUpperCase() + "/" + Long.toHexString(value & 0xFFFFFFFFL).toUpperCase();
    }
}
