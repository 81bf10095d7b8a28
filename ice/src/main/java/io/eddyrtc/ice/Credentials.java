package io.eddyrtc.ice;

import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;

/**
 * Our ice-ufrag and ice-pwd and the peer's (RFC 8445 §5.3, RFC 8839 §5.4). Ours authenticate the
 * checks we answer; the peer's sign the checks we send. Kept as bytes, as STUN needs them.
 */
final class Credentials {
    private static final byte[] ICE_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);

    private byte[] localUfrag;
    private byte[] localPwd;
    private byte[] remoteUfrag;
    private byte[] remotePwd;

    /** New random local credentials: 8 ice-chars of ufrag (48 bits), 24 of password (144 bits). */
    void generateLocal(RandomGenerator secrets) {
        localUfrag = randomIceString(secrets, 8);
        localPwd = randomIceString(secrets, 24);
    }

    private static byte[] randomIceString(RandomGenerator secrets, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = ICE_CHARS[secrets.nextInt(ICE_CHARS.length)];
        }
        return b;
    }

    void setLocal(String ufrag, String pwd) {
        check(ufrag, pwd);
        localUfrag = ufrag.getBytes(StandardCharsets.UTF_8);
        localPwd = pwd.getBytes(StandardCharsets.UTF_8);
    }

    void setRemote(String ufrag, String pwd) {
        check(ufrag, pwd);
        remoteUfrag = ufrag.getBytes(StandardCharsets.UTF_8);
        remotePwd = pwd.getBytes(StandardCharsets.UTF_8);
    }

    /** An ICE restart: the peer's credentials belong to the old generation. */
    void forgetRemote() {
        remoteUfrag = null;
        remotePwd = null;
    }

    private static void check(String ufrag, String pwd) {
        if (ufrag == null || pwd == null || ufrag.length() < 4 || pwd.length() < 22 || ufrag.indexOf(':') >= 0) {
            throw new IllegalArgumentException("ICE ufrag needs >= 4 chars without ':' and pwd >= 22 chars "
                    + "(RFC 8839 §5.4); use the values from the peer's SDP");
        }
    }

    boolean hasRemote() {
        return remotePwd != null;
    }

    byte[] localUfrag() {
        return localUfrag;
    }

    byte[] localPwd() {
        return localPwd;
    }

    /** Null until {@link #setRemote}. */
    byte[] remoteUfrag() {
        return remoteUfrag;
    }

    /** Null until {@link #setRemote}. */
    byte[] remotePwd() {
        return remotePwd;
    }
}
