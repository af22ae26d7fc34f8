package app.lockin.groups;

/** What a member may do in a group: the owner everything, admins manage members, members focus. */
public enum MemberRole {
    OWNER, ADMIN, MEMBER;

    /** Owners and admins add members and send invites. */
    public boolean managesMembers() {
        return this != MEMBER;
    }

    /** Whether someone of this role may change or remove a member of {@code other} role: admins only plain members. */
    public boolean manages(MemberRole other) {
        return this == OWNER || this == ADMIN && other == MEMBER;
    }
}
