"""Write assets/sync/caps.js from sync/caps.py: `python -m sync.caps_js`."""

from sync.caps import JS_PATH, render_js

if __name__ == "__main__":
    JS_PATH.write_text(render_js(), encoding="utf-8")
    print(f"wrote {JS_PATH}")
