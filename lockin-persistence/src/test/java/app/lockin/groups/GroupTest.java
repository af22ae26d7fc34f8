package app.lockin.groups;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class GroupTest {

    private static final Instant END = Instant.parse("2027-01-01T00:00:00Z");

    @Test
    void aNewGroupIsUtcAndDailyUnlessToldAndStartsWhenStoredWithoutAStart() {
        UUID owner = UUID.randomUUID();
        Group group = Group.create(owner, "  Deep work  ", "   ", null, END, null, null, 60);

        assertThat(group.id()).isNotNull();
        assertThat(group.ownerId()).isEqualTo(owner);
        assertThat(group.name()).as("trimmed").isEqualTo("Deep work");
        assertThat(group.description()).as("blank is none").isNull();
        assertThat(group.timezone()).isEqualTo("UTC");
        assertThat(group.period()).isEqualTo(Period.DAILY);
        assertThat(group.startAt()).as("the database's now, on insert").isNull();
        assertThat(group.periodTargetMinutes()).isEqualTo(60);
        assertThat(group.declaredTime()).as("declared time counts unless the group says otherwise")
                .isEqualTo(DeclaredTime.COUNTED);
    }

    @Test
    void changesAreNormalisedLikeANewGroup() {
        Group group = Group.create(UUID.randomUUID(), "A", "about", Instant.parse("2026-12-01T00:00:00Z"), END,
                "Europe/Paris", Period.WEEKLY, 600);

        group.change(" B ", " more ", END.plusSeconds(60), 900, DeclaredTime.NOT_COUNTED);

        assertThat(group.name()).isEqualTo("B");
        assertThat(group.description()).isEqualTo("more");
        assertThat(group.endAt()).isEqualTo(END.plusSeconds(60));
        assertThat(group.periodTargetMinutes()).isEqualTo(900);
        assertThat(group.declaredTime()).isEqualTo(DeclaredTime.NOT_COUNTED);
        assertThat(group.period()).as("the period never changes").isEqualTo(Period.WEEKLY);
        assertThat(group.timezone()).isEqualTo("Europe/Paris");
    }
}
