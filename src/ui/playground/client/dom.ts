/** Small DOM helpers the command box's files share. */

// One counter for every id the command box makes, so no two of its elements share an id.
let ids = 0;

/** A fresh element id for the command box, `composer-<what>-<n>`, unique in the page. */
export const uid = (what: string): string => `composer-${what}-${++ids}`;

/** Creates an element, with a class name and text content when given. */
export function make<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

/** The message to show a person for a thrown value, whether or not it is an Error. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
