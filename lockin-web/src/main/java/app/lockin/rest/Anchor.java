package app.lockin.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The platform's own cost per request, for {@code ./lockin bench} (only with
 * {@code LOCKIN_BENCH_ANCHORS=true}; otherwise 404, as any unknown path): a
 * constant answer, {@code GET /api/anchor} behind everything an API request
 * passes (authentication, the fair-use limiter, the request log, the JAX-RS
 * filters, the problem mapping), and {@code GET /bare/anchor} from a JAX-RS
 * application of its own with none of them ({@link BareApi}). What an endpoint
 * costs above the first is its own work; the first above the second is the
 * API's common path.
 */
@ApplicationScoped
@Path("anchor")
@Produces(MediaType.APPLICATION_JSON)
public class Anchor {

    static final String ANSWER = "{\"ok\":true}";

    private final boolean enabled;

    @Inject
    public Anchor(@ConfigProperty(name = "LOCKIN_BENCH_ANCHORS", defaultValue = "false") boolean enabled) {
        this.enabled = enabled;
    }

    /** For the CDI container's proxy. */
    protected Anchor() {
        this(false);
    }

    @GET
    public String answer() {
        if (!enabled) {
            throw new NotFoundException();
        }
        return ANSWER;
    }
}
