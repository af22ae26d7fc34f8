package app.lockin.live;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import app.lockin.security.CallerToken;

/**
 * Marks an authenticated caller's request that may write (any method but
 * GET, HEAD and OPTIONS) in {@link RecentWrites} from before it is served
 * until after it has ended: by then its transaction has committed (or rolled
 * back), whichever component ended it, and its answer has been written.
 */
@WebFilter(filterName = "writes-in-flight", urlPatterns = "/api/*", asyncSupported = true)
public class WritesInFlight extends HttpFilter {

    @Inject
    RecentWrites writes;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request.getUserPrincipal() instanceof CallerToken caller) || readOnly(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        writes.began(caller.profileId());
        try {
            chain.doFilter(request, response);
        } finally {
            writes.ended(caller.profileId());
        }
    }

    private static boolean readOnly(String method) {
        return "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method);
    }
}
