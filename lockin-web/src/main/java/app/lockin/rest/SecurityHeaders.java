package app.lockin.rest;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Headers every answer carries, whoever writes it (JAX-RS, the error pages,
 * the documentation's static files): {@code nosniff} everywhere; a
 * {@code Cache-Control} on everything: {@code no-store} (nothing may keep
 * it) unless the answer is one of the documentation's static files, which
 * a browser may keep and must revalidate ({@code no-cache}); and the
 * documentation runs only its own scripts and is never framed (its
 * Content-Security-Policy). The choice follows the path the container
 * serves (decoded and normalized: {@code /%61pi/me}, {@code //api/me} and
 * {@code /api/./me} are not the documentation), and anything not known to
 * be the documentation is no-store, the API's answers and every 404
 * included. Set before the request is served, so an answer that needs
 * another Cache-Control can still set its own.
 */
@WebFilter(filterName = "security-headers", urlPatterns = "/*", asyncSupported = true)
public class SecurityHeaders extends HttpFilter {

    /** Swagger UI: its scripts and styles from this server (its styles partly inline), the API on the same origin. */
    static final String DOCS_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        String path = served(request);
        if (path.startsWith("/docs/") || path.equals("/docs")) {
            response.setHeader("Cache-Control", "no-cache");
            response.setHeader("Content-Security-Policy", DOCS_POLICY);
        } else if (path.startsWith("/webjars/")) {
            response.setHeader("Cache-Control", "no-cache");
        } else {
            response.setHeader("Cache-Control", "no-store");
        }
        chain.doFilter(request, response);
    }

    /** The path as the container maps it (servlet path and path info: decoded, normalized), not as the client spelled it. */
    static String served(HttpServletRequest request) {
        String pathInfo = request.getPathInfo();
        return request.getServletPath() + (pathInfo == null ? "" : pathInfo);
    }
}
