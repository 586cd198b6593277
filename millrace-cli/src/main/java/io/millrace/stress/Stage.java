package io.millrace.stress;

import java.util.ArrayList;
import java.util.List;

/** One stage of a stress run: its name and the input rate it targets, in records per second. */
public record Stage(String name, double rate) {

    /** How much each stage past the listed ones raises the rate, with {@code --find-max}. */
    public static final double ESCALATION = 1.5;

    public Stage {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("stage " + name + ": the rate must be positive, got " + rate);
        }
    }

    /** Parses {@code name:rate,name:rate,...}, e.g. {@code baseline:100,low:1000}. */
    public static List<Stage> parse(String spec) {
        List<Stage> stages = new ArrayList<>();
        for (String part : spec.split(",")) {
            String[] nameRate = part.trim().split(":");
            if (nameRate.length != 2 || nameRate[0].isBlank()) {
                throw new IllegalArgumentException("--stages takes name:rate pairs separated by commas, e.g. "
                        + "baseline:100,low:1000; got '" + part.trim() + "'");
            }
            try {
                stages.add(new Stage(nameRate[0].trim(), Double.parseDouble(nameRate[1].trim())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--stages: '" + nameRate[1].trim() + "' is not a rate in records/s");
            }
        }
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("--stages lists no stage");
        }
        return stages;
    }

    /** The stage after this one when searching for the maximum: {@link #ESCALATION} times the rate. */
    public Stage escalate(int step) {
        return new Stage("max+" + step, Math.round(rate * ESCALATION));
    }
}
