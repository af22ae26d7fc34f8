package app.lockin.database;

import java.io.IOException;

import jakarta.ejb.ApplicationException;

/**
 * The output a read was streaming its rows into failed, mostly because the
 * client went away: the read stops and its transaction rolls back. An
 * application exception, so the container passes it on as it is, without
 * logging it as a failure of the bean; the web layer throws its
 * {@link #getCause() IOException} on to the container.
 */
@ApplicationException(rollback = true)
public class OutputFailed extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OutputFailed(IOException cause) {
        super(cause.getMessage(), cause);
    }

    @Override
    public synchronized IOException getCause() {
        return (IOException) super.getCause();
    }
}
