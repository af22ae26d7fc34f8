package app.lockin.notifications;

public enum NotificationKind {
    GROUP_INVITE, MILESTONE_MEMBER, MILESTONE_GROUP, SESSION_REMINDER, SESSION_AUTOPAUSED, LOG_VOIDED, GENERIC;
}
