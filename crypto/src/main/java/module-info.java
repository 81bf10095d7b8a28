/** SRTP/SRTCP and sans-I/O DTLS 1.3 and 1.2; {@code crypto.internal} and {@code crypto.dtls.internal} stay inside. */
@SuppressWarnings("requires-automatic") // Agrona 2.6 names its module in its manifest only (org.agrona)
module io.eddyrtc.crypto {
    requires transitive io.eddyrtc.buffers;
    requires org.agrona;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;

    exports io.eddyrtc.crypto.dtls;
    exports io.eddyrtc.crypto.srtp;
}
