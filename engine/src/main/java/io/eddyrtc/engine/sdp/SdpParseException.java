package io.eddyrtc.engine.sdp;

/**
 * The one exception peer-supplied SDP produces: the text does not parse, or the description it holds
 * cannot be negotiated (no fingerprint, mids that do not match the offer, ...). It names the 1-based line
 * at fault, or 0 when the problem concerns the description as a whole, and the problem. A session that
 * refuses a description with this exception is left exactly as it was.
 */
public final class SdpParseException extends RuntimeException {
    private final int line;
    private final String problem;

    public SdpParseException(int line, String problem) {
        super(line > 0 ? "SDP line " + line + ": " + problem : "SDP: " + problem);
        this.line = line;
        this.problem = problem;
    }

    /** The 1-based line number of the offending line, 0 if the whole description is at fault. */
    public int line() {
        return line;
    }

    /** What is wrong, without the line number. */
    public String problem() {
        return problem;
    }
}
