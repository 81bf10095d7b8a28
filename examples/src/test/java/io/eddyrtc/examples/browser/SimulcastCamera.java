package io.eddyrtc.examples.browser;

import com.microsoft.playwright.Page;

/**
 * A page that sends its (fake) camera as three simulcast layers (rids q, h, f: a quarter, half and the full
 * 960×540, the smallest size libwebrtc sends three layers of, at about half the encoding cost of 1280×720).
 */
public final class SimulcastCamera {
    private SimulcastCamera() {
    }

    /**
     * Keeps Chromium from trading resolution for CPU: under CPU overuse its encoder scales the camera down, and
     * below 960×540 libwebrtc's simulcast table (kSimulcastFormatsVP8: 960×540 three layers, 640×360 two)
     * drops the top layer. With resolution held, overuse costs frame rate instead, and all three layers stay.
     * Chromium takes {@code maintain-framerate-and-resolution} (no adaptation at all) where it knows it, else
     * {@code maintain-resolution}. Returns the preference set.
     */
    private static final String HOLD_RESOLUTION = """
            async () => {
              const sender = eddy.state.pc.getSenders().find(s => s.track && s.track.kind === 'video');
              for (const preference of ['maintain-framerate-and-resolution', 'maintain-resolution']) {
                try {
                  const parameters = sender.getParameters();
                  parameters.degradationPreference = preference;
                  await sender.setParameters(parameters);
                  return preference;
                } catch (unknownToThisChromium) { }
              }
              return 'balanced';
            }""";

    /** Takes the camera at 960×540 and connects with it as three layers; returns the degradation preference set. */
    public static String connect(Page page) {
        page.evaluate("async () => { await eddy.addCam(960, 540); }");
        page.evaluate("eddy.connect({ simulcast: true })");
        return (String) page.evaluate(HOLD_RESOLUTION);
    }
}
