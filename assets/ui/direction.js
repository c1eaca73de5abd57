/**
 * Right-to-left for Radix's own components. Radix Themes' <Theme> wraps the app in a
 * Direction provider fixed to "ltr", so menus, tabs, radio groups and sliders would move
 * the wrong way with the arrow keys in Arabic even with <html dir="rtl">. This provider,
 * inside the theme, gives them the reader's direction (app/components/language.py wraps
 * every page in it). "radix-ui" is the package Radix Themes itself imports Direction from,
 * so both name the same context.
 */

import { createElement } from "react";
import { Direction } from "radix-ui";
import { isRtl, useLocale } from "./i18n.js";

export function LocaleDirection({ children }) {
  const code = useLocale();
  return createElement(Direction.Provider, { dir: isRtl(code) ? "rtl" : "ltr" }, children);
}
