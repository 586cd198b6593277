package io.millrace.pipeline.engagement;

import java.math.BigDecimal;

/** Running totals of one minute of events: how many, how many had a share, and the sum of the shares. */
public record MinuteTotals(long events, long eventsWithShare, BigDecimal shareSum) {

    public static final MinuteTotals EMPTY = new MinuteTotals(0, 0, BigDecimal.ZERO);

    public MinuteTotals add(BigDecimal share) {
        return share == null ? new MinuteTotals(events + 1, eventsWithShare, shareSum)
                : new MinuteTotals(events + 1, eventsWithShare + 1, shareSum.add(share));
    }

    public MinuteTotals merge(MinuteTotals other) {
        return new MinuteTotals(events + other.events, eventsWithShare + other.eventsWithShare, shareSum.add(other.shareSum));
    }
}
