package app.lockin.notifications;

import java.net.URI;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriBuilder;

import app.lockin.rest.Paging;
import app.lockin.security.CallerToken;

/**
 * The caller's inbox: {@code /api/notifications}, newest first, in pages
 * of {@code limit}; the next page starts after the last item seen
 * ({@code cursor_created_at} + {@code cursor_id}, keyset) and its address is
 * in the {@code Link: <...>; rel="next"} header while more remain.
 */
@ApplicationScoped
@Path("notifications")
@Produces(MediaType.APPLICATION_JSON)
public class NotificationsResource {

    static final String ID = "{id: [^/:]+}";

    @Context
    SecurityContext security;

    @Inject
    Notifications notifications;

    @GET
    public Response list(@QueryParam("unread") String unread,
            @QueryParam("limit") String limit,
            @QueryParam("cursor_created_at") String cursorCreatedAt,
            @QueryParam("cursor_id") String cursorId) {
        boolean unreadOnly = flag(unread);
        int size = Paging.limit(limit, 20, 100);
        Optional<Notifications.Cursor> after = Paging.after(cursorCreatedAt, cursorId)
                .map(cursor -> new Notifications.Cursor(cursor.createdAt(), cursor.id()));

        List<NotificationResponse> page = notifications.page(CallerToken.profileOf(security), unreadOnly, after, size);
        boolean more = page.size() > size;
        List<NotificationResponse> shown = more ? page.subList(0, size) : page;
        Response.ResponseBuilder answer = Response.ok(shown);
        if (more) {
            NotificationResponse last = shown.get(shown.size() - 1);
            URI next = UriBuilder.fromPath("/api/notifications")
                    .queryParam("limit", size)
                    .queryParam("cursor_created_at", DateTimeFormatter.ISO_INSTANT.format(last.createdAt()))
                    .queryParam("cursor_id", last.id())
                    .build();
            if (unreadOnly) {
                next = UriBuilder.fromUri(next).queryParam("unread", "true").build();
            }
            answer.link(next, "next");
        }
        return answer.build();
    }

    @GET
    @Path(ID)
    public NotificationResponse get(@PathParam("id") UUID id) {
        return notifications.get(CallerToken.profileOf(security), id);
    }

    @POST
    @Path(ID + ":read")
    public NotificationResponse read(@PathParam("id") UUID id) {
        return notifications.read(CallerToken.profileOf(security), id);
    }

    private static boolean flag(String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw new BadRequestException("unread must be true or false");
    }
}
