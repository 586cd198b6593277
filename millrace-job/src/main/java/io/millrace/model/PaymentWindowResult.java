package io.millrace.model;

import java.math.BigDecimal;

/** The paid transactions of one window: their sum, their number and their exact mean (HALF_UP, 8 decimals). */
public record PaymentWindowResult(long windowStart, long windowEnd, long totalPaid, long totalTransactions,
        BigDecimal averageTransactionValue) {}
