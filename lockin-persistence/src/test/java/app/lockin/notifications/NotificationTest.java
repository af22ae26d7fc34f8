package app.lockin.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import app.lockin.groups.Group;
import app.lockin.groups.Period;
import app.lockin.rules.Conflict;

class NotificationTest {

    private static Notification invite() {
        Group group = Group.create(UUID.randomUUID(), "Deep work", null, null, Instant.parse("2027-01-01T00:00:00Z"),
                null, Period.DAILY, 60);
        return Notification.invite(group, UUID.randomUUID(), group.ownerId(), "Ann");
    }

    @Test
    void anInviteIsPendingAndNamesTheGroupAndWhoInvites() {
        Notification invite = invite();

        assertThat(invite.kind()).isEqualTo(NotificationKind.GROUP_INVITE);
        assertThat(invite.status()).isEqualTo(NotificationStatus.PENDING);
        assertThat(invite.title()).isEqualTo("Invitation to Deep work");
        assertThat(invite.body()).isEqualTo("Ann invites you to join Deep work.");
        assertThat(invite.readAt()).isNull();
    }

    @Test
    void anInviteIsAnsweredOnceAndAnsweringReadsIt() {
        Notification invite = invite();

        invite.accept();

        assertThat(invite.status()).isEqualTo(NotificationStatus.ACCEPTED);
        assertThat(invite.readAt()).as("stamped by the database when stored").isNotNull();
        assertThatThrownBy(invite::decline).isInstanceOf(Conflict.class).hasMessageContaining("already accepted");
        assertThatThrownBy(invite::accept).isInstanceOf(Conflict.class);
    }

    @Test
    void onlyTheRecipientIsAddressed() {
        Notification invite = invite();

        assertThat(invite.isFor(invite.recipientId())).isTrue();
        assertThat(invite.isFor(UUID.randomUUID())).isFalse();
    }
}
