package app.lockin.limits;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.RequestScoped;

/**
 * The allowances a request took from the caller's limits, wherever it took
 * them (the request filter, the event streams, a clone's invites): its
 * answer states each in the {@code RateLimit} headers. The newest of a
 * policy replaces an older one. The answer may be written on another thread
 * than the request's (an event stream's head goes with its first event,
 * where no request scope is active): so the request keeps {@link #live} too.
 */
@RequestScoped
public class TakenAllowances {

    private final List<Allowance> taken = new CopyOnWriteArrayList<>();

    void add(Allowance allowance) {
        taken.removeIf(earlier -> earlier.policy().limit() == allowance.policy().limit());
        taken.add(allowance);
    }

    /** The list itself, which shows what is taken later in the request too. */
    public List<Allowance> live() {
        return taken;
    }
}
