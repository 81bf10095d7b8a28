package io.eddyrtc.ice;

/** What the agent tells its owner, polled with {@link IceAgent#pollEvent()}. Rare; records are fine. */
public sealed interface IceEvent {
    /** The connection state changed. */
    record StateChanged(IceConnectionState previous, IceConnectionState state) implements IceEvent {}

    /** Application data should now go from {@code local}'s base to {@code remote}'s address. */
    record SelectedPairChanged(Candidate local, Candidate remote) implements IceEvent {}

    /** A check arrived from an address no remote candidate has; it became this peer-reflexive candidate. */
    record NewPeerReflexiveCandidate(Candidate candidate) implements IceEvent {}

    /** Role conflict resolution (RFC 8445 §7.3.1.1) switched our role. */
    record RoleChanged(boolean controlling) implements IceEvent {}

    /**
     * The agent gathered a local candidate of its own: a relayed one from a TURN allocation (or the server-reflexive
     * address the server saw). Signal it to the peer (trickle), as {@link Candidate#toSdpString()} writes it.
     */
    record CandidateGathered(Candidate candidate) implements IceEvent {}

    /**
     * A TURN allocation on {@code server} failed or was lost: refused credentials, no answer, an error the server
     * gave, or a refresh that never got through. Its relayed candidate, if there was one, is of no more use.
     */
    record RelayFailed(TurnServer server, String reason) implements IceEvent {}

    /**
     * A remote candidate names {@code hostname}, an mDNS name ({@code <uuid>.local}): resolve it (RFC 6762) and
     * answer with {@link IceAgent#mdnsResolved}, or {@link IceAgent#mdnsUnresolvable} when it cannot be. The agent
     * asks once per name.
     */
    record ResolveMdns(String hostname) implements IceEvent {}
}
