package app.lockin.limits;

/**
 * Where a caller stands under a policy after a request counted: what the
 * {@code RateLimit} header tells ({@code "writes";r=119;t=1}), {@code r}
 * the requests left, {@code t} the seconds until the bucket is full again.
 */
public record Allowance(Policy policy, long remaining, long resetSeconds) {

    public String header() {
        return "\"" + policy.limit().label() + "\";r=" + remaining + ";t=" + resetSeconds;
    }
}
