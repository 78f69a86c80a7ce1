import type { Control } from './types';

/** The heading a control has in CONTROLS.md. */
export function controlHeading(ctl: Control): string {
  return `${ctl.id} — ${ctl.title}`;
}

/** GitHub's heading slug: lower case, punctuation dropped, spaces to hyphens. */
export function headingAnchor(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');
}

/** The anchor of a control's section in CONTROLS.md (links from reports and the README). */
export function controlAnchor(ctl: Control): string {
  return headingAnchor(controlHeading(ctl));
}
