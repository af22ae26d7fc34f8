package app.lockin.live;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import app.lockin.database.Lsn;
import app.lockin.database.ReadPosition;
import app.lockin.security.CallerToken;

/**
 * Sets what the reads of a request must show ({@link ReadPosition}) for the
 * time it is served on its thread: the {@value ReadYourWrites#HEADER} its
 * client echoed, or the caller's last write through this instance
 * ({@link RecentWrites}), whichever is later. A malformed header counts as
 * none here; {@link ReadYourWrites} answers it 400.
 */
@WebFilter(filterName = "read-positions", urlPatterns = "/api/*", asyncSupported = true)
public class ReadPositions extends HttpFilter {

    @Inject
    RecentWrites writes;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Lsn position = null;
        String presented = request.getHeader(ReadYourWrites.HEADER);
        if (presented != null) {
            try {
                position = Lsn.parse(presented);
            } catch (IllegalArgumentException malformed) {
                // ReadYourWrites answers 400
            }
        }
        if (request.getUserPrincipal() instanceof CallerToken caller) {
            position = Lsn.later(position, writes.positionOf(caller.profileId()));
        }
        ReadPosition.set(position);
        try {
            chain.doFilter(request, response);
        } finally {
            ReadPosition.clear();
        }
    }
}
