package io.eddyrtc.perf.density;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The density results as a picture: KiB per peer (heap and pool slabs) against the number of pairs, both
 * axes logarithmic, one solid line per mode while idle and a dashed one during media, with the targets
 * (64 KiB RTP mode, 256 KiB sample mode) as grey lines, and an earlier run's figures (the "before") in
 * paler thin lines when given. Java2D, headless.
 */
final class DensityPlot {
    private static final int WIDTH = 980;
    private static final int HEIGHT = 560;
    private static final int LEFT = 90;
    private static final int RIGHT = 250;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;
    private static final Map<String, Color> COLORS = Map.of("rtp", new Color(0x1f77b4), "sample", new Color(0xd62728),
            "data", new Color(0x2ca02c));

    private DensityPlot() {
    }

    static void write(List<DensityBenchmark.Row> rows, List<DensityBenchmark.Row> before, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);

        List<DensityBenchmark.Row> all = new ArrayList<>(rows);
        all.addAll(before);
        double minPairs = all.stream().mapToInt(DensityBenchmark.Row::pairs).min().orElse(100) / 1.5;
        double maxPairs = all.stream().mapToInt(DensityBenchmark.Row::pairs).max().orElse(10_000) * 1.5;
        double minKib = Math.min(16, all.stream().mapToDouble(r -> r.totalPerRtc() / 1024).min().orElse(16) / 1.5);
        double maxKib = Math.max(512, all.stream().mapToDouble(r -> r.totalPerRtc() / 1024).max().orElse(512) * 1.5);
        Axes axes = new Axes(Math.log10(minPairs), Math.log10(maxPairs), Math.log10(minKib), Math.log10(maxKib));

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(new Color(0xdddddd));
        for (double kib = Math.pow(10, Math.floor(axes.y0)); kib <= maxKib; kib *= 10) {
            for (int m = 1; m < 10; m++) {
                double v = kib * m;
                if (v >= minKib && v <= maxKib) {
                    int y = axes.y(v);
                    g.drawLine(LEFT, y, WIDTH - RIGHT, y);
                }
            }
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
        for (double kib = Math.pow(10, Math.ceil(axes.y0)); kib <= maxKib; kib *= 10) {
            int y = axes.y(kib);
            g.drawString(label(kib), 10, y + 4);
        }
        for (int pairs : all.stream().map(DensityBenchmark.Row::pairs).distinct().sorted().toList()) {
            int x = axes.x(pairs);
            g.drawLine(x, HEIGHT - BOTTOM, x, HEIGHT - BOTTOM + 5);
            g.drawString(String.format(Locale.ROOT, "%,d", pairs), x - 15, HEIGHT - BOTTOM + 20);
        }
        g.drawString("connected pairs (log)", (WIDTH - RIGHT + LEFT) / 2 - 60, HEIGHT - 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString("eddy: memory per peer (heap + pool slabs), after a full GC", LEFT, 30);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {2, 4}, 0));
        for (int target : new int[] {64, 256}) {
            if (target >= minKib && target <= maxKib) {
                int y = axes.y(target);
                g.drawLine(LEFT, y, WIDTH - RIGHT, y);
                g.drawString("target " + target + " KiB", LEFT + 6, y - 4);
            }
        }

        int legend = TOP + 40;
        legend = drawSeries(g, axes, series(before), true, legend);
        drawSeries(g, axes, series(rows), false, legend + 10);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    /** One line per series (pale and thin for an earlier run), with its legend entry; returns the next legend row. */
    private static int drawSeries(Graphics2D g, Axes axes, Map<String, List<DensityBenchmark.Row>> series, boolean earlier,
                                  int legend) {
        for (Map.Entry<String, List<DensityBenchmark.Row>> one : series.entrySet()) {
            String[] key = one.getKey().split("/", 2);
            boolean media = key[1].startsWith("media");
            Color color = COLORS.getOrDefault(key[0], Color.BLACK);
            if (earlier) {
                color = new Color(color.getRed(), color.getGreen(), color.getBlue(), 90);
            }
            g.setColor(color);
            float width = earlier ? 1.5f : media ? 2f : 2.5f;
            g.setStroke(media ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10, new float[] {6, 4}, 0)
                    : new BasicStroke(width));
            int px = -1;
            int py = -1;
            for (DensityBenchmark.Row r : one.getValue()) {
                int x = axes.x(r.pairs());
                int y = axes.y(r.totalPerRtc() / 1024);
                g.fillOval(x - 3, y - 3, 6, 6);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.drawLine(WIDTH - RIGHT + 8, legend, WIDTH - RIGHT + 38, legend);
            g.drawString(key[0] + ", " + key[1] + (earlier ? " (before)" : ""), WIDTH - RIGHT + 44, legend + 4);
            legend += 18;
        }
        return legend;
    }

    /** The rows by mode and phase, for the phases drawn: after the long idle, and during media. */
    private static Map<String, List<DensityBenchmark.Row>> series(List<DensityBenchmark.Row> rows) {
        Map<String, List<DensityBenchmark.Row>> out = new LinkedHashMap<>();
        for (DensityBenchmark.Row r : rows) {
            if (r.phase().startsWith("idle") || (r.phase().startsWith("media") && !r.mode().equals("data"))) {
                out.computeIfAbsent(r.mode() + "/" + r.phase(), k -> new ArrayList<>()).add(r);
            }
        }
        return out;
    }

    private static String label(double kib) {
        return kib >= 1024 ? String.format(Locale.ROOT, "%.0f MiB", kib / 1024) : String.format(Locale.ROOT, "%.0f KiB", kib);
    }

    /** Log-log mapping from data to pixels. */
    private record Axes(double x0, double x1, double y0, double y1) {
        int x(double pairs) {
            return LEFT + (int) Math.round((Math.log10(pairs) - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT));
        }

        int y(double kib) {
            return HEIGHT - BOTTOM - (int) Math.round((Math.log10(kib) - y0) / (y1 - y0) * (HEIGHT - TOP - BOTTOM));
        }
    }
}
