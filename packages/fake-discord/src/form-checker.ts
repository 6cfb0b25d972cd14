/**
 * A small collector of form issues with Discord's wording ("Must be 2000 or fewer in length."), so
 * that every rule reads as one line in the validators.
 */
import type { FormIssue } from './errors.ts';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Length as Discord counts it: Unicode code points. */
export function textLength(text: string): number {
  return [...text].length;
}

export class FormChecker {
  readonly issues: FormIssue[] = [];

  /** `prefix` is prepended to every path (e.g. `['data']` for an interaction callback). */
  constructor(private readonly prefix: ReadonlyArray<string | number> = []) {}

  add(path: ReadonlyArray<string | number>, code: string, message: string): void {
    this.issues.push({ path: [...this.prefix, ...path], code, message });
  }

  /** Checks an optional (or, with `required`, mandatory) string; returns its length for totals. */
  text(path: ReadonlyArray<string | number>, value: unknown, min: number, max: number, required = false): number {
    if (value === undefined || value === null) {
      if (required) this.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
      return 0;
    }
    if (typeof value !== 'string') {
      this.add(path, 'BASE_TYPE_STRING', `Could not interpret ${JSON.stringify(value)} as string.`);
      return 0;
    }
    const length = textLength(value);
    if (length > max || length < min) {
      if (min === 0) this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
      else this.add(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
    }
    return length;
  }

  /** Checks how many items an array has. */
  count(path: ReadonlyArray<string | number>, items: ReadonlyArray<unknown>, min: number, max: number): void {
    if (items.length <= max && items.length >= min) return;
    if (min === 0) this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
    else this.add(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
  }

  /** Checks an optional whole number within bounds. */
  integer(path: ReadonlyArray<string | number>, value: unknown, min: number, max: number): void {
    if (value === undefined || value === null) return;
    if (typeof value !== 'number' || !Number.isInteger(value)) this.add(path, 'NUMBER_TYPE_COERCE', `Value ${JSON.stringify(value)} is not int.`);
    else if (value < min) this.add(path, 'NUMBER_TYPE_MIN', `int value should be greater than or equal to ${min}.`);
    else if (value > max) this.add(path, 'NUMBER_TYPE_MAX', `int value should be less than or equal to ${max}.`);
  }
}
