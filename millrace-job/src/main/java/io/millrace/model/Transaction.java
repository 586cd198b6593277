package io.millrace.model;

/** One payment attempt from the {@code transactions} topic; {@code eventTime} is epoch ms. */
public record Transaction(String transactionId, String userId, long totalPaid, String status, long eventTime,
        int partition) {

    public static final String PAID = "Paid";
    public static final String REFUSED = "Refused";
}
