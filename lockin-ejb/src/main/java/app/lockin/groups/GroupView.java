package app.lockin.groups;

/** A group as one of its members sees it: with their role and the number of members. */
public record GroupView(Group group, MemberRole myRole, long memberCount) {
}
