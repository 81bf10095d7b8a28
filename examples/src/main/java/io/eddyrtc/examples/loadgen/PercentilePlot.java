package io.eddyrtc.examples.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * A latency percentile distribution drawn as SVG, the way HdrHistogram's plotter draws it: percentile along a log
 * scale of {@code 1/(1-p)} so that 90%, 99%, 99.9% ... are equally spaced and the tail gets the room; latency up, on a
 * log scale too, so that a median under a millisecond and a tail of a second both read.
 * Several series overlay (two runs compared, or video and audio of one). Written by eddy, nothing else to install.
 */
final class PercentilePlot {
    /** One line: its name and its points, percentile (0-100) and latency in milliseconds, percentile ascending. */
    record Series(String label, List<double[]> points) {}

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};
    private static final int WIDTH = 820;
    private static final int HEIGHT = 480;
    private static final int LEFT = 70;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    /** The lowest latency the axis shows: 10 µs. */
    private static final double MIN_MS = 0.01;

    private PercentilePlot() {
    }

    /** The distribution of {@code histogram} (nanoseconds) as a series in milliseconds. */
    static Series of(String label, Histogram histogram) {
        List<double[]> points = new ArrayList<>();
        if (histogram.getTotalCount() > 0) {
            for (HistogramIterationValue v : histogram.percentiles(5)) {
                points.add(new double[] {v.getPercentileLevelIteratedTo(), v.getValueIteratedTo() / 1e6});
            }
        }
        return new Series(label, points);
    }

    /** A series read back from an {@code .hgrm} file written with values in milliseconds (the table's first two columns). */
    static Series read(Path hgrm) throws IOException {
        List<double[]> points = new ArrayList<>();
        for (String line : Files.readAllLines(hgrm)) {
            String[] cells = line.strip().split("\\s+");
            if (cells.length < 3 || line.startsWith("#") || !Character.isDigit(cells[0].charAt(0))) {
                continue;
            }
            try {
                points.add(new double[] {Double.parseDouble(cells[1]) * 100, Double.parseDouble(cells[0])});
            } catch (NumberFormatException notARow) {
                // the header line and HdrHistogram's summary lines
            }
        }
        if (points.isEmpty()) {
            throw new IOException(hgrm + " holds no percentile distribution (write one with outputPercentileDistribution)");
        }
        String name = hgrm.getFileName().toString();
        return new Series(name.endsWith(".hgrm") ? name.substring(0, name.length() - 5) : name, points);
    }

    /** The plot of {@code series} under {@code title}, as an SVG document. */
    static String svg(String title, List<Series> series) {
        double xMax = 2;
        double yMax = 0;
        double yMin = Double.MAX_VALUE;
        for (Series s : series) {
            for (double[] p : s.points()) {
                xMax = Math.max(xMax, Math.min(6, Math.ceil(x(p[0]) - 1e-9)));
                yMax = Math.max(yMax, p[1]);
                if (p[1] > 0) {
                    yMin = Math.min(yMin, p[1]);
                }
            }
        }
        // latency on a log scale: a median of a fraction of a millisecond and a tail of seconds both show
        int lowDecade = (int) Math.floor(Math.log10(Math.max(MIN_MS, Math.min(yMin, yMax))));
        int highDecade = Math.max(lowDecade + 1, (int) Math.ceil(Math.log10(Math.max(MIN_MS, yMax))));
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\">%s</text>%n", LEFT, escape(title)));
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        for (int i = 0; i <= (int) xMax; i++) {
            double px = LEFT + plotWidth * i / xMax;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n", px, TOP, px,
                    TOP + plotHeight));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", px,
                    TOP + plotHeight + 18, percentileLabel(i)));
        }
        for (int decade = lowDecade; decade <= highDecade; decade++) {
            double value = Math.pow(10, decade);
            double py = y(value, lowDecade, highDecade, plotHeight);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", LEFT, py,
                    LEFT + plotWidth, py));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6, py + 4,
                    trim(value)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>%n",
                LEFT + plotWidth / 2, HEIGHT - 16));
        svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">"
                + "one-way latency (ms, log scale)</text>%n", TOP + plotHeight / 2, TOP + plotHeight / 2));
        for (int s = 0; s < series.size(); s++) {
            String colour = COLOURS[s % COLOURS.length];
            StringBuilder path = new StringBuilder();
            for (double[] p : series.get(s).points()) {
                double px = LEFT + plotWidth * Math.min(x(p[0]), xMax) / xMax;
                double py = y(p[1], lowDecade, highDecade, plotHeight);
                path.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n", colour,
                    path.toString().strip()));
            int ly = TOP + 16 + 18 * s;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>%n",
                    LEFT + 12, ly - 4, LEFT + 36, ly - 4, colour));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + 42, ly, escape(series.get(s).label())));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** Where percentile {@code p} (0-100) sits: log10 of 1/(1-p), so 90% at 1, 99% at 2, 99.9% at 3. */
    private static double x(double percentile) {
        double rest = Math.max(1e-7, 1 - percentile / 100);
        return Math.log10(1 / rest);
    }

    private static String percentileLabel(int decade) {
        return switch (decade) {
            case 0 -> "0%";
            case 1 -> "90%";
            default -> "99.9999".substring(0, decade == 2 ? 2 : decade + 1) + "%";
        };
    }

    /** Where {@code ms} sits on the log axis from 10^low to 10^high (values below the axis on its floor). */
    private static double y(double ms, int low, int high, int plotHeight) {
        double at = (Math.log10(Math.max(ms, Math.pow(10, low))) - low) / (high - low);
        return TOP + plotHeight - plotHeight * at;
    }

    private static String trim(double value) {
        String s = String.format(Locale.ROOT, "%.3f", value);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
