package io.millrace.monitor;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.graphics.TextGraphics;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.DefaultTerminalFactory;
import com.googlecode.lanterna.terminal.ansi.UnixLikeTerminal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * The full-screen monitor on a text terminal (Lanterna): redraws whatever {@code content} holds, reads keys, and
 * quits on {@code q} or Ctrl-C, giving the terminal back as it was (normal screen, echo, cursor).
 */
public final class MonitorScreen {
    private static final long KEY_POLL_MILLIS = 50;

    private MonitorScreen() {}

    /**
     * Shows {@code content} (the lines to draw, and a status for the top line) until the user quits; redraws when it
     * changes, or the terminal is resized.
     *
     * @param content the current lines; a new list object means new content
     */
    public static void run(String title, Supplier<List<String>> content) throws IOException, InterruptedException {
        DefaultTerminalFactory factory = new DefaultTerminalFactory(System.out, System.in, StandardCharsets.UTF_8);
        // Never a Swing window: this runs over SSH and under tmux.
        factory.setForceTextTerminal(true);
        // Ctrl-C arrives as a key, so the terminal is restored by the same path as q.
        factory.setUnixTerminalCtrlCBehaviour(UnixLikeTerminal.CtrlCBehaviour.TRAP);
        Screen screen = new TerminalScreen(factory.createTerminal());
        screen.startScreen();
        try {
            screen.setCursorPosition(null);
            List<String> drawn = null;
            boolean resized = true;
            while (true) {
                for (KeyStroke key = screen.pollInput(); key != null; key = screen.pollInput()) {
                    if (quits(key)) {
                        return;
                    }
                }
                resized |= screen.doResizeIfNecessary() != null;
                List<String> lines = content.get();
                if (lines != drawn || resized) {
                    draw(screen, title, lines);
                    drawn = lines;
                    resized = false;
                }
                Thread.sleep(KEY_POLL_MILLIS);
            }
        } finally {
            screen.stopScreen();
        }
    }

    static boolean quits(KeyStroke key) {
        if (key.getKeyType() == KeyType.EOF) {
            return true;
        }
        if (key.getKeyType() != KeyType.Character) {
            return false;
        }
        char c = key.getCharacter();
        return c == 'q' || c == 'Q' || (key.isCtrlDown() && (c == 'c' || c == 'C'));
    }

    private static void draw(Screen screen, String title, List<String> lines) throws IOException {
        TerminalSize size = screen.getTerminalSize();
        screen.clear();
        TextGraphics g = screen.newTextGraphics();
        String top = title + "    q quit";
        g.enableModifiers(SGR.REVERSE);
        g.putString(0, 0, pad(top, size.getColumns()));
        g.disableModifiers(SGR.REVERSE);
        int row = 2;
        for (String line : lines) {
            if (row >= size.getRows()) {
                break;
            }
            boolean heading = !line.startsWith(" ") && !line.isEmpty();
            if (heading) {
                g.enableModifiers(SGR.BOLD);
            }
            g.putString(0, row++, line.length() > size.getColumns() ? line.substring(0, size.getColumns()) : line);
            if (heading) {
                g.disableModifiers(SGR.BOLD);
            }
        }
        screen.refresh(Screen.RefreshType.COMPLETE);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s.substring(0, width) : s + " ".repeat(width - s.length());
    }
}
