package app.lockin.limits;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

import app.lockin.security.CallerToken;

/**
 * The fair-use limits at the door (API.md "Limits"): once the caller is
 * known and allowed, every request counts against one of their limits by
 * its method, a write ({@code POST}, {@code PUT}, {@code PATCH},
 * {@code DELETE}) against {@link Limit#WRITES} and a read ({@code GET},
 * {@code HEAD}) against {@link Limit#READS}, and the operations marked
 * {@link Counted} against that limit too, before anything is read or done;
 * past a limit the answer is 429 (the problem, with {@code Retry-After},
 * comes from the exception mapper). So a write costs one bucket update
 * (a short transaction of its own, {@link FairUse}), two for the operations
 * marked {@link Counted} and for an event stream's opening; a read costs one
 * only now and then (reads are counted in batches, {@link FairUse}). Every answer of
 * a request that counted states where the caller stands, in the IETF
 * draft's {@code RateLimit-Policy} and {@code RateLimit} headers, one item
 * per limit it counted against (event streams count in
 * {@code live.LiveStreams}, a clone's invites in {@code Groups}).
 */
@Provider
@Priority(Priorities.AUTHORIZATION + 100)
public class FairUseLimits implements ContainerRequestFilter, ContainerResponseFilter {

    public static final String POLICY = "RateLimit-Policy";
    public static final String STATE = "RateLimit";

    /** The request's {@link TakenAllowances#live}: an event stream's head is written where no request scope is active. */
    private static final String TAKEN = FairUseLimits.class.getName() + ".taken";

    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> READS = Set.of("GET", "HEAD");

    @Inject
    FairUse fairUse;

    @Inject
    TakenAllowances taken;

    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!(request.getSecurityContext().getUserPrincipal() instanceof CallerToken caller)) {
            return;
        }
        request.setProperty(TAKEN, taken.live());
        if (WRITES.contains(request.getMethod())) {
            fairUse.take(caller.profileId(), Limit.WRITES, 1);
        } else if (READS.contains(request.getMethod())) {
            fairUse.take(caller.profileId(), Limit.READS, 1);
        }
        Counted counted = resource.getResourceMethod() == null ? null : resource.getResourceMethod().getAnnotation(Counted.class);
        if (counted != null) {
            fairUse.take(caller.profileId(), counted.value(), 1);
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(TAKEN) instanceof List<?> allowances && !allowances.isEmpty()) {
            response.getHeaders().putSingle(POLICY, allowances.stream()
                    .map(a -> ((Allowance) a).policy().header()).collect(Collectors.joining(", ")));
            response.getHeaders().putSingle(STATE, allowances.stream()
                    .map(a -> ((Allowance) a).header()).collect(Collectors.joining(", ")));
        }
    }
}
