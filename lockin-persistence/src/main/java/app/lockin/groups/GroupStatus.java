package app.lockin.groups;

import app.lockin.database.LowerCaseEnumConverter;

public enum GroupStatus {
    PENDING, ACTIVE, ARCHIVED;

    @jakarta.persistence.Converter
    public static class Column extends LowerCaseEnumConverter<GroupStatus> {
        public Column() {
            super(GroupStatus.class);
        }
    }
}
