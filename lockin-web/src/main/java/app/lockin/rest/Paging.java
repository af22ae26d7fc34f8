package app.lockin.rest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

/**
 * The query parameters of long lists (API.md "Lists"): {@code limit}, and a
 * keyset cursor naming the last item seen ({@code cursor_created_at} +
 * {@code cursor_id}). A bad value is a 400 that says what is expected.
 */
public final class Paging {

    private Paging() {
    }

    /** The last item seen: its created_at and id. */
    public record After(Instant createdAt, UUID id) {
    }

    /** {@code limit}: a whole number from 1 to {@code max}; {@code fallback} when absent. */
    public static int limit(String value, int fallback, int max) {
        if (value == null) {
            return fallback;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadRequestException("limit must be a whole number from 1 to " + max);
    }

    public static Optional<After> after(String createdAt, String id) {
        if (createdAt == null && id == null) {
            return Optional.empty();
        }
        if (createdAt == null || id == null) {
            throw new BadRequestException("cursor_created_at and cursor_id go together: the last item seen");
        }
        try {
            return Optional.of(new After(OffsetDateTime.parse(createdAt).toInstant(), UUID.fromString(id)));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new BadRequestException("cursor_created_at must be an RFC 3339 timestamp and cursor_id a UUID");
        }
    }

    /**
     * The answer of a keyset page: the first {@code size} of {@code found}
     * (which holds up to {@code size + 1}: one more tells that more remain),
     * and then {@code Link: rel="next"} to {@code next} with {@code limit} and
     * the cursor of the last item shown.
     */
    public static <T> Response answer(List<T> found, int size, UriBuilder next, Function<T, After> cursorOf) {
        boolean more = found.size() > size;
        List<T> shown = more ? found.subList(0, size) : found;
        Response.ResponseBuilder answer = Response.ok(shown);
        if (more) {
            next(answer, next, size, cursorOf.apply(shown.get(shown.size() - 1)));
        }
        return answer.build();
    }

    /** Adds {@code Link: rel="next"} to {@code next} with {@code limit} and the cursor of {@code last}, the last item shown. */
    public static Response.ResponseBuilder next(Response.ResponseBuilder answer, UriBuilder next, int limit, After last) {
        return answer.link(next.queryParam("limit", limit)
                .queryParam("cursor_created_at", DateTimeFormatter.ISO_INSTANT.format(last.createdAt()))
                .queryParam("cursor_id", last.id())
                .build(), "next");
    }

    /** An RFC 3339 timestamp query parameter, required. */
    public static Instant instant(String name, String value) {
        if (value == null) {
            throw new BadRequestException(name + " is required: an RFC 3339 timestamp such as 2026-11-24T09:30:00Z");
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadRequestException(name + " must be an RFC 3339 timestamp such as 2026-11-24T09:30:00Z");
        }
    }

    /** An optional RFC 3339 timestamp query parameter (a keyset cursor such as {@code before}). */
    public static Optional<Instant> optionalInstant(String name, String value) {
        return value == null ? Optional.empty() : Optional.of(instant(name, value));
    }

    /** A date query parameter ({@code 2026-11-24}), required. */
    public static LocalDate date(String name, String value) {
        if (value == null) {
            throw new BadRequestException(name + " is required: a date such as 2026-11-24");
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadRequestException(name + " must be a date such as 2026-11-24");
        }
    }
}
