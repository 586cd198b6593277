package io.millrace.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The "keeps up" decision of a stress stage, and how the lag's sawtooth is read. */
class VerdictTest {

    private static final double RATE = 1000;

    /** A lag that climbs for {@code interval} seconds, drops to {@code floor} at each commit, for 15 s. */
    private static long[] sawtooth(long floor, long perSecond, int interval, long growthPerSecond) {
        long[] lag = new long[15];
        for (int s = 0; s < lag.length; s++) {
            lag[s] = floor + growthPerSecond * s + perSecond * (s % interval);
        }
        return lag;
    }

    @Test
    void shouldKeepUpWhenTheLagOnlyClimbsBetweenCheckpoints() {
        // Up to 5 s of input uncommitted before each checkpoint: peaks far above 2 s worth, troughs at zero.
        LagTrend lag = LagTrend.of(sawtooth(0, 1000, 5, 0), 7);
        assertThat(lag.max()).isEqualTo(4000);
        assertThat(Verdict.decide(RATE, 995, 995, 990, lag)).isEqualTo(Verdict.KEPT_UP);
    }

    @Test
    void shouldFallBehindWhenTheLagGrowsThroughTheStage() {
        LagTrend lag = LagTrend.of(sawtooth(0, 1000, 5, 600), 7);
        assertThat(lag.end()).isGreaterThan(lag.middle()).isGreaterThan((long) (2 * RATE));
        assertThat(Verdict.decide(RATE, 1000, 1000, 1000, lag)).isEqualTo(Verdict.FELL_BEHIND);
    }

    @Test
    void shouldKeepUpWhenALargeLagShrinks() {
        // Catching up on the previous stage's backlog: large but falling.
        long[] lag = new long[15];
        for (int s = 0; s < lag.length; s++) {
            lag[s] = 30_000 - 1_500L * s;
        }
        assertThat(Verdict.decide(RATE, 1000, 1000, 1100, LagTrend.of(lag, 7))).isEqualTo(Verdict.KEPT_UP);
    }

    @Test
    void shouldKeepUpWhenTheLagGrowsButStaysBelowTwoSecondsOfInput() {
        long[] lag = new long[15];
        for (int s = 0; s < lag.length; s++) {
            lag[s] = 100L * s;
        }
        assertThat(Verdict.decide(RATE, 1000, 1000, 995, LagTrend.of(lag, 3))).isEqualTo(Verdict.KEPT_UP);
    }

    @Test
    void shouldBlameTheGeneratorBelowNinetyPercentOfTheTarget() {
        assertThat(Verdict.decide(RATE, 899, 899, 899, LagTrend.of(new long[15], 7))).isEqualTo(Verdict.GENERATOR_LIMITED);
        assertThat(Verdict.decide(RATE, 901, 901, 901, LagTrend.of(new long[15], 7))).isEqualTo(Verdict.KEPT_UP);
    }

    @Test
    void shouldFallBehindWhenTheJobReadsLessThanNinetyPercentOfWhatArrived() {
        // At high rates two seconds of input hide a growing backlog; the read rate does not.
        long[] backlog = new long[15];
        Arrays.fill(backlog, 1_500);
        LagTrend oneAndAHalfSeconds = LagTrend.of(backlog, 7);
        assertThat(Verdict.decide(RATE, 1000, 1000, 899, oneAndAHalfSeconds)).isEqualTo(Verdict.FELL_BEHIND);
        assertThat(Verdict.decide(RATE, 1000, 1000, 901, oneAndAHalfSeconds)).isEqualTo(Verdict.KEPT_UP);
        assertThat(Verdict.decide(RATE, 1000, -1, -1, oneAndAHalfSeconds)).as("unknown rates decide nothing")
                .isEqualTo(Verdict.KEPT_UP);
        assertThat(Verdict.decide(RATE, 1000, 1000, 800, LagTrend.of(new long[15], 7)))
                .as("a short read rate with no backlog left is a stale reading, not falling behind")
                .isEqualTo(Verdict.KEPT_UP);
    }

    @Test
    void shouldBlameThePipelineWhenItFellBehindEvenAShortGenerator() {
        long[] backlog = new long[15];
        Arrays.fill(backlog, 5_000);
        assertThat(Verdict.decide(RATE, 800, 800, 500, LagTrend.of(backlog, 7))).isEqualTo(Verdict.FELL_BEHIND);
    }

    @Test
    void shouldIgnoreUnknownLagSamples() {
        LagTrend lag = LagTrend.of(new long[] {-1, 10, -1, 20, -1, 30}, 2);
        assertThat(lag.end()).isEqualTo(30);
        assertThat(lag.max()).isEqualTo(30);
    }

    @Test
    void shouldParseStagesAndEscalateByHalf() {
        List<Stage> stages = Stage.parse("baseline:100, low:1000");
        assertThat(stages).containsExactly(new Stage("baseline", 100), new Stage("low", 1000));
        assertThat(stages.get(1).escalate(1)).isEqualTo(new Stage("max+1", 1500));
        assertThatThrownBy(() -> Stage.parse("fast")).hasMessageContaining("name:rate");
        assertThatThrownBy(() -> Stage.parse("x:-5")).hasMessageContaining("positive");
    }
}
