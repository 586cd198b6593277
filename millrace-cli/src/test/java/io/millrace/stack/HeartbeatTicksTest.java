package io.millrace.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When heartbeat ticks become due, and which WAL positions the change stream proves processed. */
class HeartbeatTicksTest {

    private static final long T0 = 1_000_000L;
    private static final long ONE_SECOND_LATER = T0 + 1_000;

    private static HeartbeatTicks.Reading idle(long lsn) {
        return new HeartbeatTicks.Reading(720, 720, Set.of(), lsn);
    }

    private static HeartbeatTicks.Reading running(long lsn, Long... xids) {
        return new HeartbeatTicks.Reading(700, 710, Set.of(xids), lsn);
    }

    @Test
    void shouldNotBeDueBeforeTheStreamReachesItsPosition() {
        HeartbeatTicks ticks = new HeartbeatTicks(10);
        ticks.add(T0, idle(500));

        assertThat(ticks.due(499)).isEmpty();
        assertThat(ticks.due(500)).contains(new HeartbeatTicks.Tick(T0, 500));
        assertThat(ticks.size()).isZero();
    }

    @Test
    void shouldEmitOnlyTheNewestReachedTickAndDropTheOlderOnes() {
        HeartbeatTicks ticks = new HeartbeatTicks(10);
        ticks.add(T0, idle(500));
        ticks.add(ONE_SECOND_LATER, idle(600));
        ticks.add(ONE_SECOND_LATER + 1_000, idle(700));

        assertThat(ticks.due(650)).contains(new HeartbeatTicks.Tick(ONE_SECOND_LATER, 600));
        assertThat(ticks.size()).isOne();
        assertThat(ticks.due(650)).isEmpty();
    }

    @Test
    void shouldWaitForTransactionsThatWereCommittingAndCoverTheirCommits() {
        HeartbeatTicks ticks = new HeartbeatTicks(10);
        ticks.add(T0, running(500, 705L));
        assertThat(ticks.due(10_000)).as("705 may have a commit time before T0 and no WAL yet").isEmpty();

        ticks.recheck(idle(540));

        assertThat(ticks.due(539)).isEmpty();
        assertThat(ticks.due(540)).contains(new HeartbeatTicks.Tick(T0, 540));
    }

    @Test
    void shouldStopWaitingForALongTransactionAfterOneTick() {
        HeartbeatTicks ticks = new HeartbeatTicks(10);
        ticks.add(T0, running(500, 705L));
        ticks.recheck(running(510, 705L));
        assertThat(ticks.due(10_000)).isEmpty();

        ticks.add(ONE_SECOND_LATER, running(600, 705L));

        assertThat(ticks.due(500)).contains(new HeartbeatTicks.Tick(T0, 500));
    }

    @Test
    void shouldPreferANewerDueTickOverAnOlderOneStillWaiting() {
        HeartbeatTicks ticks = new HeartbeatTicks(10);
        ticks.add(T0, running(500, 705L));
        ticks.recheck(running(510, 705L));
        ticks.add(ONE_SECOND_LATER, idle(600));

        assertThat(ticks.due(600)).contains(new HeartbeatTicks.Tick(ONE_SECOND_LATER, 600));
        assertThat(ticks.size()).isZero();
    }

    @Test
    void shouldKeepOnlyTheNewestTicksWhileTheStreamIsBehind() {
        HeartbeatTicks ticks = new HeartbeatTicks(2);
        ticks.add(T0, idle(500));
        ticks.add(T0 + 1, idle(501));
        ticks.add(T0 + 2, idle(502));

        assertThat(ticks.size()).isEqualTo(2);
        assertThat(ticks.due(500)).isEmpty();
        assertThat(ticks.due(502)).contains(new HeartbeatTicks.Tick(T0 + 2, 502));
    }

    @Test
    void shouldParsePostgresSnapshots() {
        HeartbeatTicks.Reading reading = HeartbeatTicks.Reading.of("750:760:752,755", 42);

        assertThat(reading.inProgress()).containsExactlyInAnyOrder(752L, 755L);
        assertThat(reading.finished(749)).isTrue();
        assertThat(reading.finished(752)).isFalse();
        assertThat(reading.finished(753)).isTrue();
        assertThat(HeartbeatTicks.Reading.of("750:750:", 42).inProgress()).isEmpty();
        assertThatThrownBy(() -> HeartbeatTicks.Reading.of("750", 42)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldCountSnapshotPositionsOnlyOnceTheSnapshotIsComplete() {
        assertThat(ChangeForwarder.streamedLsn(Map.of("lsn", 100L, "snapshot", "INITIAL", "snapshot_completed", false)))
                .isEqualTo(-1);
        assertThat(ChangeForwarder.streamedLsn(Map.of("lsn", 100L, "snapshot", "INITIAL", "snapshot_completed", true)))
                .isEqualTo(100);
        assertThat(ChangeForwarder.streamedLsn(Map.of("lsn", 200L, "lsn_commit", 200L, "txId", 7L))).isEqualTo(200);
        assertThat(ChangeForwarder.streamedLsn(Map.of("txId", 7L))).isEqualTo(-1);
        assertThat(Optional.ofNullable(ChangeForwarder.streamedLsn(null))).contains(-1L);
    }

    @Test
    void shouldReadHostPortAndDatabaseFromTheJdbcUrl() {
        assertThat(ChangeDataCapture.jdbcTarget("jdbc:postgresql://127.0.0.1:15432/shop?sslmode=require"))
                .satisfies(uri -> {
                    assertThat(uri.getHost()).isEqualTo("127.0.0.1");
                    assertThat(uri.getPort()).isEqualTo(15432);
                    assertThat(uri.getPath()).isEqualTo("/shop");
                });
        assertThatThrownBy(() -> ChangeDataCapture.jdbcTarget("jdbc:mysql://localhost/shop"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ChangeDataCapture.quoteIdentifier("odd\"name")).isEqualTo("\"odd\"\"name\"");
    }
}
