package app.lockin.groups;

/**
 * The stretch of time a group's target applies to, in the group's time zone
 * (the database computes the bounds: group_period_bounds).
 */
public enum Period {
    DAILY, WEEKLY
}
