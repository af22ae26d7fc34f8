package app.lockin.sessions;

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
        if (status != null) {
            path.queryParam("status", statusName);
        }
        return Paging.answer(found, size, path, last -> new Paging.After(last.createdAt(), last.id()));
    }
}
