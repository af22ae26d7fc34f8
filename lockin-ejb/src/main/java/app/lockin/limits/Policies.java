package app.lockin.limits;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import app.lockin.config.Durations;

/**
 * {@code LOCKIN_RATE_LIMITS}: the limits in force. Unset or empty, the
 * defaults of {@link Limit}; {@code off} turns every limit off; otherwise a
 * comma-separated list of {@code name=quota/window} ({@code writes=300/1m},
 * {@code reads=1200/1m}, {@code invites=50/1h}, {@code streams=20/1h}) or {@code name=off}, each
 * replacing that limit's default. Anything else stops the deployment with
 * a message naming the setting.
 */
public final class Policies {

    static final String SETTING = "LOCKIN_RATE_LIMITS";

    private final Map<Limit, Policy> inForce;

    private Policies(Map<Limit, Policy> inForce) {
        this.inForce = Collections.unmodifiableMap(inForce);
    }

    public static Policies parse(String value) {
        Map<Limit, Policy> policies = new EnumMap<>(Limit.class);
        for (Limit limit : Limit.values()) {
            policies.put(limit, limit.defaultPolicy());
        }
        String text = value == null ? "" : value.strip();
        if (text.equalsIgnoreCase("off")) {
            return new Policies(new EnumMap<>(Limit.class));
        }
        if (text.isEmpty()) {
            return new Policies(policies);
        }
        for (String entry : text.split(",")) {
            String[] nameAndValue = entry.strip().split("=", 2);
            if (nameAndValue.length != 2) {
                throw invalid(value, "'" + entry.strip() + "' is not name=quota/window or name=off");
            }
            Limit limit = limitNamed(value, nameAndValue[0].strip());
            String setting = nameAndValue[1].strip();
            if (setting.equalsIgnoreCase("off")) {
                policies.remove(limit);
                continue;
            }
            String[] quotaAndWindow = setting.split("/", 2);
            if (quotaAndWindow.length != 2) {
                throw invalid(value, "'" + entry.strip() + "' has no window (quota/window, such as 120/1m)");
            }
            long quota;
            try {
                quota = Long.parseLong(quotaAndWindow[0].strip());
            } catch (NumberFormatException e) {
                throw invalid(value, "'" + quotaAndWindow[0].strip() + "' is not a whole number");
            }
            Duration window = Durations.parse(SETTING, quotaAndWindow[1], Duration.ofSeconds(1));
            if (quota < 1 || quota > 1_000_000_000L) {
                throw invalid(value, "a quota is 1 to 1000000000");
            }
            policies.put(limit, new Policy(limit, quota, Duration.ofSeconds(window.toSeconds())));
        }
        return new Policies(policies);
    }

    /** The policy of {@code limit}, unless that limit is off. */
    public Optional<Policy> of(Limit limit) {
        return Optional.ofNullable(inForce.get(limit));
    }

    @Override
    public String toString() {
        return inForce.isEmpty() ? "off" : String.join(", ", inForce.values().stream().map(Policy::toString).toList());
    }

    private static Limit limitNamed(String value, String name) {
        for (Limit limit : Limit.values()) {
            if (limit.label().equals(name.toLowerCase(Locale.ROOT))) {
                return limit;
            }
        }
        throw invalid(value, "'" + name + "' is no limit (writes, reads, invites, streams)");
    }

    private static IllegalArgumentException invalid(String value, String why) {
        return new IllegalArgumentException(SETTING + " is invalid (" + why + "): " + value);
    }
}
