package io.eddyrtc.engine.bwe;

/** What the delay-based detector makes of the path: queues steady, growing (we send too much) or draining. */
public enum BandwidthUsage {
    /** Delay steady: the path carries what we send. */
    NORMAL,
    /** Delay growing: a queue builds, we send more than the path carries. */
    OVERUSING,
    /** Delay shrinking: a queue drains. */
    UNDERUSING
}
