package io.millrace.stress;

/** Whether a stage's pipeline kept up with its input, and if not, who could not. */
public enum Verdict {
    /** The generator produced the target rate and the consumer lag did not grow. */
    KEPT_UP,
    /** The consumer lag at the end of the stage was above two seconds of input and above its value mid-stage. */
    FELL_BEHIND,
    /** The generator itself produced less than 90 % of the target: the stage says nothing about the pipeline. */
    GENERATOR_LIMITED;

    /** Below this share of the target the generator, not the pipeline, is the limit. */
    static final double GENERATOR_SHARE = 0.9;

    /** Lag worth this many seconds of the target rate is tolerated: a checkpoint interval's worth is normal. */
    static final double LAG_SECONDS = 2.0;

    /**
     * The verdict on a stage that targeted {@code targetRate}, where the generator achieved {@code achievedRate}
     * and the consumer lag went as {@code lag} says.
     */
    public static Verdict decide(double targetRate, double achievedRate, LagTrend lag) {
        if (achievedRate < GENERATOR_SHARE * targetRate) {
            return GENERATOR_LIMITED;
        }
        return lag.end() > LAG_SECONDS * targetRate && lag.end() > lag.middle() ? FELL_BEHIND : KEPT_UP;
    }
}
