package io.millrace.verify;

import java.util.ArrayList;
import java.util.List;

/** The comparison of one sink with its expectation, with a few examples of each kind of difference. */
public final class TableCheck {
    private static final int EXAMPLES = 5;

    private final String name;
    private long expected;
    private long actual;
    private long missing;
    private long extra;
    private long wrong;
    private long duplicated;
    private long pending;
    private final List<String> examples = new ArrayList<>();

    public TableCheck(String name) {
        this.name = name;
    }

    public void expected(long n) {
        expected = n;
    }

    public void actual(long n) {
        actual = n;
    }

    public void pending() {
        pending++;
    }

    public void missing(String what) {
        missing++;
        example("missing " + what);
    }

    public void extra(String what) {
        extra++;
        example("extra " + what);
    }

    public void wrong(String what) {
        wrong++;
        example("wrong " + what);
    }

    public void duplicated(String what) {
        duplicated++;
        example("duplicated " + what);
    }

    /** Adds duplicates found in bulk, with examples. */
    public void addDuplicated(long rows, java.util.List<String> found) {
        duplicated += rows;
        found.forEach(this::example);
    }

    /** Adds counts found in bulk (e.g. by SQL), with their examples. */
    public void add(long missingRows, long extraRows, long wrongRows, long pendingRows, java.util.List<String> found) {
        missing += missingRows;
        extra += extraRows;
        wrong += wrongRows;
        pending += pendingRows;
        found.forEach(this::example);
    }

    private void example(String text) {
        if (examples.size() < EXAMPLES * 3) {
            examples.add(text);
        }
    }

    public long differences() {
        return missing + extra + wrong + duplicated;
    }

    public String name() {
        return name;
    }

    public long expectedCount() {
        return expected;
    }

    public long actualCount() {
        return actual;
    }

    public long missingCount() {
        return missing;
    }

    public long extraCount() {
        return extra;
    }

    public long wrongCount() {
        return wrong;
    }

    public long duplicatedCount() {
        return duplicated;
    }

    public long pendingCount() {
        return pending;
    }

    public List<String> examples() {
        return examples;
    }
}
