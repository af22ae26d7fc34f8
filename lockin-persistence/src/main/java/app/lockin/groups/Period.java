package app.lockin.groups;

/** The stretch of time a group's target applies to, in the group's time zone. */
public enum Period {
    DAILY(1440), WEEKLY(10080);

    private final int minutes;

    Period(int minutes) {
        this.minutes = minutes;
    }

    /** The largest target a period can hold: its length in minutes. */
    public int maxTargetMinutes() {
        return minutes;
    }
}
