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
 * the documentation's static files): {@code nosniff} everywhere; answers of
 * {@code /api} are personal, so nothing may keep them ({@code no-store});
 * the documentation runs only its own scripts and is never framed (its
 * Content-Security-Policy). Set before the request is served, so an answer
 * that needs another Cache-Control can still set its own.
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
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith("/api/")) {
            response.setHeader("Cache-Control", "no-store");
        } else if (path.startsWith("/docs")) {
            response.setHeader("Content-Security-Policy", DOCS_POLICY);
        }
        chain.doFilter(request, response);
    }
}
