package io.eddyrtc.examples.hostile;

/** A real browser call on the server under attack; a test checks that it still flows after each attack. */
interface LegitimateCall {
    /** The peers on the server's loop that belong to this call. */
    int members();

    /** Waits, with a generous bound, until media and data are seen flowing now; fails naming what stalled and when. */
    void assertFlowing(String moment) throws Exception;
}
