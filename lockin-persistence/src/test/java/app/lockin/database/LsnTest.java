package app.lockin.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LsnTest {

    @Test
    void readsAndWritesPostgresqlsForm() {
        Lsn lsn = Lsn.parse("16/B374D848");
        assertThat(lsn.value()).isEqualTo(0x16B374D848L);
        assertThat(lsn).hasToString("16/B374D848");
        assertThat(Lsn.parse("0/0")).hasToString("0/0");
        assertThat(Lsn.parse(" ffffffff/ffffffff ")).hasToString("FFFFFFFF/FFFFFFFF");
    }

    @Test
    void ordersAsTheLogDoes() {
        Lsn early = Lsn.parse("0/FFFFFFFF");
        Lsn late = Lsn.parse("1/0");
        assertThat(late.isAfter(early)).isTrue();
        assertThat(early.isAfter(late)).isFalse();
        assertThat(Lsn.parse("FFFFFFFF/0").isAfter(late)).as("unsigned").isTrue();
        assertThat(Lsn.later(early, late)).isEqualTo(late);
        assertThat(Lsn.later(null, early)).isEqualTo(early);
        assertThat(Lsn.later(early, null)).isEqualTo(early);
    }

    @Test
    void refusesWhatIsNotAPosition() {
        for (String bad : new String[] {null, "", "16", "16/", "/1", "1/2/3", "G/1", "123456789/1", "-1/1", "1 /1", "1/1;drop"}) {
            assertThatThrownBy(() -> Lsn.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a WAL position");
        }
    }
}
