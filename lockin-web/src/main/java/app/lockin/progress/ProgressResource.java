package app.lockin.progress;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import app.lockin.security.CallerToken;

/** The live leaderboard of a group: {@code /api/groups/{id}/progress/current}. */
@ApplicationScoped
@Path("groups/{id: [^/:]+}/progress")
@Produces(MediaType.APPLICATION_JSON)
public class ProgressResource {

    @Context
    SecurityContext security;

    @Inject
    Leaderboard leaderboard;

    /** One entry per member, highest seconds_done first. */
    public record Entry(UUID userId, String displayName, String avatarUrl, long secondsDone, int targetMinutes,
            boolean goalMet, Instant periodStart, Instant periodEnd, long rank, boolean isFocusing) {

        static Entry of(ProgressEntry e) {
            return new Entry(e.userId(), e.displayName(), e.avatarUrl(), e.secondsDone(), e.targetMinutes(), e.goalMet(),
                    e.periodStart(), e.periodEnd(), e.rank(), e.isFocusing());
        }
    }

    @GET
    @Path("current")
    public List<Entry> current(@PathParam("id") UUID groupId) {
        return leaderboard.current(CallerToken.profileOf(security), groupId).stream().map(Entry::of).toList();
    }
}
