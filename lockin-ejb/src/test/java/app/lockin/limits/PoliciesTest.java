package app.lockin.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** LOCKIN_RATE_LIMITS as operators write it, and the headers a policy makes. */
class PoliciesTest {

    @Test
    void unsetMeansTheDefaultsOfApiMd() {
        Policies policies = Policies.parse(null);
        assertThat(policies.of(Limit.WRITES)).contains(new Policy(Limit.WRITES, 120, Duration.ofMinutes(1)));
        assertThat(policies.of(Limit.READS)).contains(new Policy(Limit.READS, 600, Duration.ofMinutes(1)));
        assertThat(policies.of(Limit.INVITES)).contains(new Policy(Limit.INVITES, 30, Duration.ofHours(1)));
        assertThat(policies.of(Limit.STREAMS)).contains(new Policy(Limit.STREAMS, 10, Duration.ofHours(1)));
        assertThat(Policies.parse("  ").toString()).isEqualTo("writes=120/60s, reads=600/60s, invites=30/3600s, streams=10/3600s");
    }

    @Test
    void eachNamedLimitReplacesItsDefaultAndTheOthersStay() {
        Policies policies = Policies.parse(" writes = 300/30s , streams=off, INVITES=50/PT2H ");
        assertThat(policies.of(Limit.WRITES)).contains(new Policy(Limit.WRITES, 300, Duration.ofSeconds(30)));
        assertThat(policies.of(Limit.READS)).contains(new Policy(Limit.READS, 600, Duration.ofMinutes(1)));
        assertThat(policies.of(Limit.INVITES)).contains(new Policy(Limit.INVITES, 50, Duration.ofHours(2)));
        assertThat(policies.of(Limit.STREAMS)).isEmpty();
    }

    @Test
    void readsAloneAreCountedInBatchesOfATwentiethOfTheQuotaAndAtMostThreeSeconds() {
        assertThat(new Policy(Limit.READS, 600, Duration.ofMinutes(1)).batch()).hasValueSatisfying(batch -> {
            assertThat(batch.maxUnsynchronizedTokens).isEqualTo(30);
            assertThat(batch.maxUnsynchronizedTimeoutNanos).isEqualTo(Duration.ofSeconds(3).toNanos());
        });
        assertThat(new Policy(Limit.READS, 1_000_000, Duration.ofMinutes(1)).batch())
                .hasValueSatisfying(batch -> assertThat(batch.maxUnsynchronizedTokens).isEqualTo(50_000));
        // under 20 a minute: exact, a bucket transaction per read
        assertThat(new Policy(Limit.READS, 19, Duration.ofMinutes(1)).batch()).isEmpty();
        assertThat(new Policy(Limit.READS, 20, Duration.ofMinutes(1)).batch()).isPresent();
        // writes, invites and streams: always exact
        for (Limit exact : new Limit[] {Limit.WRITES, Limit.INVITES, Limit.STREAMS}) {
            assertThat(new Policy(exact, 1_000_000, Duration.ofMinutes(1)).batch()).as(exact.label()).isEmpty();
        }
    }

    @Test
    void readsAreSetLikeTheOthers() {
        assertThat(Policies.parse("reads=5/1m").of(Limit.READS)).contains(new Policy(Limit.READS, 5, Duration.ofMinutes(1)));
        assertThat(Policies.parse("reads=off").of(Limit.READS)).isEmpty();
        assertThat(Policies.parse("reads=off").of(Limit.WRITES)).isPresent();
        assertThat(new Policy(Limit.READS, 600, Duration.ofMinutes(1)).header()).isEqualTo("\"reads\";q=600;w=60");
    }

    @Test
    void offTurnsEveryLimitOff() {
        Policies policies = Policies.parse("OFF");
        for (Limit limit : Limit.values()) {
            assertThat(policies.of(limit)).isEmpty();
        }
        assertThat(policies.toString()).isEqualTo("off");
    }

    @Test
    void anythingElseStopsTheDeploymentNamingTheSetting() {
        for (String wrong : new String[] {"writes", "writes=120", "read=10/1m", "writes=0/1m", "writes=-1/1m",
                "writes=ten/1m", "writes=10/0s", "writes=10/soon", "writes=2000000000/1m"}) {
            assertThatThrownBy(() -> Policies.parse(wrong)).as(wrong)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("LOCKIN_RATE_LIMITS");
        }
    }

    @Test
    void headersFollowTheIetfDraft() {
        Policy writes = new Policy(Limit.WRITES, 120, Duration.ofMinutes(1));
        assertThat(writes.header()).isEqualTo("\"writes\";q=120;w=60");
        assertThat(new Allowance(writes, 119, 1).header()).isEqualTo("\"writes\";r=119;t=1");
    }

    @Test
    void aChangedSettingUsesOtherBuckets() {
        UUID caller = UUID.randomUUID();
        assertThat(new Policy(Limit.WRITES, 120, Duration.ofMinutes(1)).bucketKey(caller))
                .isNotEqualTo(new Policy(Limit.WRITES, 240, Duration.ofMinutes(1)).bucketKey(caller))
                .isNotEqualTo(new Policy(Limit.WRITES, 120, Duration.ofMinutes(2)).bucketKey(caller))
                .isEqualTo("writes/120/60/" + caller);
    }
}
