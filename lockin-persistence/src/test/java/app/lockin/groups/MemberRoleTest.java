package app.lockin.groups;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemberRoleTest {

    @Test
    void ownersAndAdminsManageMembersPlainMembersDoNot() {
        assertThat(MemberRole.OWNER.managesMembers()).isTrue();
        assertThat(MemberRole.ADMIN.managesMembers()).isTrue();
        assertThat(MemberRole.MEMBER.managesMembers()).isFalse();
    }

    @Test
    void theOwnerManagesEveryoneAdminsOnlyPlainMembers() {
        for (MemberRole other : MemberRole.values()) {
            assertThat(MemberRole.OWNER.manages(other)).as("owner manages %s", other).isTrue();
            assertThat(MemberRole.MEMBER.manages(other)).as("member manages %s", other).isFalse();
        }
        assertThat(MemberRole.ADMIN.manages(MemberRole.MEMBER)).isTrue();
        assertThat(MemberRole.ADMIN.manages(MemberRole.ADMIN)).as("not other admins").isFalse();
        assertThat(MemberRole.ADMIN.manages(MemberRole.OWNER)).as("not the owner").isFalse();
    }
}
