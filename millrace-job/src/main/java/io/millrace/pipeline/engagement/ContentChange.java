package io.millrace.pipeline.engagement;

/**
 * One change of a {@code content} row as captured from the database, ordered by its commit time and its
 * position in the write-ahead log; a delete keeps only the id. A heartbeat carries no row: it says that
 * every change committed before {@code commitTs} has been delivered on its partition.
 *
 * @param lengthSeconds null for content without a length (newsletters, ebooks, whitepapers)
 */
public record ContentChange(String contentId, String slug, String title, String contentType, Integer lengthSeconds,
        boolean deleted, long commitTs, long lsn, boolean heartbeat) {

    public static ContentChange heartbeat(long commitTs) {
        return new ContentChange(null, null, null, null, null, false, commitTs, Long.MAX_VALUE, true);
    }

    /** True if this change comes before {@code (ts, position)} in commit order. */
    public boolean notAfter(long ts, long position) {
        return commitTs < ts || (commitTs == ts && lsn <= position);
    }
}
