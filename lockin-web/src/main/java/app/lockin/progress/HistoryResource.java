package app.lockin.progress;

import java.net.URI;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
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
 * {@code GET /api/groups/{id}/history}: the group's periods, newest first (the
 * current one included, not final), a page of {@code limit} (default 20, at
 * most 100) before the period_start {@code before}; {@code Link: rel="next"}
 * while older periods remain.
 */
@ApplicationScoped
@Path("groups/{id: [^/:]+}/history")
@Produces(MediaType.APPLICATION_JSON)
public class HistoryResource {

    @Context
    SecurityContext security;

    @Inject
    History history;

    @GET
    public Response page(@PathParam("id") UUID groupId, @QueryParam("limit") String limit,
            @QueryParam("before") String before) {
        int size = Paging.limit(limit, 20, 100);
        History.Page page = history.page(CallerToken.profileOf(security), groupId,
                Paging.optionalInstant("before", before), size);
        Response.ResponseBuilder answer = Response.ok(page.periods());
        if (page.more()) {
            HistoryPeriod last = page.periods().get(page.periods().size() - 1);
            URI next = UriBuilder.fromPath("/api/groups/{id}/history")
                    .queryParam("limit", size)
                    .queryParam("before", DateTimeFormatter.ISO_INSTANT.format(last.periodStart()))
                    .build(groupId);
            answer.link(next, "next");
        }
        return answer.build();
    }
}
