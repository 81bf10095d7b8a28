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
}
