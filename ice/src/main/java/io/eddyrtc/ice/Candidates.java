package io.eddyrtc.ice;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's local candidates (given by the caller, plus peer-reflexive ones learnt from answers) and
 * remote candidates (signalled, plus peer-reflexive ones learnt from checks), with the lookups the
 * receive path needs. What a peer can add is capped ({@link IceConfig#maxRemoteCandidates()},
 * {@link IceConfig#maxPeerReflexiveCandidates()}). Only bases pair (RFC 8445 §6.1.2.4: a server-reflexive
 * candidate pairs like its base), so {@link #isBase} tells which local candidates form pairs.
 */
final class Candidates {
    /** What became of a candidate offered to the set. */
    enum Outcome { ADDED, KNOWN, OVER_LIMIT }

    private final IceConfig config;
    private final List<Candidate> local = new ArrayList<>();
    private final List<Candidate> remote = new ArrayList<>();
    private int signalledRemote;
    private int learntRemote;
    private int learntLocal;

    Candidates(IceConfig config) {
        this.config = config;
    }

    static boolean isBase(Candidate c) {
        return c.type() == CandidateType.HOST || c.type() == CandidateType.RELAYED;
    }

    /** Adds a local candidate; false if one with the same address and base is already there. */
    boolean addLocal(Candidate candidate) {
        for (int i = 0; i < local.size(); i++) {
            Candidate c = local.get(i);
            if (c.address().equals(candidate.address()) && c.base().equals(candidate.base())) {
                return false;
            }
        }
        local.add(candidate);
        return true;
    }

    /** A local peer-reflexive candidate, from the mapped address in an answer to our check. */
    Outcome learnLocal(Candidate candidate) {
        if (hasLocalAddress(candidate.address())) {
            return Outcome.KNOWN;
        }
        if (learntLocal >= config.maxPeerReflexiveCandidates()) {
            return Outcome.OVER_LIMIT;
        }
        local.add(candidate);
        learntLocal++;
        return Outcome.ADDED;
    }

    /** A remote candidate from signalling (SDP or trickle). */
    Outcome addSignalled(Candidate candidate) {
        if (remoteByAddress(candidate.address()) != null) {
            return Outcome.KNOWN;
        }
        if (signalledRemote >= config.maxRemoteCandidates()) {
            return Outcome.OVER_LIMIT;
        }
        remote.add(candidate);
        signalledRemote++;
        return Outcome.ADDED;
    }

    /** A remote peer-reflexive candidate, from an authenticated check sent from an address we did not know. */
    Outcome learnRemote(Candidate candidate) {
        if (remoteByAddress(candidate.address()) != null) {
            return Outcome.KNOWN;
        }
        if (learntRemote >= config.maxPeerReflexiveCandidates()) {
            return Outcome.OVER_LIMIT;
        }
        remote.add(candidate);
        learntRemote++;
        return Outcome.ADDED;
    }

    int localCount() {
        return local.size();
    }

    Candidate local(int index) {
        return local.get(index);
    }

    int remoteCount() {
        return remote.size();
    }

    Candidate remote(int index) {
        return remote.get(index);
    }

    /** The base candidate (host or relayed) a datagram to {@code destination} arrived on, or null. */
    Candidate localByBase(InetSocketAddress destination) {
        for (int i = 0; i < local.size(); i++) {
            Candidate c = local.get(i);
            if (c.base().equals(destination)) {
                return isBase(c) ? c : baseFor(c.base());
            }
        }
        return null;
    }

    private Candidate baseFor(InetSocketAddress base) {
        for (int i = 0; i < local.size(); i++) {
            Candidate c = local.get(i);
            if (c.base().equals(base) && isBase(c)) {
                return c;
            }
        }
        return null;
    }

    boolean hasLocalAddress(InetSocketAddress address) {
        for (int i = 0; i < local.size(); i++) {
            if (local.get(i).address().equals(address)) {
                return true;
            }
        }
        return false;
    }

    Candidate remoteByAddress(InetSocketAddress address) {
        for (int i = 0, n = remote.size(); i < n; i++) {
            if (remote.get(i).address().equals(address)) {
                return remote.get(i);
            }
        }
        return null;
    }

    /** An ICE restart: the peer's candidates belong to the old generation. */
    void clearRemote() {
        remote.clear();
        signalledRemote = 0;
        learntRemote = 0;
    }

    List<Candidate> localSnapshot() {
        return List.copyOf(local);
    }

    List<Candidate> remoteSnapshot() {
        return List.copyOf(remote);
    }
}
