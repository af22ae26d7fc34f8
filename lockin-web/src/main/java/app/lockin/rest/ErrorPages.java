package app.lockin.rest;

import java.io.IOException;

import jakarta.json.bind.Jsonb;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;

/**
 * The servlet container's error pages (a path outside the API, a failure
 * before JAX-RS) as problem+json instead of HTML. Mapped in web.xml.
 */
@WebServlet(name = "error-pages", urlPatterns = "/errors")
public class ErrorPages extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Jsonb json = new JsonConfig().getContext(Problem.class);

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i && i >= 400 ? i : 500;
        if (status == 501) {
            // the default servlet's answer to a method it does not know (PATCH on a path
            // outside the API): nothing is there, and nothing failed on our side
            status = 404;
        }
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String detail = switch (status) {
            case 400 -> "The request is malformed.";
            case 404 -> "There is no such resource.";
            case 405 -> "This resource does not support that method.";
            case 413 -> "The request body is too large.";
            case 415 -> "Send the request body as application/json.";
            default -> status >= 500 ? "Something went wrong on our side. Please try again." : type == null ? "Error" : type.getReasonPhrase();
        };
        Problem problem = type == null
                ? new Problem("about:blank", "Error", status, detail, null, null, null)
                : Problem.of(type, detail);
        response.setStatus(status);
        // an error is never kept, whatever path it answers (a missing file of the documentation too)
        response.setHeader("Cache-Control", "no-store");
        response.setContentType(Problem.MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json.toJson(problem));
    }
}
