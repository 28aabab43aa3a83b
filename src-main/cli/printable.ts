// ANSI escape sequences (CSI, OSC and two-byte ESC forms).
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g;
// C0/C1 controls (newline and tab handled by the callers), DEL, bidi overrides and isolates.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Server-supplied text as one safe line: escapes and controls removed, line breaks and tabs made spaces. */
export function printable(text: string): string {
  return text.replace(ANSI, '').replace(/[\r\n\t]+/g, ' ').replace(CONTROLS, '');
}

/** A CLI output line (which may hold several lines, e.g. JSON) with escapes and controls removed. */
export function printableLines(text: string): string {
  return text.replace(ANSI, '').replace(/\r/g, '').replace(CONTROLS, '');
}
