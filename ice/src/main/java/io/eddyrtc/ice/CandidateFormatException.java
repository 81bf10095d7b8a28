package io.eddyrtc.ice;

/** An {@code a=candidate} line that cannot be understood; the message says which field and why. */
public final class CandidateFormatException extends IllegalArgumentException {
    public CandidateFormatException(String message) {
        super(message);
    }
}
