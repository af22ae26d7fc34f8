package app.lockin.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The default limit of open streams follows the heap (LOCKIN_MAX_STREAMS unset). */
class LiveStreamsTest {

    private static final long MIB = 1L << 20;

    @Test
    void theProductionHeapHoldsFifteenHundredStreams() {
        assertThat(LiveStreams.fittingInHeap(256 * MIB)).isEqualTo(1536);
    }

    @Test
    void tenThousandStreamsNeedAboutEightHundredMebibytes() {
        assertThat(LiveStreams.fittingInHeap(800 * MIB)).isEqualTo(10240);
        assertThat(LiveStreams.fittingInHeap(1024 * MIB)).isEqualTo(13824);
    }

    @Test
    void aSmallHeapStillTakesAHundred() {
        assertThat(LiveStreams.fittingInHeap(64 * MIB)).isEqualTo(100);
        assertThat(LiveStreams.fittingInHeap(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }
}
