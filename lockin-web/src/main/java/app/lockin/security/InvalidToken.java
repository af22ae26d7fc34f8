package app.lockin.security;

/** A token that must be refused; the message says why, in words safe to return to the client. */
public class InvalidToken extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidToken(String reason) {
        super(reason);
    }

    public InvalidToken(String reason, Throwable cause) {
        super(reason, cause);
    }
}
