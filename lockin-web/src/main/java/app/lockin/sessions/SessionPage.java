package app.lockin.sessions;

import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import app.lockin.rest.Paging;
import app.lockin.rest.SnakeCase;

/**
 * The query of a page of sessions ({@code status}, {@code limit} and the
 * keyset cursor) and its answer: at most {@code size} sessions, with
 * {@code Link: rel="next"} while more remain.
 */
record SessionPage(SessionStatus status, String statusName, int size, Optional<FocusSessions.Cursor> after) {

    static SessionPage of(String status, String limit, String cursorCreatedAt, String cursorId) {
        SessionStatus only = status == null ? null : SnakeCase.constant(SessionStatus.class, status)
                .orElseThrow(() -> new BadRequestException("status must be one of " + SnakeCase.names(SessionStatus.class)));
        return new SessionPage(only, status, Paging.limit(limit, 20, 100),
                Paging.after(cursorCreatedAt, cursorId).map(c -> new FocusSessions.Cursor(c.createdAt(), c.id())));
    }

    /** The page from {@code found} (up to size + 1 sessions), linking to the next one at {@code path}. */
    Response answer(List<SessionResponse> found, UriBuilder path) {
        boolean more = found.size() > size;
        List<SessionResponse> shown = more ? found.subList(0, size) : found;
        Response.ResponseBuilder answer = Response.ok(shown);
        if (more) {
            SessionResponse last = shown.get(shown.size() - 1);
            path.queryParam("limit", size)
                    .queryParam("cursor_created_at", DateTimeFormatter.ISO_INSTANT.format(last.createdAt()))
                    .queryParam("cursor_id", last.id());
            if (status != null) {
                path.queryParam("status", statusName);
            }
            answer.link(path.build(), "next");
        }
        return answer.build();
    }
}
