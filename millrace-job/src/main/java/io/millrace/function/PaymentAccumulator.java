package io.millrace.function;

/** Sum and number of the paid transactions of one window. */
public record PaymentAccumulator(long totalPaid, long count) {}
