# Real-browser tests (examples: http-post page; engine: Chromium interop) drive Debian's Chromium with Playwright-Java.
need_deb chromium
