package io.eddyrtc.ice;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * RFC 8445 §7.2.5.3.1: the mapped address in an answer to our check ({@code length} bytes of {@code ip},
     * and {@code port}), when none of our candidates has it, is a local peer-reflexive candidate: we are
     * behind a NAT the peer sees. It is recorded, not signalled; checks keep leaving from {@code base}.
     */
    Outcome learnLocal(byte[] ip, int length, int port, Candidate base) {
        if (length != 4 && length != 16) {
            return Outcome.KNOWN; // no usable address: nothing to learn
        }
        InetSocketAddress mapped;
        try {
            mapped = new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOf(ip, length)), port);
        } catch (UnknownHostException impossible) {
            return Outcome.KNOWN;
        }
        Outcome o = admit(hasLocalAddress(mapped), learntLocal, config.maxPeerReflexiveCandidates());
        if (o == Outcome.ADDED) {
            local.add(Candidate.localPeerReflexive(mapped, base));
            learntLocal++;
        }
        return o;
    }

    /** A remote candidate from signalling (SDP or trickle). */
    Outcome addSignalled(Candidate candidate) {
        Outcome o = admit(remoteByAddress(candidate.address(), candidate.transport()) != null, signalledRemote,
                config.maxRemoteCandidates());
        if (o == Outcome.ADDED) {
            remote.add(candidate);
            signalledRemote++;
        }
        return o;
    }

    /** A remote peer-reflexive candidate, from an authenticated check sent from an address we did not know. */
    Outcome learnRemote(Candidate candidate) {
        Outcome o = admit(remoteByAddress(candidate.address(), candidate.transport()) != null, learntRemote,
                config.maxPeerReflexiveCandidates());
        if (o == Outcome.ADDED) {
            remote.add(candidate);
            learntRemote++;
        }
        return o;
    }

    private static Outcome admit(boolean known, int held, int cap) {
        return known ? Outcome.KNOWN : held >= cap ? Outcome.OVER_LIMIT : Outcome.ADDED;
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

    /** The base candidate (host or relayed) of {@code protocol} a datagram to {@code destination} arrived on, or null. */
    Candidate localByBase(InetSocketAddress destination, TransportProtocol protocol) {
        for (int i = 0; i < local.size(); i++) {
            Candidate c = local.get(i);
            if (c.base().equals(destination) && c.transport() == protocol) {
                return isBase(c) ? c : baseFor(c.base(), protocol);
            }
        }
        return null;
    }

    private Candidate baseFor(InetSocketAddress base, TransportProtocol protocol) {
        for (int i = 0; i < local.size(); i++) {
            Candidate c = local.get(i);
            if (c.base().equals(base) && c.transport() == protocol && isBase(c)) {
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

    /** A remote candidate at {@code address}, of any transport (for routing a datagram to its peer). */
    Candidate remoteByAddress(InetSocketAddress address) {
        for (int i = 0, n = remote.size(); i < n; i++) {
            if (remote.get(i).address().equals(address)) {
                return remote.get(i);
            }
        }
        return null;
    }

    Candidate remoteByAddress(InetSocketAddress address, TransportProtocol protocol) {
        for (int i = 0, n = remote.size(); i < n; i++) {
            Candidate c = remote.get(i);
            if (c.address().equals(address) && c.transport() == protocol) {
                return c;
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
