package app.lockin.groups;

public enum GroupStatus {
    PENDING, ACTIVE, ARCHIVED;
}
