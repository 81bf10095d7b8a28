package io.eddyrtc.buffers.testkit;

/**
 * Bursty loss: a two-state Markov chain (Gilbert–Elliott). Each packet first moves the link between the
 * good and bad state with the given transition probabilities, then is lost with that state's loss
 * probability. The long-run loss rate is {@link #meanLoss()}; the mean burst (bad-state) length is
 * {@code 1 / pBadToGood} packets.
 */
public record GilbertElliott(double pGoodToBad, double pBadToGood, double lossInGood, double lossInBad) {
    public GilbertElliott {
        for (double p : new double[] {pGoodToBad, pBadToGood, lossInGood, lossInBad}) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("probabilities must be in [0, 1]: " + p);
            }
        }
        if (pGoodToBad > 0 && pBadToGood == 0) {
            throw new IllegalArgumentException("pBadToGood must be > 0 or the link stays bad forever");
        }
    }

    /** Bursts that lose everything, {@code meanBurst} packets long on average, with overall loss {@code loss}. */
    public static GilbertElliott bursts(double loss, double meanBurst) {
        double pBadToGood = 1 / meanBurst;
        double pGoodToBad = loss * pBadToGood / (1 - loss);
        return new GilbertElliott(pGoodToBad, pBadToGood, 0, 1);
    }

    /** The stationary loss probability. */
    public double meanLoss() {
        double total = pGoodToBad + pBadToGood;
        if (total == 0) {
            return lossInGood;
        }
        double bad = pGoodToBad / total;
        return bad * lossInBad + (1 - bad) * lossInGood;
    }
}
