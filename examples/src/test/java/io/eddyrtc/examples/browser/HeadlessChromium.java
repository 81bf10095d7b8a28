package io.eddyrtc.examples.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/**
 * Debian's Chromium, headless, driven by Playwright-Java, with the flags WebRTC tests on a closed
 * loopback-only machine need. Playwright never downloads a browser here: it is pointed at the system
 * binary ({@code /usr/bin/chromium}, or {@code $EDDY_CHROMIUM}).
 *
 * <p>Flags and why: {@code --no-sandbox} (tests run as root), {@code --headless=new},
 * {@code --disable-background-networking} (the machine has no internet; Chromium would retry forever),
 * {@code --allow-loopback-in-peer-connection} (gather 127.0.0.1 candidates),
 * {@code --use-fake-ui-for-media-stream} and {@code --use-fake-device-for-media-stream} (a synthetic
 * camera and microphone, no permission prompt), and {@code --disable-features=WebRtcHideLocalIpsWithMdns}
 * (real IPs in candidates instead of {@code .local} names; one merged flag, since a second
 * {@code --disable-features} would replace the first).
 */
public final class HeadlessChromium implements AutoCloseable {
    public static final List<String> FLAGS = List.of(
            "--no-sandbox",
            "--headless=new",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--allow-loopback-in-peer-connection",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            "--disable-features=WebRtcHideLocalIpsWithMdns");

    private final Playwright playwright;
    private final Browser browser;

    private HeadlessChromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    /**
     * Starts Chromium. Throws {@link IllegalStateException} naming what to install when there is none.
     */
    public static HeadlessChromium launch() {
        return launch(List.of(), false);
    }

    /** Starts Chromium with {@code extraFlags} after {@link #FLAGS} (e.g. {@code --force-fieldtrials=...}). */
    public static HeadlessChromium launch(List<String> extraFlags) {
        return launch(extraFlags, false);
    }

    /**
     * Starts Chromium with {@code extraFlags} too, and with its default of hiding host addresses behind mDNS names
     * when {@code mdnsCandidates} (the usual {@link #FLAGS} turn that off; such a page has no camera either).
     */
    public static HeadlessChromium launch(List<String> extraFlags, boolean mdnsCandidates) {
        return launch(Paths.get(System.getenv().getOrDefault("EDDY_CHROMIUM", "/usr/bin/chromium")), extraFlags, mdnsCandidates);
    }

    /** {@link #launch(List, boolean)} through {@code binary} (a script that starts Chromium elsewhere, e.g. in a network namespace). */
    public static HeadlessChromium launch(Path binary, List<String> extraFlags, boolean mdnsCandidates) {
        List<String> flags = new java.util.ArrayList<>(FLAGS);
        if (mdnsCandidates) {
            // Chromium shows a page its real addresses once it may use the camera, which the fake UI grants at once
            flags.removeAll(List.of("--disable-features=WebRtcHideLocalIpsWithMdns", "--use-fake-ui-for-media-stream",
                    "--use-fake-device-for-media-stream"));
        }
        flags.addAll(extraFlags);
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("no Chromium at " + binary + ": install Debian's package ('apt-get install chromium'; "
                    + "./eddy test does this) or point EDDY_CHROMIUM at a Chromium binary");
        }
        Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(binary).setArgs(flags));
            return new HeadlessChromium(playwright, browser);
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    /** A new tab at {@code url}; serve pages from {@code http://127.0.0.1:PORT/}, since about:blank has no mediaDevices. */
    public Page open(String url) {
        Page page = browser.newPage();
        page.onConsoleMessage(m -> System.out.println("[chromium] " + m.text()));
        page.navigate(url);
        return page;
    }

    /** The browser's version, e.g. {@code 156.0.8078.79}. */
    public String version() {
        return browser.version();
    }

    @Override
    public void close() {
        try {
            browser.close();
        } finally {
            playwright.close();
        }
    }
}
