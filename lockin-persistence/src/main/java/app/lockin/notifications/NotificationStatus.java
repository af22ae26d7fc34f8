package app.lockin.notifications;

public enum NotificationStatus {
    PENDING, ACCEPTED, DECLINED, READ;
}
