package io.eddyrtc.crypto.srtp;

import java.util.Arrays;

/**
 * The SRTP master keys and salts for both directions of one DTLS-SRTP association, as the DTLS
 * exporter ("EXTRACTOR-dtls_srtp", RFC 5764 §4.2) produces them.
 *
 * <p>The exporter's output is {@code client_write_key | server_write_key | client_write_salt |
 * server_write_salt}; the DTLS client sends with the client key and salt, the server with the server's.
 * <p>The arrays are the record's own copies, and wiping them is the holder's job: call {@link #destroy()} once
 * the SRTP contexts are made from them ({@code SrtpSession.create} copies what it needs). The accessors
 * return those same arrays, not copies, so that {@code destroy()} reaches every copy handed out.
 */
public record SrtpKeyingMaterial(SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey, byte[] remoteSalt) {

    public SrtpKeyingMaterial {
        if (localKey.length != profile.masterKeyLength() || remoteKey.length != profile.masterKeyLength()
                || localSalt.length != profile.masterSaltLength() || remoteSalt.length != profile.masterSaltLength()) {
            throw new IllegalArgumentException("key/salt lengths do not match " + profile);
        }
        localKey = localKey.clone();
        localSalt = localSalt.clone();
        remoteKey = remoteKey.clone();
        remoteSalt = remoteSalt.clone();
    }

    /** How many exporter bytes {@code profile} needs: two keys and two salts. */
    public static int exporterLength(SrtpProfile profile) {
        return 2 * (profile.masterKeyLength() + profile.masterSaltLength());
    }

    /**
     * Splits the exporter output for the side that was DTLS client ({@code isClient}) or server.
     */
    public static SrtpKeyingMaterial fromExporter(SrtpProfile profile, byte[] exported, boolean isClient) {
        int k = profile.masterKeyLength();
        int s = profile.masterSaltLength();
        if (exported.length != exporterLength(profile)) {
            throw new IllegalArgumentException("exporter output for " + profile + " must be " + exporterLength(profile) + " bytes, was " + exported.length);
        }
        byte[] clientKey = Arrays.copyOfRange(exported, 0, k);
        byte[] serverKey = Arrays.copyOfRange(exported, k, 2 * k);
        byte[] clientSalt = Arrays.copyOfRange(exported, 2 * k, 2 * k + s);
        byte[] serverSalt = Arrays.copyOfRange(exported, 2 * k + s, 2 * k + 2 * s);
        try {
            return isClient
                    ? new SrtpKeyingMaterial(profile, clientKey, clientSalt, serverKey, serverSalt)
                    : new SrtpKeyingMaterial(profile, serverKey, serverSalt, clientKey, clientSalt);
        } finally {
            for (byte[] part : new byte[][] {clientKey, serverKey, clientSalt, serverSalt}) {
                Arrays.fill(part, (byte) 0); // the record keeps its own copies
            }
        }
    }

    /** Zeroes the key bytes held by this record. */
    public void destroy() {
        Arrays.fill(localKey, (byte) 0);
        Arrays.fill(localSalt, (byte) 0);
        Arrays.fill(remoteKey, (byte) 0);
        Arrays.fill(remoteSalt, (byte) 0);
    }

    @Override
    public String toString() {
        return "SrtpKeyingMaterial[" + profile + ", keys hidden]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SrtpKeyingMaterial m && profile == m.profile && Arrays.equals(localKey, m.localKey)
                && Arrays.equals(localSalt, m.localSalt) && Arrays.equals(remoteKey, m.remoteKey) && Arrays.equals(remoteSalt, m.remoteSalt);
    }

    @Override
    public int hashCode() {
        return profile.hashCode() * 31 + Arrays.hashCode(localKey);
    }
}
