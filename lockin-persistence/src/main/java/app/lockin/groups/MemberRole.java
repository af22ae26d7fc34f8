package app.lockin.groups;

import app.lockin.database.LowerCaseEnumConverter;

public enum MemberRole {
    OWNER, ADMIN, MEMBER;

    /** Owners and admins manage members and invites. */
    public boolean managesMembers() {
        return this != MEMBER;
    }

    @jakarta.persistence.Converter
    public static class Column extends LowerCaseEnumConverter<MemberRole> {
        public Column() {
            super(MemberRole.class);
        }
    }
}
