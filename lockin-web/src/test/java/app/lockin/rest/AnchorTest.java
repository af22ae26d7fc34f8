package app.lockin.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.ws.rs.NotFoundException;

import org.junit.jupiter.api.Test;

/** The anchors answer only when a bench asks for them (LOCKIN_BENCH_ANCHORS=true). */
class AnchorTest {

    @Test
    void offByDefaultItIsNotFound() {
        assertThatThrownBy(() -> new Anchor().answer()).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> new Anchor(false).answer()).isInstanceOf(NotFoundException.class);
    }

    @Test
    void onItAnswersTheConstant() {
        assertThat(new Anchor(true).answer()).isEqualTo("{\"ok\":true}");
    }

    @Test
    void theBareApplicationListsTheAnchorAlone() {
        assertThat(new BareApi().getClasses()).containsExactly(Anchor.class);
    }
}
