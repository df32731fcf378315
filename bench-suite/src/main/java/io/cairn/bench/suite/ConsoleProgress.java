package io.cairn.bench.suite;

import java.io.PrintStream;

/**
 * One line on a terminal, rewritten in place ({@code \r}) at most ten times a second so that
 * drawing it costs nothing next to the operations it counts.
 */
public final class ConsoleProgress implements Progress {
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private String prefix = "";
    private long lastDraw;
    private int width;

    public ConsoleProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void step(int index, int total, String workload, String step) {
        prefix = "[" + index + "/" + total + "] " + workload + ": " + step;
        draw(prefix);
    }

    @Override
    public void advance(long done, long of) {
        long now = System.nanoTime();
        if (now - lastDraw >= REDRAW_NANOS || done == of) {
            draw(prefix + " " + (of == 0 ? 100 : done * 100 / of) + "%");
        }
    }

    @Override
    public void finish() {
        draw("");
        out.print('\r');
        out.flush();
    }

    private void draw(String line) {
        lastDraw = System.nanoTime();
        StringBuilder sb = new StringBuilder("\r").append(line);
        for (int i = line.length(); i < width; i++) {
            sb.append(' ');  // wipe what a longer previous line left
        }
        width = line.length();
        out.print(sb);
        out.flush();
    }
}
