package io.millrace.stress;

/** Whether a stage's pipeline kept up with its input, and if not, who could not. */
public enum Verdict {
    /** The generator produced the target rate and the consumer lag did not grow. */
    KEPT_UP,
    /**
     * The consumer lag at the end of the stage was above two seconds of input and above its value mid-stage, or the
     * job read less than 90 % of what arrived in its input during the stage and more than a second of input was left.
     */
    FELL_BEHIND,
    /**
     * The generator itself produced less than 90 % of the target, and the job kept up with what it did produce: the
     * stage says nothing about the pipeline's limit.
     */
    GENERATOR_LIMITED;

    /** Below this share of the target the generator, not the pipeline, is the limit. */
    static final double GENERATOR_SHARE = 0.9;

    /** Lag worth this many seconds of the target rate is tolerated: a checkpoint interval's worth is normal. */
    static final double LAG_SECONDS = 2.0;

    /** Below this share of the input's arrival rate, what the job read means its backlog grew through the stage. */
    static final double READ_SHARE = 0.9;

    /**
     * The verdict on a stage that targeted {@code targetRate}, where the generator achieved {@code achievedRate}, the
     * input topic grew by {@code arrivalRate} and the job read {@code readRate} (negative: unknown), and the consumer
     * lag went as {@code lag} says. The read rate catches what the two-second tolerance hides at high rates: committed
     * offsets move only on checkpoints, and two seconds of a large rate is a large backlog.
     */
    public static Verdict decide(double targetRate, double achievedRate, double arrivalRate, double readRate,
            LagTrend lag) {
        // The pipeline first: a generator short of its target may still have produced more than the job could read.
        boolean lagGrew = lag.end() > LAG_SECONDS * achievedRate && lag.end() > lag.middle();
        // A read rate short of the arrivals counts only if a backlog of a second's input is left at the end: over a
        // short stage, a rate fitted to a few stale readings can fall short while the lag stays near zero.
        boolean readTooLittle = arrivalRate > 0 && readRate >= 0 && readRate < READ_SHARE * arrivalRate
                && lag.end() > achievedRate;
        if (lagGrew || readTooLittle) {
            return FELL_BEHIND;
        }
        return achievedRate < GENERATOR_SHARE * targetRate ? GENERATOR_LIMITED : KEPT_UP;
    }
}
